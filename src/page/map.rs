//! The alert's area as an inline SVG: the regions' outlines around the circle, in Web
//! Mercator (the console's projection, and map tiles'), with no tile server and nothing
//! fetched. Every attribute is a number made here, never text from a report.

use crate::domain::geo::Region;
use crate::domain::public::PublicArea;
use crate::domain::regions::outline;

/// SVG units per world: 256 × 2⁶, a tile zoom of 6.
const WORLD: f64 = 256.0 * 64.0;
const KM_PER_DEGREE: f64 = 111.195;

fn x(lon: f64) -> f64 {
    (lon + 180.0) / 360.0 * WORLD
}

fn y(lat: f64) -> f64 {
    let phi = lat.to_radians();
    (1.0 - (phi.tan() + 1.0 / phi.cos()).ln() / std::f64::consts::PI) / 2.0 * WORLD
}

pub struct AreaMap {
    pub view_box: String,
    /// One path per region the view shows.
    pub regions: Vec<String>,
    pub cx: String,
    pub cy: String,
    pub r: String,
    pub dot: String,
}

fn number(v: f64) -> String {
    format!("{v:.1}")
}

impl AreaMap {
    /// The circle with room around it, and the outlines that cross that view.
    pub fn of(area: &PublicArea) -> AreaMap {
        let (cx, cy) = (x(area.lon), y(area.lat));
        // A circle stays a circle in Mercator, 1 / cos(lat) larger.
        let r = area.radius_km / KM_PER_DEGREE * (WORLD / 360.0) / area.lat.to_radians().cos();
        let half = r * 1.5;
        let (left, top, right, bottom) = (cx - half, cy - half, cx + half, cy + half);
        let regions = Region::ALL
            .into_iter()
            .filter_map(|region| {
                let rings = outline(region).iter().flat_map(|polygon| polygon.iter());
                let projected: Vec<Vec<(f64, f64)>> = rings
                    .map(|ring| ring.iter().map(|&(lon, lat)| (x(lon), y(lat))).collect())
                    .collect();
                // The region's bounding box crosses the view.
                let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
                for &(px, py) in projected.iter().flatten() {
                    (x0, y0, x1, y1) = (x0.min(px), y0.min(py), x1.max(px), y1.max(py));
                }
                let seen = x0 <= right && x1 >= left && y0 <= bottom && y1 >= top;
                seen.then(|| {
                    projected
                        .iter()
                        .map(|ring| {
                            let points: Vec<String> = ring
                                .iter()
                                .map(|&(px, py)| format!("{} {}", number(px), number(py)))
                                .collect();
                            format!("M{}Z", points.join("L"))
                        })
                        .collect::<String>()
                })
            })
            .collect();
        AreaMap {
            view_box: format!(
                "{} {} {} {}",
                number(left),
                number(top),
                number(2.0 * half),
                number(2.0 * half)
            ),
            regions,
            cx: number(cx),
            cy: number(cy),
            r: number(r),
            dot: number(half / 40.0),
        }
    }
}

//! Geotargeting: the geohash cells that cover an alert's circle. A subscriber at a point
//! filters on the prefixes of its own geohash, so it receives exactly the alerts that
//! list one of them.

use std::collections::BTreeSet;

use geohash::Coord;

/// Cells are at most this precise: 6 characters is about 1.2 × 0.6 km.
pub const MAX_PRECISION: usize = 6;
/// At most this many cells per alert, to keep the SNS message attribute small.
pub const MAX_CELLS: usize = 32;

const EARTH_RADIUS_KM: f64 = 6_371.008_8;
const KM_PER_DEGREE: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// Great-circle distance between two points, in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

/// The size in degrees (height, width) of a geohash cell of `precision` characters:
/// five bits a character, alternately longitude and latitude, longitude first.
fn cell_size(precision: usize) -> (f64, f64) {
    let bits = 5 * precision as i32;
    let lon_bits = (bits + 1) / 2;
    let lat_bits = bits / 2;
    (180.0 / 2f64.powi(lat_bits), 360.0 / 2f64.powi(lon_bits))
}

/// The smallest distance from the centre to a cell (a lat/lon rectangle), in km.
fn distance_to_cell(lat: f64, lon: f64, cell: &geohash::Rect<f64>) -> f64 {
    let (min, max) = (cell.min(), cell.max());
    let nearest_lat = lat.clamp(min.y, max.y);
    let nearest_lon = lon.clamp(min.x, max.x);
    distance_km(lat, lon, nearest_lat, nearest_lon)
}

/// The bounding box of the circle in degrees: (south, north, west, east), clamped to the
/// valid ranges.
fn bounds(lat: f64, lon: f64, radius_km: f64) -> (f64, f64, f64, f64) {
    let dlat = radius_km / KM_PER_DEGREE;
    let south = (lat - dlat).max(-90.0);
    let north = (lat + dlat).min(90.0);
    // The widest parallel inside the box is the one nearest a pole.
    let widest = south.abs().max(north.abs()).min(89.9).to_radians();
    let dlon = (dlat / widest.cos()).min(180.0);
    (
        south,
        north,
        (lon - dlon).max(-180.0),
        (lon + dlon).min(180.0),
    )
}

/// The cells of `precision` that the circle touches, or `None` when there would be more
/// than `limit` candidates to look at.
fn cover_at(
    lat: f64,
    lon: f64,
    radius_km: f64,
    precision: usize,
    limit: usize,
) -> Option<BTreeSet<String>> {
    let (south, north, west, east) = bounds(lat, lon, radius_km);
    let (height, width) = cell_size(precision);
    let rows = ((north - south) / height).ceil() as usize + 1;
    let cols = ((east - west) / width).ceil() as usize + 1;
    if rows.saturating_mul(cols) > limit {
        return None;
    }
    let mut cells = BTreeSet::new();
    for row in 0..=rows {
        let y = (south + row as f64 * height).min(north);
        for col in 0..=cols {
            let x = (west + col as f64 * width).min(east);
            let Ok(cell) = geohash::encode(Coord { x, y }, precision) else {
                continue;
            };
            if cells.contains(&cell) {
                continue;
            }
            let Ok(rect) = geohash::decode_bbox(&cell) else {
                continue;
            };
            if distance_to_cell(lat, lon, &rect) <= radius_km {
                cells.insert(cell);
            }
        }
    }
    Some(cells)
}

/// The cells covering the circle: of the highest precision up to [`MAX_PRECISION`] that
/// needs no more than [`MAX_CELLS`] of them.
pub fn cover(lat: f64, lon: f64, radius_km: f64) -> Vec<String> {
    for precision in (1..=MAX_PRECISION).rev() {
        // A box of candidates at most four times the cap: the circle fills π/4 of it.
        if let Some(cells) = cover_at(lat, lon, radius_km, precision, MAX_CELLS * 4)
            && cells.len() <= MAX_CELLS
        {
            return cells.into_iter().collect();
        }
    }
    // Precision 1 cells are 45° wide: any circle of at most RADIUS_KM_LIMIT fits a few.
    cover_at(lat, lon, radius_km, 1, usize::MAX)
        .map(|c| c.into_iter().collect())
        .unwrap_or_default()
}

/// `cells` without the ones a shorter cell of the set already covers, made coarser (the
/// finest first, one character at a time) until at most `limit` remain. A coarser cell
/// covers all it replaces: whoever matched before still matches.
pub fn coarsen(cells: BTreeSet<String>, limit: usize) -> BTreeSet<String> {
    let mut cells = without_covered(cells);
    while cells.len() > limit.max(1) {
        let finest = cells.iter().map(String::len).max().unwrap_or(1);
        if finest <= 1 {
            break;
        }
        cells = without_covered(
            cells
                .into_iter()
                .map(|c| {
                    if c.len() == finest {
                        c[..finest - 1].to_owned()
                    } else {
                        c
                    }
                })
                .collect(),
        );
    }
    cells
}

/// Drops every cell that has a strict prefix in the set.
fn without_covered(cells: BTreeSet<String>) -> BTreeSet<String> {
    let covered = |c: &String| (1..c.len()).any(|n| cells.contains(&c[..n]));
    cells.iter().filter(|c| !covered(c)).cloned().collect()
}

/// The filter values of a subscriber at a point: the prefixes of its geohash.
pub fn point_prefixes(lat: f64, lon: f64) -> Vec<String> {
    let full = geohash::encode(Coord { x: lon, y: lat }, MAX_PRECISION).unwrap_or_default();
    (1..=full.len()).map(|n| full[..n].to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::limits::RADIUS_KM_LIMIT;

    /// A point `distance` km from the centre at `bearing` degrees.
    fn destination(lat: f64, lon: f64, distance: f64, bearing: f64) -> (f64, f64) {
        let d = distance / EARTH_RADIUS_KM;
        let (p1, l1, b) = (lat.to_radians(), lon.to_radians(), bearing.to_radians());
        let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * b.cos()).asin();
        let l2 = l1 + (b.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
        (p2.to_degrees(), l2.to_degrees())
    }

    #[test]
    fn precision_follows_the_radius() {
        let rabat = (34.0209, -6.8416);
        let small = cover(rabat.0, rabat.1, 1.0);
        assert!(small.iter().all(|c| c.len() == 6), "{small:?}");
        let city = cover(rabat.0, rabat.1, 10.0);
        let country = cover(rabat.0, rabat.1, RADIUS_KM_LIMIT);
        assert!(
            city[0].len() < 6 && country[0].len() <= 2,
            "{city:?} {country:?}"
        );
        for cells in [small, city, country] {
            assert!(!cells.is_empty() && cells.len() <= MAX_CELLS);
        }
    }

    #[test]
    fn a_point_far_away_matches_no_cell() {
        let cells = cover(34.0209, -6.8416, 10.0);
        let marrakech = point_prefixes(31.6295, -7.9811);
        assert!(marrakech.iter().all(|p| !cells.contains(p)));
        let inside = point_prefixes(34.03, -6.83);
        assert!(inside.iter().any(|p| cells.contains(p)));
    }

    #[test]
    fn distances() {
        // Rabat to Casablanca is about 87 km.
        let d = distance_km(34.0209, -6.8416, 33.5731, -7.5898);
        assert!((85.0..90.0).contains(&d), "{d}");
    }

    #[test]
    fn coarsening_keeps_every_match() {
        let rabat = cover(34.0209, -6.8416, 10.0);
        let casablanca = cover(33.5731, -7.5898, 40.0);
        let union: BTreeSet<String> = rabat.iter().chain(&casablanca).cloned().collect();
        assert!(union.len() > MAX_CELLS);
        let coarse = coarsen(union.clone(), MAX_CELLS);
        assert!(coarse.len() <= MAX_CELLS, "{coarse:?}");
        for point in [(34.0209, -6.8416), (33.5731, -7.5898), (33.6, -7.3)] {
            let prefixes = point_prefixes(point.0, point.1);
            if prefixes.iter().any(|p| union.contains(p)) {
                assert!(prefixes.iter().any(|p| coarse.contains(p)), "{point:?}");
            }
        }
        // A cell under a coarser one is dropped; a set within the limit stays as it is.
        let nested: BTreeSet<String> = ["ev", "evd", "evf", "s"].map(String::from).into();
        assert_eq!(coarsen(nested, 8), ["ev", "s"].map(String::from).into());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every point inside the circle has a prefix among the cells.
        #[test]
        fn every_point_inside_is_covered(
            lat in 21.0f64..36.0,
            lon in -17.0f64..-1.0,
            radius in 0.05f64..RADIUS_KM_LIMIT,
            fraction in 0.0f64..=1.0,
            bearing in 0.0f64..360.0,
        ) {
            let cells = cover(lat, lon, radius);
            prop_assert!(!cells.is_empty() && cells.len() <= MAX_CELLS);
            let (plat, plon) = destination(lat, lon, radius * fraction * 0.999, bearing);
            let prefixes = point_prefixes(plat, plon);
            prop_assert!(
                prefixes.iter().any(|p| cells.contains(p)),
                "({plat}, {plon}) not covered by {cells:?}"
            );
        }
    }
}

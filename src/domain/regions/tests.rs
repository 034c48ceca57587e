use super::*;

/// Cities and the region each lies in.
const CITIES: [(&str, f64, f64, Region); 16] = [
    ("Tangier", 35.7595, -5.834, Region::TangerTetouanAlHoceima),
    ("Oujda", 34.6814, -1.9086, Region::Oriental),
    ("Fès", 34.0331, -5.0003, Region::FesMeknes),
    ("Rabat", 34.0209, -6.8416, Region::RabatSaleKenitra),
    ("Salé", 34.0531, -6.7985, Region::RabatSaleKenitra),
    ("Kénitra", 34.261, -6.5802, Region::RabatSaleKenitra),
    ("Béni Mellal", 32.3373, -6.3498, Region::BeniMellalKhenifra),
    ("Casablanca", 33.5731, -7.5898, Region::CasablancaSettat),
    ("El Jadida", 33.2316, -8.5007, Region::CasablancaSettat),
    ("Marrakech", 31.6295, -7.9811, Region::MarrakechSafi),
    ("Safi", 32.2994, -9.2372, Region::MarrakechSafi),
    ("Errachidia", 31.9314, -4.4247, Region::DraaTafilalet),
    ("Agadir", 30.4278, -9.5981, Region::SoussMassa),
    ("Guelmim", 28.987, -10.0574, Region::GuelmimOuedNoun),
    ("Laâyoune", 27.1536, -13.2033, Region::LaayouneSakiaElHamra),
    ("Dakhla", 23.6848, -15.958, Region::DakhlaOuedEdDahab),
];

#[test]
fn every_city_is_in_its_region_and_no_other() {
    for (city, lat, lon, region) in CITIES {
        assert_eq!(locate(lat, lon), Some(region), "{city}");
        assert!(holds(region, lat, lon), "{city}");
        let elsewhere: Vec<Region> = Region::ALL
            .into_iter()
            .filter(|r| *r != region && holds(*r, lat, lon))
            .collect();
        assert!(elsewhere.is_empty(), "{city} also in {elsewhere:?}");
        // A small circle in the middle of a city stays in its region.
        assert_eq!(touched_by(lat, lon, 1.0), [region], "{city}");
    }
}

#[test]
fn every_region_has_an_outline() {
    for (i, region) in Region::ALL.into_iter().enumerate() {
        assert_eq!(outlines::OUTLINES[i].0, region.code());
        let rings: Vec<_> = polygons(region).iter().flat_map(|p| p.iter()).collect();
        assert!(!rings.is_empty(), "{region:?}");
        for ring in rings {
            assert!(ring.len() >= 4 && ring.first() == ring.last(), "{region:?}");
        }
    }
}

#[test]
fn the_sea_and_abroad_are_no_region() {
    for (place, lat, lon) in [
        ("the Atlantic off Casablanca", 33.9, -8.6),
        ("Madrid", 40.4168, -3.7038),
        ("Algiers", 36.7538, 3.0588),
        ("Nouakchott", 18.0735, -15.9582),
    ] {
        assert_eq!(locate(lat, lon), None, "{place}");
    }
}

/// Circles that straddle a border touch both sides, and grow into more regions as they
/// widen.
#[test]
fn circles_across_borders() {
    use Region::*;
    // Rabat: 10 km stays home; 60 km reaches Casablanca-Settat and beyond.
    let (lat, lon) = (34.0209, -6.8416);
    assert_eq!(touched_by(lat, lon, 10.0), [RabatSaleKenitra]);
    let wide = touched_by(lat, lon, 60.0);
    assert!(
        wide.contains(&RabatSaleKenitra) && wide.contains(&CasablancaSettat),
        "{wide:?}"
    );
    // Every region touched by a circle is touched by any larger one.
    for radius in [5.0, 20.0, 50.0, 100.0, 300.0] {
        let small = touched_by(lat, lon, radius);
        let large = touched_by(lat, lon, radius * 2.0);
        assert!(small.iter().all(|r| large.contains(r)), "{radius}");
    }
    // From Rabat, the whole country lies within 1 500 km.
    assert_eq!(touched_by(lat, lon, 1_500.0), Region::ALL);
    // A point a few km from a border: one region at 1 km, both at 15 km.
    for (city, lat, lon, _) in CITIES {
        let near = Region::ALL
            .into_iter()
            .map(|r| (r, distance_to(r, lat, lon)))
            .filter(|(_, d)| *d > 0.0)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("a neighbour");
        let reach = touched_by(lat, lon, near.1 + 0.5);
        assert!(reach.contains(&near.0), "{city}: {near:?} not in {reach:?}");
        assert!(
            !touched_by(lat, lon, near.1 - 0.5).contains(&near.0),
            "{city}"
        );
    }
}

//! Where a child was last seen: coordinates and Morocco's twelve regions.

use serde::{Deserialize, Serialize};

use super::limits::NEGLIGIBLE_MAGNITUDE;
use super::validation::FieldError;

/// A value too close to zero to mean anything, or to be stored, is zero.
pub fn negligible_as_zero(value: f64) -> f64 {
    if value.abs() < NEGLIGIBLE_MAGNITUDE {
        0.0
    } else {
        value
    }
}

fn in_range(field: &str, value: f64, bound: f64) -> Result<f64, FieldError> {
    let value = negligible_as_zero(value);
    if value.is_finite() && (-bound..=bound).contains(&value) {
        Ok(value)
    } else {
        Err(FieldError::new(
            field,
            format!("must be between -{bound} and {bound}"),
        ))
    }
}

macro_rules! coordinate {
    ($name:ident, $bound:expr) => {
        #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
        #[serde(try_from = "f64", into = "f64")]
        pub struct $name(f64);

        impl $name {
            pub const BOUND: f64 = $bound;

            pub fn parse(field: &str, value: f64) -> Result<Self, FieldError> {
                in_range(field, value, $bound).map(Self)
            }

            pub fn degrees(self) -> f64 {
                self.0
            }
        }

        impl TryFrom<f64> for $name {
            type Error = String;
            fn try_from(value: f64) -> Result<Self, String> {
                Self::parse("", value).map_err(|e| e.message)
            }
        }

        impl From<$name> for f64 {
            fn from(value: $name) -> f64 {
                value.0
            }
        }
    };
}

coordinate!(Latitude, 90.0);
coordinate!(Longitude, 180.0);

/// An ISO 3166-2:MA region (the 2015 division into twelve regions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Region {
    #[serde(rename = "MA-01")]
    TangerTetouanAlHoceima,
    #[serde(rename = "MA-02")]
    Oriental,
    #[serde(rename = "MA-03")]
    FesMeknes,
    #[serde(rename = "MA-04")]
    RabatSaleKenitra,
    #[serde(rename = "MA-05")]
    BeniMellalKhenifra,
    #[serde(rename = "MA-06")]
    CasablancaSettat,
    #[serde(rename = "MA-07")]
    MarrakechSafi,
    #[serde(rename = "MA-08")]
    DraaTafilalet,
    #[serde(rename = "MA-09")]
    SoussMassa,
    #[serde(rename = "MA-10")]
    GuelmimOuedNoun,
    #[serde(rename = "MA-11")]
    LaayouneSakiaElHamra,
    #[serde(rename = "MA-12")]
    DakhlaOuedEdDahab,
}

impl Region {
    pub const ALL: [Region; 12] = [
        Region::TangerTetouanAlHoceima,
        Region::Oriental,
        Region::FesMeknes,
        Region::RabatSaleKenitra,
        Region::BeniMellalKhenifra,
        Region::CasablancaSettat,
        Region::MarrakechSafi,
        Region::DraaTafilalet,
        Region::SoussMassa,
        Region::GuelmimOuedNoun,
        Region::LaayouneSakiaElHamra,
        Region::DakhlaOuedEdDahab,
    ];

    /// The ISO 3166-2 code, e.g. `MA-04`.
    pub fn code(self) -> &'static str {
        const CODES: [&str; 12] = [
            "MA-01", "MA-02", "MA-03", "MA-04", "MA-05", "MA-06", "MA-07", "MA-08", "MA-09",
            "MA-10", "MA-11", "MA-12",
        ];
        CODES[self as usize]
    }

    pub fn parse(field: &str, code: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    "must be an ISO 3166-2:MA region code, MA-01 to MA-12",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_bounded_and_finite() {
        let cases = [
            (90.0, true),
            (-90.0, true),
            (90.000001, false),
            (-90.5, false),
            (f64::NAN, false),
            (f64::INFINITY, false),
            (34.0209, true),
        ];
        for (value, ok) in cases {
            assert_eq!(Latitude::parse("lat", value).is_ok(), ok, "{value}");
        }
        assert!(Longitude::parse("lon", 180.0).is_ok());
        assert!(Longitude::parse("lon", -180.0).is_ok());
        let e = Longitude::parse("last_seen.lon", 180.1).unwrap_err();
        assert_eq!(e.field, "last_seen.lon");
        assert_eq!(e.message, "must be between -180 and 180");
        // Below DynamoDB's smallest magnitude, and physically zero.
        let tiny = Longitude::parse("lon", -2.2250738585072014e-308).unwrap();
        assert_eq!(tiny.degrees().to_bits(), 0.0f64.to_bits());
        assert_eq!(Latitude::parse("lat", 1e-7).unwrap().degrees(), 1e-7);
    }

    #[test]
    fn region_codes_round_trip() {
        for region in Region::ALL {
            assert_eq!(Region::parse("r", region.code()), Ok(region));
            let json = serde_json::to_string(&region).unwrap();
            assert_eq!(json, format!("\"{}\"", region.code()));
        }
        for bad in ["MA-00", "MA-13", "ma-04", "MA-4", "FR-75", ""] {
            assert!(Region::parse("r", bad).is_err(), "{bad}");
        }
    }
}

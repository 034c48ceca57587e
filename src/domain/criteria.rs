//! The activation criteria a supervisor checks before an alert goes out.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criteria {
    pub abduction_suspected: bool,
    pub risk_of_serious_harm: bool,
    pub sufficient_description: bool,
    pub registered_in_national_database: bool,
}

impl Criteria {
    /// Names of the criteria that are not met; approval then needs an override reason.
    pub fn unmet(&self) -> Vec<&'static str> {
        [
            ("abduction_suspected", self.abduction_suspected),
            ("risk_of_serious_harm", self.risk_of_serious_harm),
            ("sufficient_description", self.sufficient_description),
            (
                "registered_in_national_database",
                self.registered_in_national_database,
            ),
        ]
        .into_iter()
        .filter_map(|(name, met)| (!met).then_some(name))
        .collect()
    }
}

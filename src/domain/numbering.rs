//! Whether a number is one its country's numbering plan allows, by libphonenumber's
//! rules and metadata.
//!
//! The metadata comes split by country calling code (`build.rs`), and a code's plans
//! are loaded the first time one of its numbers is checked: a number from Morocco
//! reads and compiles Morocco's plan and Western Sahara's, not the world's.

use std::sync::OnceLock;

use phonenumber::metadata::{Database, loader};

include!(concat!(env!("OUT_DIR"), "/numbering_plans.rs"));

/// Each calling code's plans once loaded, in the order of [`PLANS`].
static LOADED: [OnceLock<Option<Database>>; COUNT] = [const { OnceLock::new() }; COUNT];

/// Whether `e164` (`+` and digits) is a valid number of a country.
pub fn is_valid(e164: &str) -> bool {
    let Some(database) = plans_for(e164) else {
        return false;
    };
    phonenumber::parse_with(database, None, e164)
        .is_ok_and(|number| phonenumber::is_valid_with(database, &number))
}

/// The plans of the calling code `e164` begins with. Calling codes form a prefix code:
/// no code begins another, so the first that matches is the one.
fn plans_for(e164: &str) -> Option<&'static Database> {
    let digits = e164.strip_prefix('+')?;
    let index = (1..=3)
        .filter_map(|len| digits.get(..len)?.parse::<u16>().ok())
        .find_map(|code| PLANS.binary_search_by_key(&code, |(c, _)| *c).ok())?;
    LOADED[index]
        .get_or_init(|| {
            // build.rs loaded every plan before writing it.
            let regions: Vec<loader::Metadata> = postcard::from_bytes(PLANS[index].1).ok()?;
            Database::from(regions).ok()
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use phonenumber::metadata::DATABASE;

    use super::*;

    /// Every calling code, checked against the crate's own whole database: the example
    /// numbers of each region and type, and each one with a digit more, give the same
    /// answer both ways.
    #[test]
    fn the_split_plans_judge_as_the_whole_database_does() {
        let mut checked = 0;
        for (code, _) in PLANS {
            for region in DATABASE.by_code(&code).unwrap() {
                let types = region.descriptors();
                let examples = [
                    Some(types.general()),
                    types.fixed_line(),
                    types.mobile(),
                    types.toll_free(),
                    types.voip(),
                ];
                for example in examples.into_iter().flatten().filter_map(|d| d.example()) {
                    for national in [example.to_owned(), format!("{example}9")] {
                        let e164 = format!("+{code}{national}");
                        let whole = phonenumber::parse(None, &e164)
                            .is_ok_and(|n| phonenumber::is_valid(&n));
                        assert_eq!(is_valid(&e164), whole, "{e164} ({})", region.id());
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked} numbers checked");
    }

    #[test]
    fn a_code_no_country_has_is_no_plan() {
        assert!(!is_valid("+999123456789"));
        assert!(!is_valid("212537000000"));
        assert!(!is_valid("+"));
    }
}

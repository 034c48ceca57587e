//! Splits libphonenumber's numbering plans by country calling code, at compile time.
//!
//! The phone-number crate loads the plans of all 250 regions at once, checking the
//! syntax of each of their thousands of regular expressions: about 100 ms of CPU the
//! first time any number is checked, which a cold intake function paid on its first
//! report. Checking a tip line needs only the plans of its calling code. Here each
//! code's plans are written as their own postcard blob, the form the crate itself
//! loads; `src/domain/numbering.rs` loads the one a number needs.

use std::fmt::Write as _;
use std::path::Path;

use phonenumber::metadata::{DATABASE, Database, Descriptor, Format, Metadata, loader};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    let mut index = String::from(
        "/// Each country calling code, in order, with its regions' plans (postcard).\n\
         pub const PLANS: [(u16, &[u8]); COUNT] = [\n",
    );
    let mut count = 0;
    // Calling codes have one to three digits.
    for code in 1..=999u16 {
        let Some(regions) = DATABASE.by_code(&code) else {
            continue;
        };
        let regions: Vec<loader::Metadata> = regions.into_iter().map(region).collect();
        // What the function will load must load: checked here, not on a report.
        Database::from(regions.clone()).expect("a calling code's plans load alone");
        let blob = postcard::to_allocvec(&regions).expect("plans serialize");
        let name = format!("plan-{code}.bin");
        std::fs::write(out.join(&name), blob).expect("OUT_DIR is writable");
        writeln!(
            index,
            "    ({code}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{name}\"))),"
        )
        .expect("writing to a String");
        count += 1;
    }
    index.push_str("];\n");
    index.push_str(&format!("const COUNT: usize = {count};\n"));
    std::fs::write(out.join("numbering_plans.rs"), index).expect("OUT_DIR is writable");
}

/// A region's plan as the crate's loader reads it, from the loaded form: every field,
/// the regular expressions as their source text.
fn region(plan: &Metadata) -> loader::Metadata {
    let types = plan.descriptors();
    loader::Metadata {
        general: Some(descriptor(types.general())),
        fixed_line: types.fixed_line().map(descriptor),
        mobile: types.mobile().map(descriptor),
        toll_free: types.toll_free().map(descriptor),
        premium_rate: types.premium_rate().map(descriptor),
        shared_cost: types.shared_cost().map(descriptor),
        personal_number: types.personal_number().map(descriptor),
        voip: types.voip().map(descriptor),
        pager: types.pager().map(descriptor),
        uan: types.uan().map(descriptor),
        emergency: types.emergency().map(descriptor),
        voicemail: types.voicemail().map(descriptor),
        short_code: types.short_code().map(descriptor),
        standard_rate: types.standard_rate().map(descriptor),
        carrier: types.carrier().map(descriptor),
        no_international: types.no_international().map(descriptor),
        id: Some(plan.id().to_owned()),
        country_code: Some(plan.country_code()),
        international_prefix: plan.international_prefix().map(|r| r.as_str().to_owned()),
        preferred_international_prefix: plan.preferred_international_prefix().map(str::to_owned),
        national_prefix: plan.national_prefix().map(str::to_owned),
        preferred_extension_prefix: plan.preferred_extension_prefix().map(str::to_owned),
        national_prefix_for_parsing: plan
            .national_prefix_for_parsing()
            .map(|r| r.as_str().to_owned()),
        national_prefix_transform_rule: plan.national_prefix_transform_rule().map(str::to_owned),
        formats: plan.formats().iter().map(format).collect(),
        international_formats: plan.international_formats().iter().map(format).collect(),
        main_country_for_code: plan.is_main_country_for_code(),
        leading_digits: plan.leading_digits().map(|r| r.as_str().to_owned()),
        mobile_number_portable: plan.is_mobile_number_portable(),
        defaults: Default::default(),
    }
}

fn descriptor(kind: &Descriptor) -> loader::Descriptor {
    loader::Descriptor {
        national_number: Some(kind.national_number().as_str().to_owned()),
        possible_length: kind.possible_length().to_vec(),
        possible_local_length: kind.possible_local_length().to_vec(),
        example: kind.example().map(str::to_owned),
    }
}

fn format(rule: &Format) -> loader::Format {
    loader::Format {
        pattern: Some(rule.pattern().as_str().to_owned()),
        format: Some(rule.format().to_owned()),
        leading_digits: rule
            .leading_digits()
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect(),
        national_prefix_formatting_rule: rule.national_prefix().map(str::to_owned),
        national_prefix_optional_when_formatting: rule.is_national_prefix_optional(),
        domestic_carrier: rule.domestic_carrier().map(str::to_owned),
    }
}

//! TEMPORARY stub; replaced by the gazetteer work on merge.
#![allow(missing_docs)]

pub struct Detection {
    pub province: Option<String>,
    pub region: Option<String>,
    pub reason: String,
}

pub fn detect(_issuer: Option<&str>, _title: Option<&str>, _text: &str) -> Detection {
    Detection {
        province: None,
        region: None,
        reason: String::new(),
    }
}

pub fn short_province_name(s: &str) -> String {
    s.trim_end_matches('省').to_string()
}

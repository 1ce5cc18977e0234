//! Which rule set runs on a report: `--province` read once
//! ([`parse_province`]), then per report the gazetteer's province, else the
//! place names a province file lists under `regions`, else the common rules
//! ([`choose_rules`]), with the reason in words.

use super::rules::LoadedRules;
use crate::diag::{Code, Diagnostic};
use crate::text::Document;

/// How the rule set for a report is picked (`--province`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvinceChoice {
    /// Detect from the report.
    Auto,
    /// Always this rule set (index into the loaded sets).
    Fixed(usize),
    /// `--province 浙江` for a province without a rule file: every report
    /// is that province's and runs the common rules (the set).
    Common(usize, String),
}

impl ProvinceChoice {
    /// The rule set every report runs, when the choice fixes one; `None`
    /// for `auto` (a set per report, or every set when listing rules).
    pub fn fixed_set(&self) -> Option<usize> {
        match self {
            ProvinceChoice::Fixed(i) | ProvinceChoice::Common(i, _) => Some(*i),
            ProvinceChoice::Auto => None,
        }
    }

    /// The one-line note a choice deserves (`--province 浙江` without a
    /// rule file for 浙江), for the command to print.
    pub fn note(&self) -> Option<String> {
        match self {
            ProvinceChoice::Common(_, name) => Some(format!(
                "no rule file for {name}: the common rules run, every report counted as {name}"
            )),
            _ => None,
        }
    }
}

/// The one reader of `--province NAME|auto|common` (`run`, `explain`,
/// `eval`, and any library user): `None` or `auto` detects per report; a
/// province name (江苏, 江苏省) runs that province's set on every report;
/// `common` or `none` runs the common rules ([`LoadedRules::fallback`]); a
/// province without a rule file (浙江) runs them too, as that province
/// ([`ProvinceChoice::Common`]). An unknown name is ZB0502, with "did you
/// mean" and the names with rules.
pub fn parse_province(
    rules: &LoadedRules,
    province: Option<&str>,
) -> Result<ProvinceChoice, Diagnostic> {
    let Some(name) = province.filter(|p| *p != "auto") else {
        return Ok(ProvinceChoice::Auto);
    };
    let short = crate::province::short_province_name(name);
    if let Some(i) = rules.province(&short) {
        return Ok(ProvinceChoice::Fixed(i));
    }
    let known = rules.province_names();
    let listed = if known.is_empty() {
        "the rules loaded are for no province".to_string()
    } else {
        format!("provinces with rules: {}", known.join(", "))
    };
    // A real province without a file of its own: the common rules, with
    // that province on every fact.
    let is_province = crate::province::gazetteer()
        .province_names()
        .contains(&short.as_str());
    if is_province && let Some(i) = rules.fallback() {
        return Ok(ProvinceChoice::Common(i, short));
    }
    if short == "common" || short == "none" {
        return rules.fallback().map(ProvinceChoice::Fixed).ok_or_else(|| {
            Diagnostic::new(
                Code::UnknownProvince,
                format!("--province {name}: no common rule file was loaded"),
            )
            .with_help(format!("{listed}; load a common file with --rules"))
        });
    }
    let guess = crate::diag::suggest::closest(&short, known.iter().copied())
        .map(|g| format!("did you mean {g}? "))
        .unwrap_or_default();
    Err(Diagnostic::new(
        Code::UnknownProvince,
        format!("no rules for province {name}"),
    )
    .with_help(format!("{guess}{listed}; or use --province auto")))
}

/// Which rule set runs on a report, and why ([`choose_rules`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleChoice {
    /// The set (index into the loaded sets).
    pub set: Option<usize>,
    /// The province: the set's, else the one the gazetteer found.
    pub province: Option<String>,
    /// The region found.
    pub region: Option<String>,
    /// The region's division code.
    pub adcode: Option<String>,
    /// Which evidence placed the region (issuer, title, text, url,
    /// manifest, path).
    pub region_source: Option<String>,
    /// In plain words: what decided ("issuer 宜兴市科学技术局 names 宜兴市 (江苏)").
    pub why: String,
}

/// Decides which rule set runs on `doc` under `choice`, the province and
/// region found, and what decided, in plain words (`explain` shows it).
/// A report whose province has no rules runs the common set, never a
/// neighbour's. The place is decided in `crate::province` from the text,
/// then the page's URL (its markup's or a manifest's, see
/// [`super::apply_page`]) or a crawler's host folder in its name.
pub fn choose_rules(rules: &LoadedRules, choice: &ProvinceChoice, doc: &Document) -> RuleChoice {
    let detection = crate::province::detect(
        doc.meta.issuer.as_deref(),
        doc.meta.title.as_deref(),
        &doc.text,
    );
    // The page's address (its markup's, a manifest's) or a crawler's host
    // folder in the path: after the text, which outweighs it.
    let detection = match (&doc.meta.url, doc.meta.url_from) {
        (Some(url), from) => crate::province::with_url(detection, url, from.unwrap_or("url")),
        (None, _) => crate::province::with_url(detection, &doc.name, "path"),
    };
    // The region within a province decided otherwise than by the text.
    let within = |p: &str| {
        crate::province::detect_in(
            p,
            doc.meta.issuer.as_deref(),
            doc.meta.title.as_deref(),
            &doc.text,
        )
    };
    match choice {
        ProvinceChoice::Fixed(i) => {
            let province = rules.sets[*i].province.as_ref().map(|p| p.name.clone());
            let placed = match &province {
                Some(p) if detection.province.as_deref() != Some(p.as_str()) => within(p),
                _ => detection,
            };
            RuleChoice {
                set: Some(*i),
                province,
                region: placed.region,
                adcode: placed.adcode,
                region_source: placed.source.map(str::to_string),
                why: "--province".into(),
            }
        }
        ProvinceChoice::Common(i, name) => {
            let placed = match detection.province.as_deref() {
                Some(p) if p == name.as_str() => detection,
                _ => within(name),
            };
            RuleChoice {
                set: Some(*i),
                province: Some(name.clone()),
                region: placed.region,
                adcode: placed.adcode,
                region_source: placed.source.map(str::to_string),
                why: format!("--province {name}; no rule file for {name}: the general rules"),
            }
        }
        ProvinceChoice::Auto => {
            let (chosen, why) = match detection.province.as_deref() {
                // The gazetteer decided: that province's rules, or the
                // common ones when it has none — never a neighbour's because
                // the report names one of its cities.
                Some(p) => match rules.province(p) {
                    Some(i) => (Some(i), detection.reason.clone()),
                    None => (
                        rules.fallback(),
                        format!(
                            "{}; no rule file for {p}: the general rules",
                            detection.reason
                        ),
                    ),
                },
                None => {
                    // The gazetteer could not decide: count the names a
                    // province file lists under `regions` in the report's head.
                    let head_end = crate::diag::floor_char_boundary(&doc.text, 4000);
                    let issuer = doc.meta.issuer.as_deref().unwrap_or("");
                    match rules.province_by_regions(&doc.text[..head_end], issuer) {
                        Some(i) => (
                            Some(i),
                            "the report's head names places its rule file lists under `regions`"
                                .to_string(),
                        ),
                        None => (
                            rules.fallback(),
                            "no place name decided: the general rules".into(),
                        ),
                    }
                }
            };
            let province =
                chosen.and_then(|i| rules.sets[i].province.as_ref().map(|p| p.name.clone()));
            // A province found otherwise (a rule file's `regions`) still
            // gets its region from the text.
            let placed = match (&province, &detection.province) {
                (Some(p), None) => within(p),
                _ => detection.clone(),
            };
            RuleChoice {
                set: chosen,
                province: province.or(detection.province),
                region: placed.region,
                adcode: placed.adcode,
                region_source: placed.source.map(str::to_string),
                why,
            }
        }
    }
}

//! Tests of the whole resolution: the sample storylines, the hard rules,
//! stability of ids and results, EM, and a scale harness.

mod em;
mod scale;
mod scenarios;
mod stability;
mod survivorship;
mod synth;
mod verdicts;

use chrono::NaiveDate;

use crate::model::PersonRecord;
use crate::rules::Vocab;
use crate::rules::name::normalize_name;

use super::{Resolution, ResolveOptions, resolve};

/// A record with a name normalized the way the pipeline does it.
pub(super) fn person(record_id: &str, name: &str) -> PersonRecord {
    let n = normalize_name(name, Vocab::builtin()).unwrap_or_else(|e| panic!("{name}: {e}"));
    PersonRecord {
        record_id: record_id.to_string(),
        name: Some(n.display.into()),
        name_key: Some(n.key.into()),
        name_latin: n.latin_key.map(Into::into),
        ..Default::default()
    }
}

pub(super) fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

pub(super) fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

/// The surviving record of every entity of `r`, resolved from `records`
/// with default survivorship rules.
pub(super) fn survivors_of(records: &[PersonRecord], r: &Resolution) -> Vec<PersonRecord> {
    super::survivors(r.entities.clone(), records.to_vec(), &Default::default())
}

/// Resolves with default options and no history.
pub(super) fn run(records: &[PersonRecord]) -> Resolution {
    resolve(records, None, &ResolveOptions::default())
}

/// The entities as sorted lists of member record ids, in entity order.
pub(super) fn groups(records: &[PersonRecord], r: &Resolution) -> Vec<Vec<String>> {
    r.entities
        .iter()
        .map(|e| {
            let mut ids: Vec<String> = e
                .members
                .iter()
                .map(|&i| records[i].record_id.clone())
                .collect();
            ids.sort();
            ids
        })
        .collect()
}

/// The record ids of a merge row.
pub(super) fn pair_ids<'a>(
    records: &'a [PersonRecord],
    r: &Resolution,
    m: &super::MergeRow,
) -> (&'a str, &'a str) {
    let (a, b) = r.records_of(m);
    (&records[a].record_id, &records[b].record_id)
}

/// The merge row of two record ids: `(score rounded to 0.01, decision, rule)`.
pub(super) fn row(
    records: &[PersonRecord],
    r: &Resolution,
    a: &str,
    b: &str,
) -> (String, &'static str, Option<&'static str>) {
    let m = r
        .merges
        .iter()
        .find(|m| pair_ids(records, r, m) == (a, b))
        .unwrap_or_else(|| panic!("no merge row for {a} {b}"));
    (format!("{:.2}", m.score), m.decision.name(), m.rule)
}

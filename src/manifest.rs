//! The run manifest: what was read (with hashes), what came out, and the row
//! accounting that proves nothing was lost.
//!
//! `manifest.json` is deterministic except for the `timings_ms` object and
//! what the reuse cache did (`cache`, each input's `reused`, each source's
//! `files_reused`), so two runs over the same inputs differ only there.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ingest::excel::SheetInfo;
use crate::output::Written;

/// One input file.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    pub source: String,
    pub kind: &'static str,
    pub path: String,
    pub size: u64,
    pub sha256: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding_evidence: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<SheetInfo>,
    /// Chat: the export format and why it was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_format: Option<String>,
    /// Chat: what the parser decided and why (date order, time zone…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why the file could not be read at all, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Whether this run took what it needed of the file from the reuse
    /// cache (`.cache/`) instead of reading and normalizing it.
    pub reused: bool,
}

/// Row accounting for one source: `rows_read = rows_kept + rows_quarantined
/// + rows_non_data + rows_merged`, checked on every run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SourceCounts {
    pub source: String,
    pub kind: &'static str,
    pub files: usize,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub rows_quarantined: u64,
    pub rows_non_data: u64,
    pub rows_merged: u64,
    /// Non-data rows by kind: title, header, blank, note, total, skipped sheet.
    pub non_data: BTreeMap<String, u64>,
    pub values_quarantined: u64,
    pub files_failed: usize,
    /// Files taken from the reuse cache instead of read.
    pub files_reused: usize,
}

impl SourceCounts {
    /// Whether the accounting identity holds.
    pub fn balances(&self) -> bool {
        self.rows_read
            == self.rows_kept + self.rows_quarantined + self.rows_non_data + self.rows_merged
    }
}

/// The whole manifest.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub hrflow_version: &'static str,
    pub pipeline: String,
    pub name: String,
    pub inputs: Vec<InputFile>,
    pub sources: Vec<SourceCounts>,
    /// Rows per output table.
    pub tables: BTreeMap<String, usize>,
    /// Quarantine entries by reason (the reason text up to its first colon).
    pub quarantine_by_reason: BTreeMap<String, u64>,
    /// Sheets and files looked at and not read as data, with why.
    pub skipped: Vec<SkippedEntry>,
    /// What entity resolution did: pairs, merges, score histogram, weights.
    /// The date time-relative rules were evaluated at (`--as-of`).
    pub as_of: String,
    pub resolution: crate::entities::ResolutionSummary,
    /// Verdicts read back from the previous review list, and the cells that
    /// could not be read as one.
    pub review_verdicts: crate::review::Verdicts,
    /// What chat extraction found and linked.
    pub chat: crate::chatlink::ChatSummary,
    /// What contact logs and returned recall workbooks added.
    pub contacts: crate::contacts::ContactSummary,
    /// Who is on this run's recall lists and which notices it wrote.
    pub lists: ListsSummary,
    /// What changed since the previous run into the same folder (absent on
    /// a first run); one row per change in `changes.csv`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_previous: Option<crate::since::Since>,
    pub outputs: Vec<Written>,
    pub failures: Vec<String>,
    /// What the reuse cache saved this run, and any entry it refused.
    pub cache: crate::cache::CacheSummary,
    /// Wall time per stage.
    pub timings_ms: BTreeMap<String, u64>,
}

/// The recall lists and rejection notices of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ListsSummary {
    /// Per position id: the candidate ids on its recall list, in rank order.
    pub recall: BTreeMap<String, Vec<String>>,
    /// Application ids whose rejection notice this run wrote.
    pub notices_written: Vec<String>,
    /// Notices due but not written, with why: `(application id, problem)`.
    pub notices_held: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SkippedEntry {
    pub source: String,
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub reason: String,
    pub rows: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounting_identity() {
        let mut c = SourceCounts {
            rows_read: 10,
            rows_kept: 6,
            rows_quarantined: 1,
            rows_non_data: 3,
            ..Default::default()
        };
        assert!(c.balances());
        c.rows_kept = 5;
        assert!(!c.balances());
    }
}

//! What changed since the previous run into the same output folder: input
//! files new, changed (by SHA-256), unchanged and gone, and what that did to
//! the candidates — new people, known people with new records, candidates
//! merged into others, candidates no longer present.
//!
//! The previous run is read from the folder before it is overwritten: its
//! `manifest.json` (input paths and hashes, as-of date) and `id_map.csv`
//! (record → candidate). A nightly run over a growing set of files so
//! reports exactly what arrived since last night, in `manifest.json`
//! (`since_previous`) and as one row per change in `changes.csv`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use crate::manifest::InputFile;
use crate::resolve::IdMap;

/// The file of one change per row.
pub const CHANGES_FILE: &str = "changes.csv";

/// The previous run's inputs, read from its manifest.
#[derive(Debug, Clone, Default)]
pub struct PreviousRun {
    /// `as_of` of the previous run.
    pub as_of: Option<String>,
    /// Input path → SHA-256.
    pub inputs: BTreeMap<String, String>,
}

/// Reads the previous manifest in `out`, if there is one that parses.
pub fn read_previous_run(out: &Path) -> Option<PreviousRun> {
    let text = std::fs::read_to_string(out.join("manifest.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let inputs = v
        .get("inputs")?
        .as_array()?
        .iter()
        .filter_map(|i| {
            Some((
                i.get("path")?.as_str()?.to_string(),
                i.get("sha256")?.as_str()?.to_string(),
            ))
        })
        .collect();
    Some(PreviousRun {
        as_of: v.get("as_of").and_then(|a| a.as_str()).map(str::to_string),
        inputs,
    })
}

/// What changed since the previous run.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Since {
    /// The previous run's as-of date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_as_of: Option<String>,
    pub files_new: Vec<String>,
    pub files_changed: Vec<String>,
    pub files_unchanged: usize,
    pub files_gone: Vec<String>,
    /// Source records (rows) not in the previous run.
    pub records_new: usize,
    /// Source records of the previous run no longer read.
    pub records_gone: usize,
    /// Candidates that did not exist before.
    pub candidates_new: Vec<String>,
    /// Known candidates with records they did not have before.
    pub candidates_with_new_records: Vec<String>,
    /// `(old id, new id)`: candidates merged into another one.
    pub candidates_merged: Vec<(String, String)>,
    /// Previous candidates with no record left (their files are gone), not
    /// merged anywhere.
    pub candidates_gone: Vec<String>,
}

/// Compares this run with the previous one. `previous_map` and
/// `current_map` map record ids to candidate ids; `merged` are the id
/// changes resolution reported.
pub fn compare(
    previous: &PreviousRun,
    inputs: &[InputFile],
    previous_map: &IdMap,
    current_map: &IdMap,
    merged: &[(String, String)],
) -> Since {
    let mut s = Since {
        previous_as_of: previous.as_of.clone(),
        ..Default::default()
    };
    let current_paths: BTreeSet<&str> = inputs.iter().map(|i| i.path.as_str()).collect();
    for i in inputs {
        match previous.inputs.get(&i.path) {
            None => s.files_new.push(i.path.clone()),
            Some(h) if *h != i.sha256 => s.files_changed.push(i.path.clone()),
            Some(_) => s.files_unchanged += 1,
        }
    }
    s.files_gone = previous
        .inputs
        .keys()
        .filter(|p| !current_paths.contains(p.as_str()))
        .cloned()
        .collect();
    s.files_new.sort();
    s.files_changed.sort();

    let previous_ids: BTreeSet<&str> = previous_map.candidate_ids().collect();
    let current_ids: BTreeSet<&str> = current_map.candidate_ids().collect();
    let mut gained: BTreeSet<&str> = BTreeSet::new();
    // Both maps are in record-id order: one walk over the two.
    let mut before = previous_map.iter().map(|(r, _)| r).peekable();
    for (record, candidate) in current_map.iter() {
        while before.next_if(|&r| r < record).is_some() {
            s.records_gone += 1;
        }
        if before.next_if(|&r| r == record).is_some() {
            continue;
        }
        s.records_new += 1;
        if previous_ids.contains(candidate) {
            gained.insert(candidate);
        }
    }
    s.records_gone += before.count();
    s.candidates_new = current_ids
        .difference(&previous_ids)
        .map(|c| c.to_string())
        .collect();
    s.candidates_with_new_records = gained.into_iter().map(str::to_string).collect();
    s.candidates_merged = merged
        .iter()
        .filter(|(old, _)| previous_ids.contains(old.as_str()))
        .cloned()
        .collect();
    s.candidates_merged.sort();
    let merged_away: BTreeSet<&str> = s
        .candidates_merged
        .iter()
        .map(|(o, _)| o.as_str())
        .collect();
    s.candidates_gone = previous_ids
        .difference(&current_ids)
        .filter(|c| !merged_away.contains(*c))
        .map(|c| c.to_string())
        .collect();
    s
}

impl Since {
    /// One row per change: `(change, id, detail)`, in a fixed order.
    pub fn rows(&self) -> Vec<(&'static str, String, String)> {
        let mut rows = Vec::new();
        for f in &self.files_new {
            rows.push(("file_new", f.clone(), String::new()));
        }
        for f in &self.files_changed {
            rows.push(("file_changed", f.clone(), String::new()));
        }
        for f in &self.files_gone {
            rows.push(("file_gone", f.clone(), String::new()));
        }
        for c in &self.candidates_new {
            rows.push(("candidate_new", c.clone(), String::new()));
        }
        for c in &self.candidates_with_new_records {
            rows.push(("candidate_new_records", c.clone(), String::new()));
        }
        for (old, new) in &self.candidates_merged {
            rows.push(("candidate_merged", old.clone(), format!("now {new}")));
        }
        for c in &self.candidates_gone {
            rows.push(("candidate_gone", c.clone(), String::new()));
        }
        rows
    }

    /// One line for the run summary.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!(
            "{} new, {} changed, {} unchanged, {} gone files",
            self.files_new.len(),
            self.files_changed.len(),
            self.files_unchanged,
            self.files_gone.len()
        )];
        parts.push(format!(
            "{} new and {} gone records",
            self.records_new, self.records_gone
        ));
        parts.push(format!(
            "{} new candidates, {} with new records, {} merged into others, {} gone",
            self.candidates_new.len(),
            self.candidates_with_new_records.len(),
            self.candidates_merged.len(),
            self.candidates_gone.len()
        ));
        let since = self
            .previous_as_of
            .as_deref()
            .map(|d| format!(" (as of {d})"))
            .unwrap_or_default();
        format!("Since the previous run{since}: {}.", parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, sha: &str) -> InputFile {
        InputFile {
            source: "source[1]".into(),
            kind: "excel",
            path: path.into(),
            size: 1,
            sha256: sha.into(),
            encoding: None,
            encoding_evidence: None,
            delimiter: None,
            sheets: Vec::new(),
            chat_format: None,
            notes: Vec::new(),
            error: None,
            reused: false,
        }
    }

    fn map(pairs: &[(&str, &str)]) -> IdMap {
        pairs.iter().copied().collect()
    }

    #[test]
    fn files_records_and_candidates_are_compared() {
        let previous = PreviousRun {
            as_of: Some("2024-06-30".into()),
            inputs: [("a.xlsx", "1"), ("b.csv", "2"), ("old.csv", "3")]
                .iter()
                .map(|(p, h)| (p.to_string(), h.to_string()))
                .collect(),
        };
        let inputs = [
            input("a.xlsx", "1"),
            input("b.csv", "9"),
            input("new.xlsx", "4"),
        ];
        let before = map(&[("R1", "C1"), ("R2", "C2"), ("R3", "C3"), ("R4", "C4")]);
        // R5 joins C1, R6 is a new person, C3 merged into C2, R4's file is gone.
        let after = map(&[
            ("R1", "C1"),
            ("R2", "C2"),
            ("R3", "C2"),
            ("R5", "C1"),
            ("R6", "C6"),
        ]);
        let s = compare(
            &previous,
            &inputs,
            &before,
            &after,
            &[("C3".into(), "C2".into())],
        );
        assert_eq!(s.files_new, vec!["new.xlsx"]);
        assert_eq!(s.files_changed, vec!["b.csv"]);
        assert_eq!(s.files_unchanged, 1);
        assert_eq!(s.files_gone, vec!["old.csv"]);
        assert_eq!((s.records_new, s.records_gone), (2, 1));
        assert_eq!(s.candidates_new, vec!["C6"]);
        assert_eq!(s.candidates_with_new_records, vec!["C1"]);
        assert_eq!(s.candidates_merged, vec![("C3".into(), "C2".into())]);
        assert_eq!(s.candidates_gone, vec!["C4"]);
        assert_eq!(s.rows().len(), 7);
        assert_eq!(
            s.describe(),
            "Since the previous run (as of 2024-06-30): 1 new, 1 changed, 1 unchanged, 1 gone files; \
             2 new and 1 gone records; 1 new candidates, 1 with new records, 1 merged into others, 1 gone."
        );
    }

    #[test]
    fn an_identical_run_changes_nothing() {
        let previous = PreviousRun {
            as_of: None,
            inputs: [("a.xlsx".to_string(), "1".to_string())].into(),
        };
        let m = map(&[("R1", "C1")]);
        let s = compare(&previous, &[input("a.xlsx", "1")], &m, &m, &[]);
        assert!(s.rows().is_empty());
        assert_eq!(s.files_unchanged, 1);
    }
}

//! The short text summary `hrflow run` prints: rows per source, what was
//! quarantined, where the outputs are, and how long it took.

use std::fmt::Write as _;

use crate::plan::Plan;
use crate::run::RunSummary;

/// Renders the run summary.
pub fn render(plan: &Plan, s: &RunSummary) -> String {
    let m = &s.manifest;
    let mut out = String::new();
    let files: usize = m.inputs.len();
    writeln!(
        out,
        "Pipeline `{}`: {} files from {} sources.",
        plan.name,
        files,
        m.sources.len()
    )
    .ok();
    for c in &m.sources {
        let src = plan.sources.iter().find(|p| p.label == c.source);
        let what = src
            .map(|p| {
                let names: Vec<&str> = p.files.iter().map(|(_, d)| d.as_str()).collect();
                names.join(", ")
            })
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<10} {:<5} {:>6} rows: {} kept, {} quarantined, {} non-data  [{}]",
            c.source, c.kind, c.rows_read, c.rows_kept, c.rows_quarantined, c.rows_non_data, what
        )
        .ok();
    }
    let r = &m.resolution;
    writeln!(
        out,
        "Resolution: {} records → {} candidates ({} merged); {} pairs compared, {} merged, {} for review (review.xlsx).",
        r.records, r.candidates, r.records_merged, r.pairs_compared, r.pairs_merged, r.pairs_for_review
    )
    .ok();
    let v = &m.review_verdicts;
    let applied = &r.verdicts;
    if applied.same + applied.different + applied.not_found > 0 || !v.problems.is_empty() {
        writeln!(
            out,
            "Review verdicts: {} new; applied {} (same) and {} (different); {} name a record no longer read.",
            v.new, applied.same, applied.different, applied.not_found
        )
        .ok();
        for p in &v.problems {
            writeln!(out, "  not applied: {p}").ok();
        }
    }
    let tables: Vec<String> = m
        .tables
        .iter()
        .filter(|(k, _)| *k != "lineage")
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    writeln!(out, "Tables: {}.", tables.join(", ")).ok();
    let values: u64 = m.sources.iter().map(|c| c.values_quarantined).sum();
    let rows: u64 = m.sources.iter().map(|c| c.rows_quarantined).sum();
    let ambiguous = m.chat.ambiguous_mentions;
    let chat = if ambiguous > 0 {
        format!(" and {ambiguous} ambiguous chat mentions")
    } else {
        String::new()
    };
    writeln!(out, "Quarantine: {rows} rows, {values} values{chat}; see quarantine.csv for each location and reason.").ok();
    if m.chat.files > 0 {
        writeln!(
            out,
            "Chats: {} messages → {} events ({} on known candidates), {} leads, {} opt-outs.",
            m.chat.messages,
            m.chat.events,
            m.chat.events_on_known_candidates,
            m.chat.leads,
            m.chat.opt_outs
        )
        .ok();
    }
    if let Some(since) = &m.since_previous {
        writeln!(
            out,
            "{} See {}.",
            since.describe(),
            crate::since::CHANGES_FILE
        )
        .ok();
    }
    let cache = &m.cache;
    if cache.enabled {
        let removed = match cache.entries_removed {
            0 => String::new(),
            1 => "; 1 cache entry no longer needed removed".to_string(),
            n => format!("; {n} cache entries no longer needed removed"),
        };
        writeln!(
            out,
            "Cache: reused {} of {} sources ({} of {} files); read {} {}{removed}.",
            cache.sources_reused,
            m.sources.len(),
            cache.files_reused,
            files,
            cache.files_read,
            if cache.files_read == 1 {
                "file"
            } else {
                "files"
            }
        )
        .ok();
    } else {
        writeln!(
            out,
            "Cache: not used (`--no-cache`); read all {files} files."
        )
        .ok();
    }
    for p in &cache.problems {
        writeln!(out, "Cache: {p}.").ok();
    }
    if m.outputs.iter().any(|o| o.path == crate::report::HTML_FILE) {
        writeln!(
            out,
            "Report: {} and {} (the model in {}).",
            crate::report::HTML_FILE,
            crate::report::XLSX_FILE,
            crate::report::JSON_FILE
        )
        .ok();
    }
    if !m.skipped.is_empty() {
        writeln!(
            out,
            "Skipped: {} sheets or files (listed in manifest.json).",
            m.skipped.len()
        )
        .ok();
    }
    writeln!(
        out,
        "Wrote {} files to {} in {:.2} s.",
        m.outputs.len() + 1,
        s.out_dir.display(),
        s.elapsed_ms as f64 / 1000.0
    )
    .ok();
    out
}

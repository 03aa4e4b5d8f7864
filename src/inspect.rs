//! `hrflow inspect <file>`: how hrflow reads a file, before any pipeline
//! exists. Shows the encoding and delimiter (text) or the sheets (workbooks),
//! the header row chosen and why, the column mapping, and the first rows as
//! read — the things a user needs to write `columns` overrides.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::ingest::header::{Expect, HeaderOptions, HeaderTable, MatchKind};
use crate::ingest::{RawTable, decode, delimited, excel};

const EXCEL_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods", "xla", "xlam"];

/// Renders the inspection report for `path`, showing `rows` data rows.
pub fn inspect(path: &Path, rows: usize) -> Result<String, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let overrides = BTreeMap::new();
    let mut out = String::new();
    writeln!(out, "File: {}", path.display()).ok();
    if EXCEL_EXTENSIONS.contains(&ext.as_str()) {
        let mut reads = Vec::new();
        for expect in [
            Expect::Candidates,
            Expect::Positions,
            Expect::Contacts,
            Expect::RecallOutcomes,
        ] {
            let opts = excel::ExcelOptions {
                sheets: None,
                include_hidden: true,
                header_row: None,
                header: HeaderOptions {
                    table: if expect == Expect::RecallOutcomes {
                        HeaderTable::recall_outcomes()
                    } else {
                        HeaderTable::builtin()
                    },
                    overrides: &overrides,
                    expect,
                    forced_row: None,
                },
            };
            let wb = excel::read_workbook(path, &path.display().to_string(), &opts)?;
            reads.push((wb, expect));
        }
        // A returned recall workbook is recognised by its exact columns; a
        // contact log by a contact column (time, result, who, channel);
        // otherwise the reading that finds the most tables wins.
        let contact_columns = |wb: &excel::WorkbookRead| {
            wb.tables.iter().any(|t| {
                t.header
                    .columns
                    .iter()
                    .any(|c| c.field.is_some_and(|f| f.is_contact_field()))
            })
        };
        let pick = reads
            .iter()
            .position(|(wb, e)| *e == Expect::RecallOutcomes && !wb.tables.is_empty())
            .or_else(|| {
                reads
                    .iter()
                    .position(|(wb, e)| *e == Expect::Contacts && contact_columns(wb))
            })
            .unwrap_or_else(|| {
                let mut best = 0;
                for (i, (wb, e)) in reads.iter().enumerate() {
                    if matches!(e, Expect::Candidates | Expect::Positions)
                        && wb.tables.len() > reads[best].0.tables.len()
                    {
                        best = i;
                    }
                }
                best
            });
        let (wb, expect) = reads.swap_remove(pick);
        if wb.tables.is_empty() {
            let mut hints = String::new();
            for name in excel::sheet_names(path).unwrap_or_default() {
                let Ok(grid) = excel::sheet_grid(path, &name) else {
                    continue;
                };
                if let Some(h) = survey_hint(&grid, &format!("{}#{name}", path.display())) {
                    writeln!(hints, "Sheet {name}:").ok();
                    hints.push_str(&h);
                }
            }
            if !hints.is_empty() {
                writeln!(out, "Kind: workbook").ok();
                out.push_str(&hints);
                return Ok(out);
            }
        }
        writeln!(
            out,
            "Kind: workbook, read as {}",
            match expect {
                Expect::Candidates => "candidates",
                Expect::Positions => "positions (role = \"positions\")",
                Expect::Contacts => "a contact log (role = \"contacts\")",
                Expect::RecallOutcomes => "a returned recall workbook (role = \"recall_outcomes\")",
            }
        )
        .ok();
        writeln!(out, "Sheets:").ok();
        for s in &wb.sheets {
            writeln!(
                out,
                "  - {} ({} {}): {}",
                s.name, s.visibility, s.kind, s.outcome
            )
            .ok();
        }
        for t in &wb.tables {
            render_table(&mut out, t, rows);
        }
    } else {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        if bytes.is_empty() {
            return Err(format!("`{}` is empty (0 bytes)", path.display()));
        }
        let d = decode::decode(&bytes, None);
        // A `.csv` or `.tsv` is a chat export only when its content says so
        // with a specific format; the extension alone, or a first line that
        // merely starts with a date, time and name (the generic log, which
        // a form export with a timestamp column also matches), means an
        // ordinary table.
        let tabular = matches!(ext.as_str(), "csv" | "tsv");
        let chat = crate::chat::detect(&d.text, &path.display().to_string()).filter(|(f, why)| {
            let by_extension =
                *f == crate::chat::ChatFormat::WechatCsv && why.starts_with("file extension");
            let generic_table = tabular && *f == crate::chat::ChatFormat::Generic;
            !(by_extension || generic_table)
        });
        if let Some((format, why)) = chat {
            render_chat(&mut out, &d, format, why, rows);
            return Ok(out);
        }
        let delimiter = delimited::sniff(&d.text);
        writeln!(out, "Kind: delimited text").ok();
        writeln!(
            out,
            "Encoding: {} ({}){}",
            d.encoding,
            d.evidence.describe(),
            if d.had_errors {
                "; some bytes were invalid and show as U+FFFD"
            } else {
                ""
            }
        )
        .ok();
        writeln!(out, "Delimiter: {delimiter} (sniffed)").ok();
        let (grid, rejected) = delimited::read_grid(&d.text, delimiter);
        if let Some(hint) = survey_hint(&grid, &path.display().to_string()) {
            out.push_str(&hint);
            return Ok(out);
        }
        let opts = HeaderOptions {
            table: HeaderTable::builtin(),
            overrides: &overrides,
            expect: Expect::Candidates,
            forced_row: None,
        };
        match crate::ingest::header::detect(&grid, &opts) {
            Ok(h) => {
                let width = grid.rows[h.row].len();
                let mut t = RawTable::from_grid(path.display().to_string(), None, grid, h);
                t.rejected = rejected;
                delimited::reject_ragged(&mut t, width, delimiter);
                render_table(&mut out, &t, rows);
            }
            Err(e) => {
                writeln!(out, "Header: none found: {e}").ok();
            }
        }
    }
    Ok(out)
}

/// A description of `grid` read as candidate survey answers, when it is
/// one: the header names survey questions (or it is a long layout) and
/// answers come out of it.
fn survey_hint(grid: &crate::ingest::Grid, source: &str) -> Option<String> {
    let bank = crate::stats::QuestionBank::builtin();
    let read = crate::ingest::survey::read_grid(grid, source, None, None, bank).ok()?;
    if read.responses.is_empty() {
        return None;
    }
    let mut out = String::new();
    let layout = match read.layout {
        Some(crate::plan::SurveyLayout::Long) => "long",
        _ => "wide",
    };
    writeln!(
        out,
        "Read as: candidate survey answers (role = \"survey\", layout = \"{layout}\")"
    )
    .ok();
    writeln!(
        out,
        "Rows: {} read, {} kept, {} quarantined, {} not data; {} answers",
        read.rows_read,
        read.rows_kept,
        read.rows_quarantined,
        read.non_data_total(),
        read.responses.len()
    )
    .ok();
    if !read.unmatched_columns.is_empty() {
        writeln!(
            out,
            "Columns naming no question: {}",
            read.unmatched_columns.join(", ")
        )
        .ok();
    }
    for p in read.problems.iter().take(10) {
        writeln!(
            out,
            "  row {} {}: `{}`: {}",
            p.row, p.column, p.value, p.reason
        )
        .ok();
    }
    Some(out)
}

fn render_chat(
    out: &mut String,
    d: &decode::Decoded,
    format: crate::chat::ChatFormat,
    why: &str,
    rows: usize,
) {
    let parsed = crate::chat::parse(&d.text, format, &crate::chat::ParseOptions::default());
    writeln!(out, "Kind: chat export").ok();
    writeln!(out, "Format: {} ({why})", format.name()).ok();
    writeln!(out, "Encoding: {} ({})", d.encoding, d.evidence.describe()).ok();
    if let Some(name) = &parsed.chat_name {
        writeln!(out, "Chat: {name}").ok();
    }
    writeln!(
        out,
        "Messages: {} ({} unreadable lines)",
        parsed.messages.len(),
        parsed.rejected.len()
    )
    .ok();
    for note in &parsed.notes {
        writeln!(out, "Note: {note}").ok();
    }
    for m in parsed.messages.iter().take(rows) {
        let who = m
            .sender
            .as_deref()
            .or(m.sender_id.as_deref())
            .unwrap_or(if m.is_system { "(system)" } else { "?" });
        writeln!(
            out,
            "  line {:>4}  {}  {who}: {}",
            m.line,
            m.at.format("%Y-%m-%d %H:%M:%S"),
            m.text.replace('\n', "⏎")
        )
        .ok();
    }
    for r in parsed.rejected.iter().take(rows) {
        writeln!(
            out,
            "  unreadable line {}: {} ({})",
            r.line, r.raw, r.reason
        )
        .ok();
    }
}

fn render_table(out: &mut String, t: &RawTable, rows: usize) {
    writeln!(out).ok();
    if let Some(s) = &t.sheet {
        writeln!(out, "Sheet `{s}`").ok();
    }
    writeln!(out, "Header: {}", t.header.why).ok();
    writeln!(out, "Columns:").ok();
    for (c, letter) in t.header.columns.iter().zip(&t.column_names) {
        let target = match (c.field, c.how, c.ignored) {
            (_, _, true) => "ignored".to_string(),
            (Some(f), Some(MatchKind::Exact), _) => f.name().to_string(),
            (Some(f), Some(MatchKind::Contains), _) => format!("{} (partial match)", f.name()),
            (Some(f), _, _) => format!("{} (override)", f.name()),
            (None, _, _) => "extra (kept as is)".to_string(),
        };
        let hint = c
            .unit_hint
            .as_deref()
            .map(|h| format!(" [unit: {h}]"))
            .unwrap_or_default();
        writeln!(out, "  {letter:>3}  {} → {target}{hint}", c.label).ok();
    }
    let non_data: Vec<String> = t.non_data.iter().map(|(k, v)| format!("{v} {k}")).collect();
    writeln!(
        out,
        "Rows: {} read, {} data, {} rejected, non-data: {}",
        t.rows_read,
        t.rows.len(),
        t.rejected.len(),
        if non_data.is_empty() {
            "none".to_string()
        } else {
            non_data.join(", ")
        }
    )
    .ok();
    for r in t.rows.iter().take(rows) {
        let cells: Vec<String> = t
            .header
            .columns
            .iter()
            .map(|c| {
                r.cells
                    .get(c.index)
                    .map(|x| x.as_text())
                    .unwrap_or_default()
                    .replace('\n', "⏎")
            })
            .collect();
        writeln!(out, "  row {:>4}: {}", r.row, cells.join(" | ")).ok();
    }
    for r in t.rejected.iter().take(rows) {
        writeln!(out, "  rejected row {}: {} ({})", r.row, r.raw, r.reason).ok();
    }
}

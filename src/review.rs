//! The review list and the verdicts a person writes into it.
//!
//! Resolution leaves pairs it cannot decide for a person (`review.xlsx`,
//! most likely one person first, and `review.csv` with every pair). The
//! person writes `same` or `different` (or 是 / 否, 同一人 / 不同人…) in a
//! pair's `verdict` column and runs again: the next run reads the verdicts
//! back from the output folder before it resolves, merges or separates the
//! pairs accordingly (see [`crate::resolve::resolve_reviewed`]) and keeps
//! every verdict it has seen in `review_verdicts.csv`, so a verdict outlives
//! the review list it was written in. Removing a row from that file takes
//! its verdict back; the pair is reviewed again if it still needs it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::entities::ReviewPair;
use crate::ingest::{Cell, Grid};
use crate::output::Written;
use crate::resolve::Verdict;

/// The review workbook: the first pairs of the list, most likely first.
pub const REVIEW_XLSX: &str = "review.xlsx";
/// Every pair of the review list, in the workbook's order.
pub const REVIEW_CSV: &str = "review.csv";
/// Every verdict read so far.
pub const VERDICTS_CSV: &str = "review_verdicts.csv";
/// The sheet of the review workbook.
pub const SHEET: &str = "review";

/// What a verdict cell may say for one person (after trimming, lower-cased).
const SAME: &[&str] = &[
    "same",
    "same person",
    "yes",
    "y",
    "true",
    "merge",
    "是",
    "同一人",
    "同一个人",
    "是同一人",
    "相同",
    "合并",
];
/// What a verdict cell may say for two people.
const DIFFERENT: &[&str] = &[
    "different",
    "different people",
    "no",
    "n",
    "false",
    "separate",
    "否",
    "不是",
    "不同",
    "不同人",
    "不是同一人",
    "分开",
];

/// The verdict a cell's text gives: `Some(true)` one person, `Some(false)`
/// two, `None` for anything else. Full-width letters and surrounding
/// spaces do not matter.
pub fn parse_verdict(text: &str) -> Option<bool> {
    let t = crate::rules::text::nfkc_clean(text).trim().to_lowercase();
    if SAME.contains(&t.as_str()) {
        Some(true)
    } else if DIFFERENT.contains(&t.as_str()) {
        Some(false)
    } else {
        None
    }
}

fn verdict_word(same: bool) -> &'static str {
    if same { "same" } else { "different" }
}

/// The verdicts found in an output folder.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Verdicts {
    /// One per pair (record ids in order), sorted.
    #[serde(skip)]
    pub list: Vec<Verdict>,
    /// Verdict cells filled in the review list since the last run.
    pub new: usize,
    /// Cells that could not be read as a verdict, or pairs given two
    /// different verdicts: each names the file, sheet, row, column and the
    /// value seen. Those cells are not applied.
    pub problems: Vec<String>,
}

/// Where a verdict was read: for messages.
struct Seen {
    same: bool,
    at: String,
}

/// Reads the verdicts of the previous run's output folder `out`: those kept
/// in [`VERDICTS_CSV`], then the ones filled in [`REVIEW_CSV`] and
/// [`REVIEW_XLSX`] since (which win over a kept one for the same pair).
/// A missing file is no verdict; a file that cannot be read is a problem.
pub fn read(out: &Path) -> Verdicts {
    let mut problems = Vec::new();
    let mut kept: BTreeMap<(String, String), Seen> = BTreeMap::new();
    for (pair, seen) in read_file(out, VERDICTS_CSV, &mut problems) {
        kept.insert(pair, seen);
    }
    let mut filled: BTreeMap<(String, String), Seen> = BTreeMap::new();
    let mut conflicting: Vec<(String, String)> = Vec::new();
    for file in [REVIEW_CSV, REVIEW_XLSX] {
        for (pair, seen) in read_file(out, file, &mut problems) {
            match filled.get(&pair) {
                Some(earlier) if earlier.same != seen.same => {
                    problems.push(format!(
                        "{}: `{}` contradicts {} (`{}`); neither is applied",
                        seen.at,
                        verdict_word(seen.same),
                        earlier.at,
                        verdict_word(earlier.same),
                    ));
                    conflicting.push(pair);
                }
                Some(_) => {}
                None => {
                    filled.insert(pair, seen);
                }
            }
        }
    }
    for pair in &conflicting {
        filled.remove(pair);
    }
    let new = filled
        .iter()
        .filter(|(pair, seen)| kept.get(*pair).is_none_or(|k| k.same != seen.same))
        .count();
    kept.extend(filled);
    Verdicts {
        list: kept
            .into_iter()
            .map(|((record_a, record_b), seen)| Verdict {
                record_a,
                record_b,
                same: seen.same,
            })
            .collect(),
        new,
        problems,
    }
}

/// The filled verdict cells of one file in `out`, keyed by the pair's
/// record ids in order.
fn read_file(out: &Path, file: &str, problems: &mut Vec<String>) -> Vec<((String, String), Seen)> {
    let path = out.join(file);
    if !path.is_file() {
        return Vec::new();
    }
    let (grid, place) = if file.ends_with(".xlsx") {
        match crate::ingest::excel::sheet_grid(&path, SHEET) {
            Ok(grid) => (grid, format!("{file} › {SHEET}")),
            Err(e) => {
                problems.push(format!("{file}: {e}; its verdicts are not read"));
                return Vec::new();
            }
        }
    } else {
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = crate::ingest::decode::decode(&bytes, None).text;
                let delimiter = crate::ingest::delimited::sniff(&text);
                (
                    crate::ingest::delimited::read_grid(&text, delimiter).0,
                    file.to_string(),
                )
            }
            Err(e) => {
                problems.push(format!("{file}: {e}; its verdicts are not read"));
                return Vec::new();
            }
        }
    };
    verdict_cells(&grid, &place, problems)
}

/// The verdicts of a grid whose first row names the columns `record_a`,
/// `record_b` and `verdict`.
fn verdict_cells(
    grid: &Grid,
    place: &str,
    problems: &mut Vec<String>,
) -> Vec<((String, String), Seen)> {
    let Some(header) = grid.rows.first() else {
        return Vec::new();
    };
    let find = |name: &str| header.iter().position(|c| c.as_text() == name);
    let (Some(a), Some(b), Some(v)) = (find("record_a"), find("record_b"), find("verdict")) else {
        problems.push(format!(
            "{place}: no `record_a`, `record_b` and `verdict` columns in its first row; \
             its verdicts are not read"
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (r, row) in grid.rows.iter().enumerate().skip(1) {
        let text = |c: usize| row.get(c).map(Cell::as_text).unwrap_or_default();
        let value = text(v);
        if value.is_empty() {
            continue;
        }
        let at = format!(
            "{place} › row {} › column {} (verdict)",
            grid.sheet_row(r),
            grid.column_name(v)
        );
        let (x, y) = (text(a), text(b));
        let Some(same) = parse_verdict(&value) else {
            problems.push(format!(
                "{at}: `{value}` is not a verdict (same / different, 是 / 否); not applied"
            ));
            continue;
        };
        if x.is_empty() || y.is_empty() || x == y {
            problems.push(format!(
                "{at}: `{value}` is given for a row without two record ids (`{x}`, `{y}`); not applied"
            ));
            continue;
        }
        let pair = if x < y { (x, y) } else { (y, x) };
        out.push((pair, Seen { same, at }));
    }
    out
}

/// Writes the review list into `out`: [`REVIEW_XLSX`] with its first
/// `limit` pairs and a drop-down on the verdict column, [`REVIEW_CSV`]
/// with all of them, and [`VERDICTS_CSV`] with every verdict known (when
/// there is one, or the file was there before). Returns what was written.
pub fn write(
    out: &Path,
    pairs: &[ReviewPair],
    verdicts: &[Verdict],
    limit: usize,
) -> std::io::Result<Vec<Written>> {
    let mut written = Vec::new();
    let all = crate::tables::review(pairs).map_err(std::io::Error::other)?;
    let shown = all.head(Some(limit));
    write_workbook(&out.join(REVIEW_XLSX), &shown)?;
    written.push(Written {
        path: REVIEW_XLSX.into(),
        rows: shown.height(),
    });
    drop(shown);
    crate::output::csv::write(&out.join(REVIEW_CSV), &all)?;
    written.push(Written {
        path: REVIEW_CSV.into(),
        rows: all.height(),
    });
    let path = out.join(VERDICTS_CSV);
    if !verdicts.is_empty() || path.is_file() {
        crate::output::write_atomic(&path, |w| {
            use std::io::Write;
            w.write_all(b"\xEF\xBB\xBF")?;
            let mut csv = csv::Writer::from_writer(w);
            csv.write_record(["record_a", "record_b", "verdict"])?;
            for v in verdicts {
                csv.write_record([
                    crate::output::safe_text(&v.record_a).as_ref(),
                    crate::output::safe_text(&v.record_b).as_ref(),
                    verdict_word(v.same),
                ])?;
            }
            csv.flush()
        })?;
        written.push(Written {
            path: VERDICTS_CSV.into(),
            rows: verdicts.len(),
        });
    }
    Ok(written)
}

/// The review workbook: the house style plus a drop-down of `same` /
/// `different` on the verdict column.
fn write_workbook(path: &Path, df: &polars::prelude::DataFrame) -> std::io::Result<()> {
    use rust_xlsxwriter::DataValidation;
    let mut wb = crate::output::xlsx::list_workbook();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(std::io::Error::other)?;
    crate::output::xlsx::fill_sheet(ws, df).map_err(std::io::Error::other)?;
    if let Some(col) = df
        .get_column_names()
        .iter()
        .position(|c| c.as_str() == "verdict")
    {
        let rows = df.height().max(1) as u32;
        let v = DataValidation::new()
            .allow_list_strings(&["same", "different"])
            .map_err(std::io::Error::other)?
            .ignore_blank(true);
        ws.add_data_validation(1, col as u16, rows, col as u16, &v)
            .map_err(std::io::Error::other)?;
    }
    let bytes = wb.save_to_buffer().map_err(std::io::Error::other)?;
    crate::output::write_atomic(path, |w| std::io::Write::write_all(w, &bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_words_in_both_languages() {
        for s in ["same", " Same ", "ＳＡＭＥ", "是", "同一人", "y"] {
            assert_eq!(parse_verdict(s), Some(true), "{s}");
        }
        for s in ["different", "NO", "否", "不同人", "分开"] {
            assert_eq!(parse_verdict(s), Some(false), "{s}");
        }
        for s in ["", "maybe", "不确定", "?"] {
            assert_eq!(parse_verdict(s), None, "{s}");
        }
    }

    #[test]
    fn filled_lists_win_over_kept_verdicts_and_contradictions_are_not_applied() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(
            d.join(VERDICTS_CSV),
            "\u{feff}record_a,record_b,verdict\nRA,RB,same\nRC,RD,different\n",
        )
        .unwrap();
        std::fs::write(
            d.join(REVIEW_CSV),
            "score,record_a,record_b,verdict\n9.1,RB,RA,different\n8.0,RG,RH,different\n7.5,RX,RY,\n",
        )
        .unwrap();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(SHEET).unwrap();
        for (r, row) in [
            ["record_a", "record_b", "verdict"],
            ["RE", "RF", "是"],
            ["RG", "RH", "same"],
            ["RI", "RJ", "later"],
        ]
        .iter()
        .enumerate()
        {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
        wb.save(d.join(REVIEW_XLSX)).unwrap();
        let v = read(d);
        let got: Vec<(&str, &str, bool)> = v
            .list
            .iter()
            .map(|v| (v.record_a.as_str(), v.record_b.as_str(), v.same))
            .collect();
        assert_eq!(
            got,
            [("RA", "RB", false), ("RC", "RD", false), ("RE", "RF", true)]
        );
        assert_eq!(v.new, 2);
        assert_eq!(v.problems.len(), 2, "{:?}", v.problems);
        assert!(v.problems[0].starts_with(
            "review.xlsx › review › row 4 › column C (verdict): `later` is not a verdict"
        ));
        assert_eq!(
            v.problems[1],
            "review.xlsx › review › row 3 › column C (verdict): `same` contradicts \
             review.csv › row 3 › column D (verdict) (`different`); neither is applied"
        );
    }

    #[test]
    fn the_workbook_shows_the_first_pairs_and_the_csv_all_of_them() {
        let pair = |score: f64, a: &str, b: &str| ReviewPair {
            score,
            rule: Some("no_agreeing_identifier"),
            a: crate::entities::ReviewSide {
                record_id: a.into(),
                name: "陈晨".into(),
                ..Default::default()
            },
            b: crate::entities::ReviewSide {
                record_id: b.into(),
                name: "陈晨".into(),
                ..Default::default()
            },
        };
        let pairs = [
            pair(12.5, "R1", "R2"),
            pair(9.0, "R0", "R3"),
            pair(8.2, "R4", "R5"),
        ];
        let dir = tempfile::tempdir().unwrap();
        let written = write(dir.path(), &pairs, &[], 2).unwrap();
        let rows: Vec<(&str, usize)> = written.iter().map(|w| (w.path.as_str(), w.rows)).collect();
        assert_eq!(rows, [(REVIEW_XLSX, 2), (REVIEW_CSV, 3)]);
        let grid = crate::ingest::excel::sheet_grid(&dir.path().join(REVIEW_XLSX), SHEET).unwrap();
        let firsts: Vec<String> = grid.rows[1..].iter().map(|r| r[2].as_text()).collect();
        assert_eq!(firsts, ["R1", "R0"]);
        // Read back with nothing filled in: no verdicts, no problems.
        assert_eq!(read(dir.path()), Verdicts::default());
        let verdicts = [Verdict {
            record_a: "R1".into(),
            record_b: "R2".into(),
            same: true,
        }];
        write(dir.path(), &pairs[1..], &verdicts, 2).unwrap();
        let v = read(dir.path());
        assert_eq!(v.list, verdicts);
        assert_eq!(v.new, 0);
    }

    #[test]
    fn an_output_folder_without_review_files_has_no_verdicts() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()), Verdicts::default());
    }
}

//! Survey response sources (`role = "survey"`): one sheet or CSV grid of
//! candidate survey answers turned into [`SurveyResponse`] records, with
//! every row accounted for.
//!
//! Two layouts are read. *Wide* is what survey platforms export: one row
//! per sent survey, a column per question (headers matched to the question
//! bank by id, Chinese or English wording or alias) and optional
//! `… 备注` comment columns; [`reshape_wide_checked`] does the work. *Long*
//! is one row per answer: response id, question, score and comment, plus
//! the same response fields as the wide layout. The layout comes from the
//! pipeline or, when absent, from the header: a `question` column means
//! long.
//!
//! Survey grids are simple tables, so the header is the first non-blank row
//! (or the pipeline's `header_row`) rather than the scored detection the
//! candidate sheets need. A cell that is not a score on its question's scale
//! is quarantined with its row, column and value and the rest of the row is
//! kept (wide); a long row whose single answer is unusable is quarantined as
//! a whole. Rows above the header and blank rows are non-data.

use std::collections::BTreeMap;

use super::{Cell, Grid};
use crate::model::Level;
use crate::plan::SurveyLayout;
use crate::rules::date::{DateOptions, parse_datetime};
use crate::rules::text::{is_blank, nfkc_clean};
use crate::stats::survey::header_key;
use crate::stats::wide::{Meta, meta_column};
use crate::stats::{QuestionBank, Scale, SurveyResponse, WideTable, reshape_wide_checked};

/// Headers of the long layout's question column.
const QUESTION_HEADERS: &[&str] = &["question", "question id", "问题", "题目", "问题编号"];
/// Headers of the long layout's score column.
const SCORE_HEADERS: &[&str] = &["score", "answer", "rating", "分数", "得分", "评分", "回答"];
/// Headers of the long layout's comment column.
const COMMENT_HEADERS: &[&str] = &["comment", "comments", "备注", "评论", "意见"];

/// A value or row of a survey grid that was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyProblem {
    /// 1-based sheet row or CSV line.
    pub row: u32,
    /// The column header (empty for a whole row).
    pub column: String,
    /// Whether the value or the whole row was set aside.
    pub level: Level,
    pub value: String,
    pub reason: String,
}

/// One survey grid, read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurveyRead {
    pub layout: Option<SurveyLayout>,
    pub responses: Vec<SurveyResponse>,
    pub problems: Vec<SurveyProblem>,
    /// Headers that name no question or response field.
    pub unmatched_columns: Vec<String>,
    pub rows_read: u64,
    pub rows_kept: u64,
    pub rows_quarantined: u64,
    pub non_data: BTreeMap<&'static str, u64>,
    pub values_quarantined: u64,
}

impl SurveyRead {
    /// Rows that are not survey data (title rows, the header, blank rows).
    pub fn non_data_total(&self) -> u64 {
        self.non_data.values().sum()
    }
}

fn text(cell: &Cell) -> String {
    cell.as_text()
}

/// `D (面试体验)`: the column letter and its header, as quarantine shows it.
fn column_label(grid: &Grid, col: usize, header: &str) -> String {
    format!("{} ({header})", grid.column_name(col))
}

/// Reads one grid of survey answers. `source` names the file (and sheet) for
/// generated response ids. `Err` carries the reason the grid holds no survey
/// and the number of rows, which then count as non-data.
pub fn read_grid(
    grid: &Grid,
    source: &str,
    layout: Option<SurveyLayout>,
    header_row: Option<u32>,
    bank: &QuestionBank,
) -> Result<SurveyRead, (String, u64)> {
    let total = grid.rows.len() as u64;
    let blank = |r: usize| grid.rows[r].iter().all(Cell::is_empty);
    // The header is the first row naming a question or a response field:
    // exports often put a title row above it.
    let names_something = |r: usize| {
        grid.rows[r].iter().map(text).any(|h| {
            QUESTION_HEADERS.contains(&header_key(&h).as_str())
                || meta_column(&h).is_some()
                || bank.match_header(&h).is_some()
        })
    };
    let header = match header_row {
        Some(h) => (0..grid.rows.len()).find(|&r| grid.sheet_row(r) == h),
        None => (0..grid.rows.len().min(30))
            .find(|&r| names_something(r))
            .or_else(|| (0..grid.rows.len()).find(|&r| !blank(r))),
    };
    let Some(header) = header else {
        return Err(("no header row: the sheet is empty".to_string(), total));
    };
    let headers: Vec<String> = grid.rows[header].iter().map(text).collect();
    let is_long = headers
        .iter()
        .any(|h| QUESTION_HEADERS.contains(&header_key(h).as_str()));
    let layout = layout.unwrap_or(if is_long {
        SurveyLayout::Long
    } else {
        SurveyLayout::Wide
    });
    let mut out = SurveyRead {
        layout: Some(layout),
        rows_read: total,
        ..SurveyRead::default()
    };
    out.non_data.insert("header", 1);
    if header > 0 {
        out.non_data.insert("title", header as u64);
    }
    let mut data_rows: Vec<usize> = Vec::new();
    for r in header + 1..grid.rows.len() {
        if blank(r) {
            *out.non_data.entry("blank").or_default() += 1;
        } else {
            data_rows.push(r);
        }
    }
    match layout {
        SurveyLayout::Wide => read_wide(grid, source, &headers, &data_rows, bank, &mut out)?,
        SurveyLayout::Long => read_long(grid, &headers, &data_rows, bank, &mut out)?,
    }
    debug_assert_eq!(
        out.rows_read,
        out.rows_kept + out.rows_quarantined + out.non_data_total()
    );
    Ok(out)
}

fn read_wide(
    grid: &Grid,
    source: &str,
    headers: &[String],
    data_rows: &[usize],
    bank: &QuestionBank,
    out: &mut SurveyRead,
) -> Result<(), (String, u64)> {
    let table = WideTable {
        source: source.to_string(),
        headers: headers.to_vec(),
        rows: data_rows
            .iter()
            .map(|&r| grid.rows[r].iter().map(text).collect())
            .collect(),
    };
    let reshaped = reshape_wide_checked(&table, bank);
    if reshaped.unmatched_columns.len() == headers.len() {
        return Err((
            format!(
                "no column names a survey question or response field (headers: {})",
                headers.join(", ")
            ),
            out.rows_read,
        ));
    }
    out.unmatched_columns = reshaped.unmatched_columns;
    out.rows_kept = data_rows.len() as u64;
    out.values_quarantined = reshaped.problems.len() as u64;
    out.problems = reshaped
        .problems
        .into_iter()
        .map(|p| SurveyProblem {
            row: grid.sheet_row(data_rows[p.row - 1]),
            column: match headers.iter().position(|h| *h == p.column) {
                Some(c) => column_label(grid, c, &p.column),
                None => p.column,
            },
            level: Level::Value,
            value: p.value,
            reason: p.reason,
        })
        .collect();
    out.responses = reshaped.responses;
    Ok(())
}

#[derive(Default)]
struct LongColumns {
    question: Option<usize>,
    score: Option<usize>,
    comment: Option<usize>,
    meta: Vec<(usize, Meta)>,
}

fn read_long(
    grid: &Grid,
    headers: &[String],
    data_rows: &[usize],
    bank: &QuestionBank,
    out: &mut SurveyRead,
) -> Result<(), (String, u64)> {
    let mut cols = LongColumns::default();
    for (c, h) in headers.iter().enumerate() {
        let key = header_key(h);
        if QUESTION_HEADERS.contains(&key.as_str()) && cols.question.is_none() {
            cols.question = Some(c);
        } else if SCORE_HEADERS.contains(&key.as_str()) && cols.score.is_none() {
            cols.score = Some(c);
        } else if COMMENT_HEADERS.contains(&key.as_str()) && cols.comment.is_none() {
            cols.comment = Some(c);
        } else if let Some(m) = meta_column(h).filter(|m| cols.meta.iter().all(|x| x.1 != *m)) {
            cols.meta.push((c, m));
        } else {
            out.unmatched_columns.push(h.clone());
        }
    }
    let Some(qcol) = cols.question else {
        return Err((
            format!(
                "a long survey needs a question column ({}); headers: {}",
                QUESTION_HEADERS.join(", "),
                headers.join(", ")
            ),
            out.rows_read,
        ));
    };
    if !cols.meta.iter().any(|(_, m)| *m == Meta::ResponseId) {
        return Err((
            format!(
                "a long survey needs a response id column (回答编号, response id) to group answers; headers: {}",
                headers.join(", ")
            ),
            out.rows_read,
        ));
    }
    let dates = DateOptions::default();
    for &r in data_rows {
        let row_no = grid.sheet_row(r);
        let cell = |c: usize| text(grid.cell(r, c));
        let mut reject = |column: Option<usize>, value: String, reason: String| {
            out.problems.push(SurveyProblem {
                row: row_no,
                column: column
                    .map(|c| column_label(grid, c, &headers[c]))
                    .unwrap_or_default(),
                level: Level::Row,
                value,
                reason,
            });
        };
        let raw_q = cell(qcol);
        let Some(question) = bank.match_header(&raw_q) else {
            reject(
                Some(qcol),
                raw_q.clone(),
                format!("`{raw_q}` is not a question of the survey question bank"),
            );
            continue;
        };
        let mut rec = SurveyResponse {
            question_id: question.id.clone(),
            ..SurveyResponse::default()
        };
        let mut bad: Option<(usize, String, String)> = None;
        for &(c, m) in &cols.meta {
            let raw = cell(c);
            if is_blank(&raw) {
                continue;
            }
            match m {
                Meta::ResponseId => rec.response_id = nfkc_clean(&raw),
                Meta::ApplicationId => rec.application_id = Some(nfkc_clean(&raw)),
                Meta::TemplateVersion => rec.template_version = Some(nfkc_clean(&raw)),
                Meta::SentAt | Meta::AnsweredAt => match parse_datetime(&raw, &dates) {
                    Ok(t) if m == Meta::SentAt => rec.sent_at = Some(t),
                    Ok(t) => rec.answered_at = Some(t),
                    Err(e) => bad = bad.or(Some((c, raw, e.reason))),
                },
            }
        }
        let comment = cols.comment.map(cell).filter(|s| !is_blank(s));
        let raw_score = cols.score.map(cell).filter(|s| !is_blank(s));
        match (question.scale, raw_score) {
            (Scale::FreeText, s) => rec.comment = s.or(comment),
            (scale, Some(raw)) => match bank.parse_score(&raw, scale) {
                Ok(v) => {
                    rec.score = Some(v);
                    rec.comment = comment;
                }
                Err(reason) => {
                    bad = bad.or(Some((cols.score.expect("score present"), raw, reason)))
                }
            },
            (_, None) => rec.comment = comment,
        }
        if rec.response_id.is_empty() {
            reject(None, String::new(), "no response id".to_string());
            continue;
        }
        if let Some((c, value, reason)) = bad {
            reject(Some(c), value, reason);
            continue;
        }
        out.responses.push(rec);
    }
    out.rows_quarantined = out.problems.len() as u64;
    out.rows_kept = data_rows.len() as u64 - out.rows_quarantined;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            first_row: 1,
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|s| {
                            if s.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(s.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
            ..Grid::default()
        }
    }

    #[test]
    fn wide_rows_keep_good_answers_and_quarantine_bad_cells() {
        let g = grid(&[
            &["回答编号", "申请编号", "面试体验", "推荐意愿", "备用"],
            &["R1", "A1", "5", "10", "x"],
            &["", "", "", "", ""],
            &["R2", "", "7", "abc", ""],
        ]);
        let read = read_grid(&g, "s.csv", None, None, QuestionBank::builtin()).unwrap();
        assert_eq!(read.layout, Some(SurveyLayout::Wide));
        assert_eq!(
            (read.rows_read, read.rows_kept, read.rows_quarantined),
            (4, 2, 0)
        );
        assert_eq!(read.non_data_total(), 2);
        assert_eq!(read.values_quarantined, 2);
        assert_eq!(read.problems[0].row, 4);
        assert_eq!(read.problems[0].column, "C (面试体验)");
        assert_eq!(read.problems[0].value, "7");
        assert_eq!(read.problems[1].value, "abc");
        assert_eq!(read.unmatched_columns, vec!["备用".to_string()]);
        let r1: Vec<_> = read
            .responses
            .iter()
            .filter(|r| r.response_id == "R1")
            .collect();
        assert_eq!(r1.len(), 2);
        assert_eq!(r1[1].score, Some(10.0));
        assert_eq!(r1[0].application_id.as_deref(), Some("A1"));
    }

    #[test]
    fn long_layout_is_detected_and_bad_rows_are_quarantined_whole() {
        let g = grid(&[
            &["问卷调查导出"],
            &["回答编号", "问题", "分数", "备注"],
            &["R1", "notice_tone", "4", "语气很好"],
            &["R1", "推荐意愿", "11", ""],
            &["R1", "不存在的问题", "3", ""],
            &["", "notice_detail", "3", ""],
            &["R2", "改进建议", "", "<script>alert(1)</script>"],
        ]);
        let read = read_grid(&g, "s.xlsx", None, None, QuestionBank::builtin()).unwrap();
        assert_eq!(read.layout, Some(SurveyLayout::Long));
        assert_eq!(
            (read.rows_read, read.rows_kept, read.rows_quarantined),
            (7, 2, 3)
        );
        assert_eq!(read.non_data_total(), 2);
        let reasons: Vec<(u32, &str)> = read
            .problems
            .iter()
            .map(|p| (p.row, p.value.as_str()))
            .collect();
        assert_eq!(reasons, vec![(4, "11"), (5, "不存在的问题"), (6, "")]);
        assert_eq!(read.responses[0].comment.as_deref(), Some("语气很好"));
        assert_eq!(
            read.responses[1].comment.as_deref(),
            Some("<script>alert(1)</script>")
        );
    }

    #[test]
    fn a_grid_without_survey_columns_is_not_a_survey() {
        let g = grid(&[&["姓名", "手机"], &["张三", "13800138000"]]);
        let (reason, rows) =
            read_grid(&g, "x.csv", None, None, QuestionBank::builtin()).unwrap_err();
        assert!(
            reason.contains("no column names a survey question"),
            "{reason}"
        );
        assert_eq!(rows, 2);
    }
}

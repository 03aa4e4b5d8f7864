//! Wide survey exports to long responses. Survey platforms and hand-made
//! sheets write one row per sent survey and one column per question, with
//! a few bookkeeping columns (response id, application id, sent and answered
//! times, template version) and sometimes a comment column next to a
//! question (`职位介绍清楚备注`, `Q3 comment`). [`reshape_wide_checked`]
//! assigns every header a role, reads each row into one [`SurveyResponse`]
//! per question, and reports the columns and cells it could not use, so a
//! data-quality report can list them instead of silently dropping them.

use foldhash::{HashMap, HashMapExt};

use serde::Serialize;

use super::survey::{QuestionBank, Scale, SurveyResponse, header_key};
use crate::model::stable_id;
use crate::rules::Vocab;
use crate::rules::date::{DateOptions, parse_datetime};
use crate::rules::text::{is_blank, nfkc_clean};

/// Non-question columns of a wide table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Meta {
    ResponseId,
    ApplicationId,
    SentAt,
    AnsweredAt,
    TemplateVersion,
}

/// Header forms of the non-question columns, in [`header_key`] form.
const META_HEADERS: &[(Meta, &[&str])] = &[
    (
        Meta::ResponseId,
        &[
            "response id",
            "回答编号",
            "答卷编号",
            "问卷编号",
            "答卷id",
            "回答id",
        ],
    ),
    (
        Meta::ApplicationId,
        &["application id", "申请编号", "申请id", "投递编号", "投递id"],
    ),
    (Meta::SentAt, &["sent at", "sent", "发送时间", "发送日期"]),
    (
        Meta::AnsweredAt,
        &[
            "answered at",
            "submitted at",
            "提交时间",
            "回答时间",
            "答卷时间",
            "填写时间",
        ],
    ),
    (
        Meta::TemplateVersion,
        &[
            "template version",
            "template",
            "notice template",
            "模板版本",
            "通知模板",
            "模板",
        ],
    ),
];

/// Header endings that mark a comment column for a scored question
/// (`Q3 comment`, `职位介绍清楚备注`), in [`header_key`] form.
const COMMENT_SUFFIXES: &[&str] = &[
    "comments",
    "comment",
    "(comment)",
    "(备注)",
    "备注",
    "评论",
    "补充说明",
    "说明",
];

/// What a wide-table column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Meta(Meta),
    Answer(usize),
    Comment(usize),
    Unmatched,
}

/// A survey export with one row per sent survey and one column per question.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WideTable {
    /// Label of the table (file and sheet); response ids are derived from it
    /// and the row number when the table has no response-id column.
    pub source: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Data rows; short rows are read as blank on the right.
    pub rows: Vec<Vec<String>>,
}

/// A cell [`reshape_wide_checked`] could not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CellProblem {
    /// 1-based data row.
    pub row: usize,
    /// The column header.
    pub column: String,
    /// The cell text.
    pub value: String,
    /// What was expected.
    pub reason: String,
}

/// The long records of a wide table, with what could not be used.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Reshaped {
    /// One record per row and question column, rows in table order,
    /// questions in bank order.
    pub responses: Vec<SurveyResponse>,
    /// Headers naming no question and no known column, or naming one twice.
    pub unmatched_columns: Vec<String>,
    /// Cells that were present but unreadable; their value is left out.
    pub problems: Vec<CellProblem>,
}

/// Turns a wide survey table into long responses; see [`reshape_wide_checked`]
/// for the rules and for the columns and cells that were not used.
pub fn reshape_wide(table: &WideTable, bank: &QuestionBank) -> Vec<SurveyResponse> {
    reshape_wide_checked(table, bank).responses
}

/// Turns a wide survey table into long responses. Every non-blank row yields
/// one record per question that has an answer or comment column, blank
/// answers included (score `None`), so a survey that was sent but not
/// answered still counts as sent. Free-text answers become the comment.
/// Fillers (`-`, `N/A`, `无`) read as blank.
pub fn reshape_wide_checked(table: &WideTable, bank: &QuestionBank) -> Reshaped {
    let mut out = Reshaped::default();
    let columns = classify_columns(&table.headers, bank, &mut out.unmatched_columns);
    let asked: Vec<usize> = (0..bank.questions().len())
        .filter(|q| {
            columns
                .iter()
                .any(|c| matches!(c, Column::Answer(i) | Column::Comment(i) if i == q))
        })
        .collect();
    let vocab = Vocab::builtin();
    for (r, row) in table.rows.iter().enumerate() {
        let row_no = r + 1;
        let cell = |c: usize| row.get(c).map(String::as_str).unwrap_or("");
        if (0..table.headers.len()).all(|c| is_blank(cell(c))) {
            continue;
        }
        let mut base = SurveyResponse::default();
        let mut answers: HashMap<usize, (Option<f64>, Vec<String>)> = HashMap::new();
        for (c, column) in columns.iter().enumerate() {
            let raw = cell(c).trim();
            if is_blank(raw) || vocab.is_filler(raw) {
                continue;
            }
            let mut problem = |reason: String| {
                out.problems.push(CellProblem {
                    row: row_no,
                    column: table.headers[c].clone(),
                    value: raw.to_string(),
                    reason,
                })
            };
            match *column {
                Column::Meta(Meta::ResponseId) => base.response_id = nfkc_clean(raw),
                Column::Meta(Meta::ApplicationId) => base.application_id = Some(nfkc_clean(raw)),
                Column::Meta(Meta::TemplateVersion) => {
                    base.template_version = Some(nfkc_clean(raw))
                }
                Column::Meta(m @ (Meta::SentAt | Meta::AnsweredAt)) => {
                    match parse_datetime(raw, &DateOptions::default()) {
                        Ok(t) if m == Meta::SentAt => base.sent_at = Some(t),
                        Ok(t) => base.answered_at = Some(t),
                        Err(e) => problem(e.reason),
                    }
                }
                Column::Answer(q) if bank.questions()[q].scale == Scale::FreeText => {
                    answers.entry(q).or_default().1.insert(0, raw.to_string());
                }
                Column::Answer(q) => match bank.parse_score(raw, bank.questions()[q].scale) {
                    Ok(v) => answers.entry(q).or_default().0 = Some(v),
                    Err(reason) => problem(reason),
                },
                Column::Comment(q) => answers.entry(q).or_default().1.push(raw.to_string()),
                Column::Unmatched => {}
            }
        }
        if base.response_id.is_empty() {
            base.response_id = stable_id("SR", &[&table.source, &row_no.to_string()]);
        }
        for &q in &asked {
            let (score, texts) = answers.remove(&q).unwrap_or_default();
            out.responses.push(SurveyResponse {
                question_id: bank.questions()[q].id.clone(),
                score,
                comment: (!texts.is_empty()).then(|| texts.join("\n")),
                ..base.clone()
            });
        }
    }
    out
}

/// The response field a header names (`回答编号`, `Sent at`…), if any.
pub(crate) fn meta_column(header: &str) -> Option<Meta> {
    let key = header_key(header);
    META_HEADERS
        .iter()
        .find(|(_, forms)| forms.contains(&key.as_str()))
        .map(|(m, _)| *m)
}

/// Assigns each header a role; repeated roles and unknown headers are
/// recorded as unmatched and ignored.
fn classify_columns(
    headers: &[String],
    bank: &QuestionBank,
    unmatched: &mut Vec<String>,
) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::with_capacity(headers.len());
    for header in headers {
        let key = header_key(header);
        let meta = META_HEADERS
            .iter()
            .find(|(_, forms)| forms.contains(&key.as_str()))
            .map(|(m, _)| Column::Meta(*m));
        let column = meta
            .or_else(|| bank.index_of_key(&key).map(Column::Answer))
            .or_else(|| {
                COMMENT_SUFFIXES.iter().find_map(|suffix| {
                    let stem = key.strip_suffix(suffix)?;
                    let stem = stem.trim_end_matches([' ', '-', ':', '—', '(']);
                    bank.header_index(stem).map(Column::Comment)
                })
            })
            .unwrap_or(Column::Unmatched);
        if column == Column::Unmatched || columns.contains(&column) {
            unmatched.push(header.clone());
            columns.push(Column::Unmatched);
        } else {
            columns.push(column);
        }
    }
    columns
}

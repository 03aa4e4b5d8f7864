//! The candidate survey model: one [`SurveyResponse`] per answered (or
//! unanswered) question of one sent survey, and the [`QuestionBank`] the
//! questions come from. The built-in bank (`tables/questions.toml`) holds the
//! nine Greenhouse interview-experience questions on a five-point agreement
//! scale, four questions on the rejection notice, and the 0–10
//! likelihood-to-recommend question behind the candidate NPS.
//!
//! Survey platforms export one row per response and one column per
//! question; [`reshape_wide`] (in [`super::wide`]) turns such a table into
//! long records. Headers are matched
//! to questions by id, Chinese or English text, or an alias, after NFKC,
//! lowercasing, and dropping question numbering (`Q3.`, `3、`) and final
//! punctuation, because exports rarely reproduce the wording byte for byte.

use foldhash::{HashMap, HashMapExt};
use std::fmt;
use std::sync::LazyLock;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

pub use super::wide::{CellProblem, Reshaped, WideTable, reshape_wide, reshape_wide_checked};
use crate::rules::text::nfkc_clean;

/// One question of one survey sent to one candidate.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveyResponse {
    /// The survey this answer belongs to; every question of one sent survey
    /// shares it.
    pub response_id: String,
    /// The application the survey was about; `None` for anonymous responses.
    pub application_id: Option<String>,
    /// When the survey was sent.
    #[serde(serialize_with = "iso_datetime")]
    pub sent_at: Option<NaiveDateTime>,
    /// When the candidate submitted it; `None` while unanswered.
    #[serde(serialize_with = "iso_datetime")]
    pub answered_at: Option<NaiveDateTime>,
    /// A [`Question::id`] of the bank.
    pub question_id: String,
    /// The score on the question's scale; `None` when not answered or free text.
    pub score: Option<f64>,
    /// Free text: the answer to a free-text question or a comment on a scored one.
    pub comment: Option<String>,
    /// Version of the notice or survey template the candidate received.
    pub template_version: Option<String>,
}

/// Writes a time as ISO 8601 text (`2024-03-01T09:30:00`) for people;
/// exact (chrono's own form) for the reuse cache's binary entries.
fn iso_datetime<S: serde::Serializer>(
    at: &Option<NaiveDateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if !serializer.is_human_readable() {
        return at.serialize(serializer);
    }
    match at {
        Some(t) => serializer.serialize_some(&t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        None => serializer.serialize_none(),
    }
}

/// The answer scale of a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// 1 = strongly disagree … 5 = strongly agree.
    Likert5,
    /// 0 = not at all likely … 10 = extremely likely.
    Nps0to10,
    /// Text only, no score.
    FreeText,
}

impl Scale {
    /// The lowest and highest score point, or `None` for free text.
    pub fn bounds(self) -> Option<(u8, u8)> {
        match self {
            Scale::Likert5 => Some((1, 5)),
            Scale::Nps0to10 => Some((0, 10)),
            Scale::FreeText => None,
        }
    }

    /// True when `score` is a whole point of this scale.
    pub fn accepts(self, score: f64) -> bool {
        self.bounds().is_some_and(|(lo, hi)| {
            score.fract() == 0.0 && score >= f64::from(lo) && score <= f64::from(hi)
        })
    }
}

/// Which end of a scored question is the good one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Agreement is a better experience.
    HigherIsBetter,
    /// Describes the process without a better end ("the process was
    /// challenging"): reported, never averaged into satisfaction.
    Challenging,
}

/// The part of the survey a question belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// The interview experience.
    Interview,
    /// The rejection notice.
    Notice,
    /// Likelihood to recommend.
    Recommend,
}

/// One survey question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable snake_case id, used in reports and accepted as a header.
    pub id: String,
    /// Survey part.
    pub section: Section,
    /// Answer scale.
    pub scale: Scale,
    /// Which end is good.
    pub polarity: Polarity,
    /// Chinese wording.
    pub text_zh: String,
    /// English wording.
    pub text_en: String,
    /// Other header wordings accepted for this question.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A question bank that could not be built, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankError(pub String);

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "question bank: {}", self.0)
    }
}

impl std::error::Error for BankError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BankFile {
    question: Vec<Question>,
    #[serde(default)]
    likert_label: Vec<LabelRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelRow {
    score: u8,
    labels: Vec<String>,
}

/// The questions a survey can ask, with header and answer-label lookups.
#[derive(Clone, Debug)]
pub struct QuestionBank {
    questions: Vec<Question>,
    /// Normalized id / text / alias → question index.
    headers: HashMap<String, usize>,
    /// Normalized agreement label → score.
    likert_labels: HashMap<String, u8>,
}

static BUILTIN: LazyLock<QuestionBank> = LazyLock::new(|| {
    QuestionBank::from_toml(include_str!("tables/questions.toml"))
        .expect("the built-in question bank is valid")
});

impl QuestionBank {
    /// The built-in bank from `tables/questions.toml`.
    pub fn builtin() -> &'static QuestionBank {
        &BUILTIN
    }

    /// Builds a bank from TOML in the `questions.toml` format. Ids must be
    /// unique and no two questions may share a normalized header form.
    pub fn from_toml(text: &str) -> Result<QuestionBank, BankError> {
        let file: BankFile = toml::from_str(text).map_err(|e| BankError(e.to_string()))?;
        let mut headers: HashMap<String, usize> = HashMap::new();
        for (index, q) in file.question.iter().enumerate() {
            if q.id.trim().is_empty() {
                return Err(BankError(format!("question {} has an empty id", index + 1)));
            }
            let forms = [&q.id, &q.text_zh, &q.text_en]
                .into_iter()
                .chain(&q.aliases);
            for form in forms {
                let key = header_key(form);
                if key.is_empty() {
                    continue;
                }
                if let Some(&other) = headers.get(&key)
                    && other != index
                {
                    let other = &file.question[other].id;
                    return Err(BankError(format!(
                        "`{form}` names both `{other}` and `{}`",
                        q.id
                    )));
                }
                headers.insert(key, index);
            }
        }
        let mut likert_labels = HashMap::new();
        for row in &file.likert_label {
            if !Scale::Likert5.accepts(f64::from(row.score)) {
                return Err(BankError(format!("label score {} is not 1–5", row.score)));
            }
            for label in &row.labels {
                if likert_labels.insert(answer_key(label), row.score).is_some() {
                    return Err(BankError(format!("label `{label}` is listed twice")));
                }
            }
        }
        Ok(QuestionBank {
            questions: file.question,
            headers,
            likert_labels,
        })
    }

    /// Every question, in bank order (the order reports use).
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The position of a question id in bank order.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.questions.iter().position(|q| q.id == id)
    }

    /// The question with this id.
    pub fn get(&self, id: &str) -> Option<&Question> {
        self.index_of(id).map(|i| &self.questions[i])
    }

    /// The question a column header names, by id, Chinese or English text,
    /// or alias (NFKC, case-insensitive, numbering and final punctuation ignored).
    pub fn match_header(&self, header: &str) -> Option<&Question> {
        self.header_index(header).map(|i| &self.questions[i])
    }

    /// The index of the question a header names.
    pub(crate) fn header_index(&self, header: &str) -> Option<usize> {
        self.index_of_key(&header_key(header))
    }

    /// The index of the question a header already in [`header_key`] form names.
    pub(crate) fn index_of_key(&self, key: &str) -> Option<usize> {
        self.headers.get(key).copied()
    }

    /// Reads an answer cell on `scale`: a number (`4`, `4.0`, `4分`), a
    /// number with its label (`4 - Agree`), or, on the agreement scale, a
    /// label alone (`同意`, `Strongly agree`). Scores must be whole points
    /// of the scale.
    pub fn parse_score(&self, raw: &str, scale: Scale) -> Result<f64, String> {
        let Some((lo, hi)) = scale.bounds() else {
            return Err("free-text questions have no score".to_string());
        };
        let key = answer_key(raw);
        let number = key.strip_suffix('分').unwrap_or(&key).trim();
        let value = number
            .parse::<f64>()
            .ok()
            .or_else(|| leading_integer(number))
            .or_else(|| match scale {
                Scale::Likert5 => self.likert_labels.get(&key).map(|&s| f64::from(s)),
                _ => None,
            });
        match value {
            Some(v) if scale.accepts(v) => Ok(v),
            _ => Err(format!("not a score on the {lo}–{hi} scale")),
        }
    }
}

/// `5 - strongly agree`, `5.非常同意`, `5 (agree)` → 5.
fn leading_integer(s: &str) -> Option<f64> {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = &s[digits..];
    let after = rest.trim_start();
    let separated = rest.starts_with(' ') || after.starts_with(['-', '.', '、', ':', '(', '—']);
    (separated && !after.is_empty())
        .then(|| s[..digits].parse().ok())
        .flatten()
}

/// The comparison form of an answer label: NFKC, lowercase.
fn answer_key(raw: &str) -> String {
    nfkc_clean(raw).to_lowercase()
}

/// The comparison form of a header: NFKC, lowercase, `_` read as a space,
/// question numbering (`q3.`, `3、`, `3)`) and final punctuation dropped.
pub(crate) fn header_key(raw: &str) -> String {
    let text = nfkc_clean(&raw.replace('_', " ")).to_lowercase();
    let mut s = text.as_str();
    let unprefixed = s.strip_prefix('q').unwrap_or(s);
    let digits = unprefixed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &unprefixed[digits..];
        if let Some(rest) = rest.strip_prefix(['.', '、', ')', ':', ' '])
            && !rest.trim().is_empty()
        {
            s = rest.trim_start();
        }
    }
    s.trim_end_matches(['.', '。', '?', '？', '!', '！', ':', '：', ' '])
        .to_string()
}

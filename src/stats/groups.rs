//! Survey statistics per group: overall, by month answered, department, job
//! family, outcome of the linked application (hired / rejected / other) and
//! notice template version. Groups are computed in parallel and returned in
//! a fixed order: dimensions as configured, keys sorted, `(unknown)` last.
//!
//! Small groups are suppressed. Candidate surveys are promised to be
//! anonymous, and a figure over three answers from one department in one
//! month points at identifiable people; Greenhouse refuses per-job filters
//! for this reason and Comeet withholds results below 20 responses. A group
//! (and, inside a shown group, a question) with fewer answered surveys than
//! the minimum shows no figures, no comments, and its n only as `<5`.
//!
//! The satisfaction index is the mean of the per-question means of the
//! five-point questions whose higher end is better. "The process was
//! challenging" has no better end, so it is reported with the others but
//! never averaged in.

use foldhash::HashMap;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::UNKNOWN;
use super::describe::{QuestionStats, question_stats};
use super::survey::{Polarity, QuestionBank, Scale, Section, SurveyResponse};
use crate::model::{ApplicationRecord, PositionRecord};
use crate::rules::text::nfkc_clean;

/// The default minimum group size below which figures are suppressed.
pub const DEFAULT_MIN_GROUP_SIZE: usize = 5;

/// What responses are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One group with every answered survey, keyed `all`.
    All,
    /// Month the survey was answered, `YYYY-MM`.
    Month,
    /// Department of the linked application (or of its position).
    Department,
    /// Job family of the linked application's position.
    JobFamily,
    /// `hired`, `rejected` or `other`, from the linked application.
    Outcome,
    /// Notice template version.
    TemplateVersion,
}

impl GroupBy {
    /// Every dimension, in report order.
    pub const ALL: [GroupBy; 6] = [
        GroupBy::All,
        GroupBy::Month,
        GroupBy::Department,
        GroupBy::JobFamily,
        GroupBy::Outcome,
        GroupBy::TemplateVersion,
    ];
}

/// How groups are formed and protected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupConfig {
    /// Groups and questions with fewer answered surveys show no figures.
    pub min_group_size: usize,
    /// Dimensions to report, in this order.
    pub dimensions: Vec<GroupBy>,
}

impl Default for GroupConfig {
    fn default() -> Self {
        GroupConfig {
            min_group_size: DEFAULT_MIN_GROUP_SIZE,
            dimensions: GroupBy::ALL.to_vec(),
        }
    }
}

/// The records survey responses link to.
#[derive(Clone, Copy, Debug, Default)]
pub struct SurveyContext<'a> {
    /// Applications, looked up by `application_id`.
    pub applications: &'a [ApplicationRecord],
    /// Positions, looked up by the application's `position_id`.
    pub positions: &'a [PositionRecord],
}

/// How an application ended, for survey grouping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeGroup {
    /// Joined, or stage/status hired.
    Hired,
    /// We rejected the candidate.
    Rejected,
    /// Anything else: declined, in progress, unknown, anonymous.
    Other,
}

impl OutcomeGroup {
    /// The snake_case code used as group key.
    pub fn code(self) -> &'static str {
        match self {
            OutcomeGroup::Hired => "hired",
            OutcomeGroup::Rejected => "rejected",
            OutcomeGroup::Other => "other",
        }
    }
}

/// Hired when the stage or status is `hired` or there is an onboarding
/// date; rejected when the status is `rejected` or the rejection type is
/// `we_rejected`; other otherwise (a candidate who withdrew is not rejected).
pub fn outcome_of(app: &ApplicationRecord) -> OutcomeGroup {
    if app.stage == Some("hired") || app.status == Some("hired") || app.onboard_at.is_some() {
        OutcomeGroup::Hired
    } else if app.status == Some("rejected") || app.rejection_type == Some("we_rejected") {
        OutcomeGroup::Rejected
    } else {
        OutcomeGroup::Other
    }
}

/// One question's figures inside a group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionReport {
    /// Question id.
    pub question_id: String,
    /// Chinese wording.
    pub text_zh: String,
    /// English wording.
    pub text_en: String,
    /// Survey part.
    pub section: Section,
    /// Answer scale.
    pub scale: Scale,
    /// `challenging` questions are not part of the satisfaction index.
    pub polarity: Polarity,
    /// Fewer valid answers (comments, for free text) than the minimum.
    pub suppressed: bool,
    /// The answer count, or `<min` when suppressed.
    pub n_display: String,
    /// Figures; `None` when suppressed and for free-text questions.
    pub stats: Option<QuestionStats>,
}

/// One free-text comment, without anything that identifies its author.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The question it was written under.
    pub question_id: String,
    /// The text as written.
    pub text: String,
}

/// The figures for one group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupReport {
    /// The grouping dimension.
    pub dimension: GroupBy,
    /// The group's key (`2024-03`, `研发部`, `hired`, `(unknown)` …).
    pub key: String,
    /// Fewer answered surveys than the minimum: nothing below is filled.
    pub suppressed: bool,
    /// Answered surveys; `None` when suppressed.
    pub n: Option<usize>,
    /// `n` as text, or `<min` when suppressed.
    pub n_display: String,
    /// Mean of the higher-is-better five-point question means shown.
    pub satisfaction_index: Option<f64>,
    /// Questions answered in the group, in bank order.
    pub questions: Vec<QuestionReport>,
    /// Comments, in bank order of their question, then by text.
    pub comments: Vec<Comment>,
}

/// Survey statistics for every configured group.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurveyReport {
    /// The suppression threshold used.
    pub min_group_size: usize,
    /// Sent and answered surveys over all responses.
    pub response_rate: super::describe::ResponseRate,
    /// Groups, dimension by dimension.
    pub groups: Vec<GroupReport>,
}

/// One answered survey: its records and the keys it is grouped under.
struct Respondent<'a> {
    records: Vec<&'a SurveyResponse>,
    keys: Vec<String>,
}

/// Groups the answered surveys by every configured dimension and computes
/// each group's figures in parallel. A survey counts as answered when any
/// of its records has a score or a comment; grouping is per survey, so all
/// questions of one survey land in the same groups.
pub fn survey_report(
    responses: &[SurveyResponse],
    bank: &QuestionBank,
    ctx: SurveyContext<'_>,
    config: &GroupConfig,
) -> SurveyReport {
    // The applications the responses name, the first of an id winning:
    // a lookup of the few ids asked, not a map of every application.
    let wanted: foldhash::HashSet<&str> = responses
        .iter()
        .filter_map(|r| r.application_id.as_deref())
        .collect();
    let mut apps: HashMap<&str, &ApplicationRecord> = HashMap::default();
    if !wanted.is_empty() {
        for a in ctx.applications {
            if wanted.contains(a.application_id.as_str()) {
                apps.entry(a.application_id.as_str()).or_insert(a);
            }
        }
    }
    drop(wanted);
    let positions: HashMap<&str, &PositionRecord> = ctx
        .positions
        .iter()
        .rev()
        .map(|p| (p.position_id.as_str(), p))
        .collect();
    let mut by_id: BTreeMap<&str, Vec<&SurveyResponse>> = BTreeMap::new();
    for r in responses {
        by_id.entry(r.response_id.as_str()).or_default().push(r);
    }
    let respondents: Vec<Respondent> = by_id
        .into_values()
        .filter(|rs| rs.iter().any(|r| r.score.is_some() || r.comment.is_some()))
        .map(|records| {
            let app = records
                .iter()
                .find_map(|r| r.application_id.as_deref())
                .and_then(|id| apps.get(id).copied());
            let position = app
                .and_then(|a| a.position_id.as_deref())
                .and_then(|id| positions.get(id).copied());
            let keys = config
                .dimensions
                .iter()
                .map(|&d| group_key(d, &records, app, position))
                .collect();
            Respondent { records, keys }
        })
        .collect();

    let mut tasks: Vec<(GroupBy, String, Vec<&SurveyResponse>)> = Vec::new();
    for (d, &dimension) in config.dimensions.iter().enumerate() {
        let mut groups: BTreeMap<(u8, &str), Vec<&SurveyResponse>> = BTreeMap::new();
        for r in &respondents {
            let key = r.keys[d].as_str();
            groups
                .entry((key_rank(dimension, key), key))
                .or_default()
                .extend(&r.records);
        }
        tasks.extend(
            groups
                .into_iter()
                .map(|((_, key), members)| (dimension, key.to_string(), members)),
        );
    }
    let groups = tasks
        .into_par_iter()
        .map(|(dimension, key, members)| {
            group_report(dimension, key, &members, bank, config.min_group_size)
        })
        .collect();
    SurveyReport {
        min_group_size: config.min_group_size,
        response_rate: super::describe::response_rate(responses),
        groups,
    }
}

/// Sort rank of a key inside its dimension: outcomes in hired, rejected,
/// other order; `(unknown)` after every real key.
fn key_rank(dimension: GroupBy, key: &str) -> u8 {
    match (dimension, key) {
        (_, UNKNOWN) => 9,
        (GroupBy::Outcome, "hired") => 0,
        (GroupBy::Outcome, "rejected") => 1,
        (GroupBy::Outcome, _) => 2,
        _ => 0,
    }
}

/// The key one survey is grouped under for `dimension`.
fn group_key(
    dimension: GroupBy,
    records: &[&SurveyResponse],
    app: Option<&ApplicationRecord>,
    position: Option<&PositionRecord>,
) -> String {
    let text = |s: Option<&str>| {
        s.map(nfkc_clean)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| UNKNOWN.to_string())
    };
    match dimension {
        GroupBy::All => "all".to_string(),
        GroupBy::Month => records
            .iter()
            .find_map(|r| r.answered_at)
            .map(|t| t.format("%Y-%m").to_string())
            .unwrap_or_else(|| UNKNOWN.to_string()),
        GroupBy::Department => text(
            app.and_then(|a| a.department.as_deref())
                .or_else(|| position.and_then(|p| p.department.as_deref())),
        ),
        GroupBy::JobFamily => text(position.and_then(|p| p.job_family)),
        GroupBy::Outcome => app
            .map_or(OutcomeGroup::Other, outcome_of)
            .code()
            .to_string(),
        GroupBy::TemplateVersion => {
            text(records.iter().find_map(|r| r.template_version.as_deref()))
        }
    }
}

/// The figures of one group of records (every record of every answered
/// survey in the group). `n` is the number of distinct surveys; below
/// `min_group_size` the group is suppressed.
pub fn group_report(
    dimension: GroupBy,
    key: String,
    members: &[&SurveyResponse],
    bank: &QuestionBank,
    min_group_size: usize,
) -> GroupReport {
    let mut surveys: Vec<&str> = members.iter().map(|r| r.response_id.as_str()).collect();
    surveys.sort_unstable();
    surveys.dedup();
    let n = surveys.len();
    let hidden = format!("<{min_group_size}");
    if n < min_group_size {
        return GroupReport {
            dimension,
            key,
            suppressed: true,
            n: None,
            n_display: hidden,
            satisfaction_index: None,
            questions: Vec::new(),
            comments: Vec::new(),
        };
    }
    // Each record's question looked up once: a group can hold every
    // answer of a scope, and the bank has a dozen questions or more.
    let mut by_question: Vec<Vec<&SurveyResponse>> = vec![Vec::new(); bank.questions().len()];
    for r in members {
        if let Some(i) = bank.index_of(&r.question_id) {
            by_question[i].push(r);
        }
    }
    let mut questions = Vec::new();
    for (q, records) in bank.questions().iter().zip(&by_question) {
        if records.is_empty() {
            continue;
        }
        let (count, stats) = if q.scale == Scale::FreeText {
            (records.iter().filter(|r| r.comment.is_some()).count(), None)
        } else {
            let scores: Vec<f64> = records.iter().filter_map(|r| r.score).collect();
            let stats = question_stats(q, &scores);
            (stats.summary.n, Some(stats))
        };
        let suppressed = count < min_group_size;
        questions.push(QuestionReport {
            question_id: q.id.clone(),
            text_zh: q.text_zh.clone(),
            text_en: q.text_en.clone(),
            section: q.section,
            scale: q.scale,
            polarity: q.polarity,
            suppressed,
            n_display: if suppressed {
                hidden.clone()
            } else {
                count.to_string()
            },
            stats: if suppressed { None } else { stats },
        });
    }
    let means: Vec<f64> = questions
        .iter()
        .filter(|q| q.scale == Scale::Likert5 && q.polarity == Polarity::HigherIsBetter)
        .filter_map(|q| q.stats.as_ref()?.summary.mean)
        .collect();
    let satisfaction_index = super::describe::mean(&means);
    let mut comments: Vec<(usize, Comment)> = by_question
        .iter()
        .enumerate()
        .flat_map(|(index, records)| records.iter().map(move |r| (index, r)))
        .filter_map(|(index, r)| {
            let text = r.comment.as_deref()?.trim();
            (!text.is_empty()).then(|| {
                let comment = Comment {
                    question_id: r.question_id.clone(),
                    text: text.to_string(),
                };
                (index, comment)
            })
        })
        .collect();
    comments.sort_by(|a, b| (a.0, &a.1.text).cmp(&(b.0, &b.1.text)));
    GroupReport {
        dimension,
        key,
        suppressed: false,
        n: Some(n),
        n_display: n.to_string(),
        satisfaction_index,
        questions,
        comments: comments.into_iter().map(|(_, c)| c).collect(),
    }
}

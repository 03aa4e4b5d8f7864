//! Recall lists: for each open or reopened position, the candidates worth
//! calling back — rejected earlier for reasons that no longer hold, or rated
//! excellent — with the facts HR needs and a message ready to send.
//!
//! Rules are declared in the pipeline (`[[recall.rule]]`); a candidate is on
//! a position's list when at least one rule fires and every standing
//! condition holds: the expectation fits the budget (within a tolerance),
//! no contact within the cooldown, no opt-out, not hired or in process, and
//! a match score at or above the minimum. The list is ranked by match score
//! and every row says which rules fired. Time-relative conditions use the
//! run's as-of date.
//!
//! The contact history (contact logs, chats, returned recall workbooks; see
//! [`crate::contacts`]) is read as of that date: the latest contact on or
//! before it starts the cooldown, whatever its result (`no_answer` too); a
//! candidate who joined, or agreed to an interview in the last 90 days, is
//! off every list; one who declined a position since it was (re)opened is
//! off that position's list.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use minijinja::{Environment, UndefinedBehavior, context};
use rayon::prelude::*;
use serde::Deserialize;

use crate::model::{ApplicationRecord, Dataset, EvaluationRecord, PositionRecord};
use crate::notices::{Channel, Lang, SMS_LIMIT_EN, SMS_LIMIT_ZH, safe_value, unfilled_slot};
use crate::score::{CandidateProfile, Scales, SkillTable, is_open, score_one};
use conditions::{History, eligible_person, rule_fires};

/// The variables a recall template is rendered with.
pub const VARIABLES: &[&str] = &[
    "name",
    "company",
    "sender",
    "position",
    "original_position",
    "interview_date",
    "reason",
    "strength",
    "salary",
];

/// The shipped recall templates, for checking a pipeline's own.
pub fn shipped_templates() -> &'static [(&'static str, &'static str)] {
    TEMPLATES
}

const TEMPLATES: &[(&str, &str)] = &[
    (
        "message.zh",
        include_str!("../reports/recall/message.zh.j2"),
    ),
    (
        "message.en",
        include_str!("../reports/recall/message.en.j2"),
    ),
    (
        "subject.zh",
        include_str!("../reports/recall/subject.zh.j2"),
    ),
    (
        "subject.en",
        include_str!("../reports/recall/subject.en.j2"),
    ),
    ("sms.zh", include_str!("../reports/recall/sms.zh.j2")),
    ("sms.en", include_str!("../reports/recall/sms.en.j2")),
    (
        "sms_short.zh",
        include_str!("../reports/recall/sms_short.zh.j2"),
    ),
    (
        "sms_short.en",
        include_str!("../reports/recall/sms_short.en.j2"),
    ),
];
const TEXTS: &str = include_str!("../reports/recall/texts.toml");

/// Tags that describe a concern rather than a strength.
pub const CONCERN_TAGS: &[&str] = &[
    "lacks-industry-experience",
    "stability-concern",
    "tech-weak",
    "salary-expectation-high",
    "management-gap",
];

/// One `[[recall.rule]]`: the conditions given are combined with `mode`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecallRule {
    /// Shown in the list as the rule that fired.
    pub name: String,
    /// `all` (default) or `any` of the conditions below.
    #[serde(default)]
    pub mode: Option<String>,
    /// The earlier rejection's reason code is one of these.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// The earlier rejection's type is one of these (`we_rejected`…).
    #[serde(default)]
    pub types: Vec<String>,
    /// The best interview composite (0–10) is at least this.
    #[serde(default)]
    pub min_evaluation: Option<f64>,
    /// The candidate carries one of these talent-pool tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// `[recall]` in a pipeline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecallSettings {
    pub company: String,
    pub sender: String,
    pub language: Lang,
    pub channel: Channel,
    /// Days since the last contact before someone may be called again.
    pub cooldown_days: i64,
    /// How far above the budget's top an expectation may be (0.1 = 10 %).
    pub salary_tolerance: f64,
    /// Lowest match score (0–100) on the list.
    pub min_score: f64,
    #[serde(rename = "rule")]
    pub rules: Vec<RecallRule>,
    /// A folder with the pipeline's own message templates (`message.zh.j2`…,
    /// the names in `reports/recall/`); each file there replaces the
    /// shipped one. Relative to the pipeline's root; resolved when planned.
    pub templates: Option<std::path::PathBuf>,
}

impl Default for RecallSettings {
    fn default() -> Self {
        RecallSettings {
            company: "我们公司".to_string(),
            sender: "招聘负责人".to_string(),
            language: Lang::Zh,
            channel: Channel::Wechat,
            cooldown_days: 30,
            salary_tolerance: 0.1,
            min_score: 50.0,
            rules: vec![
                RecallRule {
                    name: "rejected for a reason that no longer holds".to_string(),
                    mode: None,
                    reasons: vec!["headcount_filled".into(), "salary_mismatch".into()],
                    types: vec!["we_rejected".into()],
                    min_evaluation: None,
                    tags: Vec::new(),
                },
                RecallRule {
                    name: "rated excellent".to_string(),
                    mode: None,
                    reasons: Vec::new(),
                    types: Vec::new(),
                    min_evaluation: Some(8.0),
                    tags: Vec::new(),
                },
            ],
            templates: None,
        }
    }
}

impl RecallSettings {
    /// Every problem with the settings.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        let codes: Vec<&str> = crate::rules::reason::ReasonCode::ALL
            .iter()
            .map(|c| c.code())
            .collect();
        let types: Vec<&str> = crate::rules::reason::RejectionType::ALL
            .iter()
            .map(|c| c.code())
            .collect();
        for r in &self.rules {
            if !matches!(r.mode.as_deref(), None | Some("all") | Some("any")) {
                errors.push(format!("rule `{}`: mode must be `all` or `any`", r.name));
            }
            for c in r.reasons.iter().filter(|c| !codes.contains(&c.as_str())) {
                errors.push(format!(
                    "rule `{}`: unknown reason `{c}`; expected one of {}",
                    r.name,
                    codes.join(", ")
                ));
            }
            for t in r.types.iter().filter(|t| !types.contains(&t.as_str())) {
                errors.push(format!(
                    "rule `{}`: unknown type `{t}`; expected one of {}",
                    r.name,
                    types.join(", ")
                ));
            }
            let known_tags: Vec<String> = crate::score::TagTable::builtin()
                .tags()
                .into_iter()
                .map(|t| t.code)
                .collect();
            for t in r.tags.iter().filter(|t| !known_tags.contains(t)) {
                errors.push(format!(
                    "rule `{}`: unknown tag `{t}`; expected one of {}",
                    r.name,
                    known_tags.join(", ")
                ));
            }
            if r.reasons.is_empty()
                && r.types.is_empty()
                && r.min_evaluation.is_none()
                && r.tags.is_empty()
            {
                errors.push(format!("rule `{}`: has no condition", r.name));
            }
        }
        if !(self.salary_tolerance.is_finite() && self.salary_tolerance >= 0.0) {
            errors.push("salary_tolerance: must be a number ≥ 0".to_string());
        }
        if self.cooldown_days < 0 {
            errors.push("cooldown_days: must be ≥ 0".to_string());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// One row of a recall list.
#[derive(Debug, Clone, PartialEq)]
pub struct RecallEntry {
    pub position_id: String,
    pub position: String,
    pub candidate_id: String,
    pub name: String,
    pub channel: &'static str,
    pub address: String,
    pub subject: Option<String>,
    /// Empty when there is a `problem`.
    pub message: String,
    /// Why no message could be written (an SMS over the length limit).
    pub problem: Option<String>,
    pub score: f64,
    pub rules_fired: Vec<String>,
    pub interview_date: Option<NaiveDate>,
    pub interviewer: Option<String>,
    pub evaluation: Option<String>,
    pub original_reason: Option<String>,
    pub expected_salary: Option<String>,
    pub budget: Option<String>,
    pub latest_status: Option<String>,
    /// The last contact on or before the as-of date (outside the cooldown,
    /// or the person would not be listed).
    pub last_contact: Option<NaiveDate>,
    /// Talent-pool tags, as labels in the list's language.
    pub tags: Vec<String>,
    /// The weighted interview composite (0–10) of the interview shown.
    pub composite: Option<f64>,
    /// Highest minus lowest composite among that application's interviewers.
    pub panel_spread: Option<f64>,
    /// The run's as-of date: when the list was written. A returned
    /// workbook carries it back, so the report knows which contacts came
    /// after the listing.
    pub listed_at: NaiveDate,
}

fn money(min: Option<f64>, max: Option<f64>) -> Option<String> {
    let k = |v: f64| {
        let k = v / 1000.0;
        if k.fract() == 0.0 {
            format!("{k:.0}k")
        } else {
            format!("{k:.1}k")
        }
    };
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(format!("{}/月", k(a))),
        (Some(a), Some(b)) => Some(format!("{}-{}/月", k(a), k(b))),
        (Some(a), None) => Some(format!("{}以上/月", k(a))),
        (None, Some(b)) => Some(format!("{}以内/月", k(b))),
        (None, None) => None,
    }
}

/// The applications as they stood on `as_of`: those made later are left
/// out, and one decided later was still open then (no status, reason or
/// start date yet). Undated ones are taken as known.
fn known_on<'a>(
    apps: &[&'a ApplicationRecord],
    as_of: NaiveDate,
) -> Vec<std::borrow::Cow<'a, ApplicationRecord>> {
    use std::borrow::Cow;
    apps.iter()
        .filter(|a| a.applied_at.is_none_or(|d| d <= as_of))
        .map(|a| {
            let later = |d: Option<NaiveDate>| d.is_some_and(|d| d > as_of);
            if later(a.decided_at) || later(a.onboard_at) {
                let mut open = (*a).clone();
                open.status = Some("in_progress");
                open.rejection_type = None;
                open.rejection_reason = None;
                open.decided_at = None;
                open.onboard_at = None;
                Cow::Owned(open)
            } else {
                Cow::Borrowed(*a)
            }
        })
        .collect()
}

/// Builds the recall lists of every open or reopened position.
pub fn recall(
    data: &Dataset,
    settings: &RecallSettings,
    as_of: NaiveDate,
) -> Result<Vec<RecallEntry>, String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, src, origin) in
        crate::notices::template_set(TEMPLATES, settings.templates.as_deref())?
    {
        env.add_template_owned(name, src)
            .map_err(|e| format!("recall template {origin}: {e}"))?;
    }
    let texts: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>> =
        toml::from_str(TEXTS).map_err(|e| e.to_string())?;
    let reason_text = |code: &str, lang: Lang| -> String {
        let t = &texts["reason"];
        t.get(code)
            .or_else(|| t.get("other"))
            .and_then(|m| m.get(lang.code()))
            .cloned()
            .unwrap_or_default()
    };
    let table = std::sync::Arc::new(SkillTable::builtin());
    let scales = Scales::detect(data.evaluations.iter());
    let (apps, evals) = data.by_candidate();
    let positions: Vec<&PositionRecord> = data.positions.iter().filter(|p| is_open(p)).collect();
    let history = History::as_of(data, as_of);
    // Each person's entries are independent of every other's: they are
    // found in parallel and kept in person order, so the first error is
    // the one a sequential pass would meet.
    let per_person = |person: &crate::model::PersonRecord| -> Result<Vec<RecallEntry>, String> {
        let mut out = Vec::new();
        let id = person.candidate_id.as_str();
        // What was known on the as-of date: a run dated back does not see
        // later applications, decisions or interviews.
        let known = known_on(apps.get(id).map_or(&[][..], Vec::as_slice), as_of);
        let my_apps: Vec<&ApplicationRecord> = known.iter().map(|a| a.as_ref()).collect();
        let my_apps = my_apps.as_slice();
        let my_evals: Vec<&EvaluationRecord> = evals
            .get(id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(|e| e.at.is_none_or(|t| t.date() <= as_of))
            .collect();
        let my_evals = my_evals.as_slice();
        let my_history = history.get(id);
        let last_contact = my_history
            .and_then(|h| h.last)
            .max(person.last_contact_at.filter(|d| *d <= as_of));
        if !eligible_person(person, my_apps, last_contact, settings, as_of)
            || my_history.is_some_and(|h| h.closed)
        {
            return Ok(out);
        }
        let rejected: Vec<&&ApplicationRecord> = my_apps
            .iter()
            .filter(|a| a.rejection_reason.is_some())
            .collect();
        let best_eval = my_evals
            .iter()
            .filter_map(|e| crate::score::evaluation_score(e, &BTreeMap::new(), scales.scale_of(e)))
            .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))));
        let comments: Vec<&str> = my_evals
            .iter()
            .filter_map(|e| e.comment.as_deref())
            .collect();
        let tags = crate::score::tags_for(&comments);
        let profile =
            CandidateProfile::from_records(person, my_apps, my_evals, &scales, &table, as_of)
                .with_contact(my_history.and_then(|h| h.last), as_of);
        for pos in &positions {
            if my_history.is_some_and(|h| h.declined(pos)) {
                continue;
            }
            let fits = match (person.salary_min, pos.budget_max) {
                (Some(want), Some(top)) => want <= top * (1.0 + settings.salary_tolerance),
                _ => true,
            };
            if !fits {
                continue;
            }
            let fired: Vec<String> = settings
                .rules
                .iter()
                .filter(|r| rule_fires(r, &rejected, best_eval, &tags))
                .map(|r| r.name.clone())
                .collect();
            if fired.is_empty() {
                continue;
            }
            let m = score_one(&profile, pos, &crate::score::ScoreWeights::default(), as_of);
            if m.total < settings.min_score {
                continue;
            }
            // The rejection to talk about: one for this very position if
            // there is one (the latest that went through an interview, as
            // that is what the message and HR's call refer to, else the
            // latest), else the most recent.
            let interviewed = |a: &ApplicationRecord| {
                my_evals.iter().any(|e| {
                    e.application_id == a.application_id
                        && (e.interviewer.is_some() || e.at.is_some())
                })
            };
            let last_rejection = rejected
                .iter()
                .filter(|a| a.position_id.as_deref() == Some(pos.position_id.as_str()))
                .max_by_key(|a| {
                    (
                        interviewed(a),
                        a.decided_at.or(a.applied_at),
                        a.application_id.as_str(),
                    )
                })
                .or_else(|| {
                    rejected
                        .iter()
                        .max_by_key(|a| (a.decided_at.or(a.applied_at), a.application_id.as_str()))
                });
            // The interview behind that rejection, else the latest one.
            let last_eval = my_evals
                .iter()
                .find(|e| last_rejection.is_some_and(|a| a.application_id == e.application_id))
                .or_else(|| {
                    my_evals
                        .iter()
                        .max_by_key(|e| (e.at, e.evaluation_id.as_str()))
                });
            let lang = settings.language;
            let strength = tags
                .iter()
                .filter(|t| !CONCERN_TAGS.contains(&t.code.as_str()))
                .map(|t| {
                    if lang == Lang::Zh {
                        t.label_zh.clone()
                    } else {
                        t.label_en.to_lowercase()
                    }
                })
                .take(2)
                .collect::<Vec<_>>()
                .join(if lang == Lang::Zh { "、" } else { " and " });
            let reason_code = last_rejection
                .and_then(|a| a.rejection_reason)
                .unwrap_or("other");
            let salary = money(person.salary_min, person.salary_max);
            let interview_date = last_eval.and_then(|e| e.at).map(|t| t.date());
            let name = person.name.as_deref().unwrap_or_default().to_string();
            // Values are made safe first, so that leftover template syntax
            // in a rendered message can only be a template's.
            let ctx = context! {
                name => safe_value(&name),
                company => safe_value(&settings.company),
                sender => safe_value(&settings.sender),
                position => safe_value(&pos.title),
                original_position => safe_value(&last_rejection
                    .and_then(|a| a.position.clone())
                    .or_else(|| my_apps.iter().rev().find_map(|a| a.position.clone()))
                    .unwrap_or_else(|| pos.title.clone())),
                interview_date => interview_date.map(|d| match lang {
                    Lang::Zh => d.format("%Y年%-m月").to_string(),
                    Lang::En => d.format("%B %Y").to_string(),
                }),
                reason => reason_text(reason_code, lang),
                strength => (!strength.is_empty()).then(|| safe_value(&strength)),
                salary => salary,
            };
            let render = |kind: &str| -> Result<String, String> {
                let t = env
                    .get_template(&format!("{kind}.{}", lang.code()))
                    .map_err(|e| e.to_string())?;
                t.render(&ctx)
                    .map(|s| s.trim().to_string())
                    .map_err(|e| format!("recall template `{kind}`: {e}"))
            };
            let (message, problem) = match settings.channel {
                // One SMS: the full text if it fits, else the short one,
                // else no message and the reason why.
                Channel::Sms => {
                    let limit = match lang {
                        Lang::Zh => SMS_LIMIT_ZH,
                        Lang::En => SMS_LIMIT_EN,
                    };
                    let full = render("sms")?;
                    if full.chars().count() <= limit {
                        (full, None)
                    } else {
                        let short = render("sms_short")?;
                        let len = short.chars().count();
                        if len <= limit {
                            (short, None)
                        } else {
                            (
                                String::new(),
                                Some(format!(
                                    "SMS is {len} characters, over the {limit}-character limit"
                                )),
                            )
                        }
                    }
                }
                Channel::Email | Channel::Wechat => (render("message")?, None),
            };
            if let Some(p) = unfilled_slot(&message) {
                return Err(format!("recall message: {p}: {message}"));
            }
            let (address, subject) = match settings.channel {
                Channel::Email => (
                    person.emails.first().cloned().unwrap_or_default(),
                    Some(render("subject")?),
                ),
                Channel::Sms => (person.phones.first().cloned().unwrap_or_default(), None),
                Channel::Wechat => (
                    person
                        .wechat
                        .as_deref()
                        .map(str::to_string)
                        .or_else(|| person.phones.first().cloned())
                        .unwrap_or_default(),
                    None,
                ),
            };
            if let Some(p) = subject.as_deref().and_then(unfilled_slot) {
                return Err(format!("recall subject: {p}"));
            }
            out.push(RecallEntry {
                position_id: pos.position_id.clone(),
                position: pos.title.clone(),
                candidate_id: person.candidate_id.clone(),
                name,
                channel: settings.channel.code(),
                address,
                subject,
                message,
                problem,
                score: (m.total * 100.0).round() / 100.0,
                rules_fired: fired,
                interview_date,
                interviewer: last_eval.and_then(|e| e.interviewer.clone()),
                evaluation: last_eval.and_then(|e| e.comment.clone()),
                original_reason: last_rejection.map(|a| {
                    format!(
                        "{} ({})",
                        a.rejection_reason_raw.as_deref().unwrap_or(""),
                        reason_code
                    )
                }),
                expected_salary: person.salary_raw.as_deref().map(str::to_string),
                budget: money(pos.budget_min, pos.budget_max),
                latest_status: person.latest_status.map(str::to_string),
                last_contact,
                tags: tags
                    .iter()
                    .map(|t| match lang {
                        Lang::Zh => t.label_zh.clone(),
                        Lang::En => t.label_en.clone(),
                    })
                    .collect(),
                composite: last_eval.and_then(|e| e.composite),
                panel_spread: last_eval.and_then(|e| e.panel_spread),
                listed_at: as_of,
            });
        }
        Ok(out)
    };
    let found: Vec<Result<Vec<RecallEntry>, String>> = data
        .persons
        .par_iter()
        .with_min_len(256)
        .map(per_person)
        .collect();
    let mut out = Vec::new();
    for entries in found {
        out.extend(entries?);
    }
    out.sort_by(|a, b| {
        a.position_id
            .cmp(&b.position_id)
            .then(b.score.total_cmp(&a.score))
            .then(a.candidate_id.cmp(&b.candidate_id))
    });
    Ok(out)
}

mod conditions;

#[cfg(test)]
mod tests;

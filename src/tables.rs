//! The canonical tables as polars frames: built from the normalized records,
//! sorted by their keys in a lazy plan, and handed to the writers.
//!
//! Rows are always sorted before writing — ids are content-derived, so the
//! sort makes output order independent of file order and thread scheduling,
//! which is what makes two runs byte-identical. Multi-valued fields (phones,
//! emails, skills) are written as `; `-joined text so that CSV, XLSX and
//! Parquet hold the same thing.

use chrono::{NaiveDate, NaiveDateTime};
use polars::prelude::*;

use crate::columns::{col, table};
use crate::model::{Dataset, Origin};

/// Typed column values, one variant per output type.
pub enum Values {
    Str(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Date(Vec<Option<NaiveDate>>),
    DateTime(Vec<Option<NaiveDateTime>>),
}

/// Builds a frame column by column.
#[derive(Default)]
pub struct FrameBuilder {
    columns: Vec<Column>,
}

const EPOCH: NaiveDate = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");

impl FrameBuilder {
    pub fn add(&mut self, name: &str, values: Values) -> &mut Self {
        let name: PlSmallStr = name.into();
        let series = match values {
            Values::Str(v) => Series::new(name, v),
            Values::Int(v) => Series::new(name, v),
            Values::Float(v) => Series::new(name, v),
            Values::Bool(v) => Series::new(name, v),
            Values::Date(v) => {
                let days: Vec<Option<i32>> = v
                    .iter()
                    .map(|d| d.map(|d| (d - EPOCH).num_days() as i32))
                    .collect();
                Series::new(name, days)
                    .cast(&DataType::Date)
                    .expect("i32 casts to Date")
            }
            Values::DateTime(v) => {
                let ms: Vec<Option<i64>> = v
                    .iter()
                    .map(|d| d.map(|d| d.and_utc().timestamp_millis()))
                    .collect();
                Series::new(name, ms)
                    .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                    .expect("i64 casts to Datetime")
            }
        };
        self.columns.push(series.into_column());
        self
    }

    /// Finishes the frame, sorted by `keys` (all ascending, nulls first).
    pub fn finish(self, keys: &[&str]) -> PolarsResult<DataFrame> {
        let df = DataFrame::new_infer_height(self.columns)?;
        let keys: Vec<PlSmallStr> = keys.iter().map(|k| (*k).into()).collect();
        df.lazy()
            .sort(
                keys,
                SortMultipleOptions::default().with_maintain_order(true),
            )
            .collect()
    }
}

fn s<T, F: Fn(&T) -> Option<String>>(rows: &[T], f: F) -> Values {
    Values::Str(rows.iter().map(f).collect())
}

fn joined(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join("; "))
}

fn origin_columns<T>(b: &mut FrameBuilder, rows: &[T], origin: impl Fn(&T) -> Option<&Origin>) {
    b.add(
        col::SOURCE,
        s(rows, |r| origin(r).map(|o| o.source.to_string())),
    );
    b.add(
        col::FILE,
        s(rows, |r| origin(r).map(|o| o.file.to_string())),
    );
    b.add(
        col::SHEET,
        s(rows, |r| {
            origin(r).and_then(|o| o.sheet.as_deref().map(str::to_string))
        }),
    );
    b.add(
        col::ROW,
        Values::Int(
            rows.iter()
                .map(|r| origin(r).map(|o| o.row as i64))
                .collect(),
        ),
    );
}

/// All canonical tables, in output order.
pub fn build(data: &Dataset) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
    Ok(vec![
        (table::CANDIDATES, candidates(data)?),
        (table::APPLICATIONS, applications(data)?),
        (table::EVALUATIONS, evaluations(data)?),
        (table::EVENTS, events(data)?),
        (table::POSITIONS, positions(data)?),
        (table::MESSAGES, messages(data)?),
        (table::QUARANTINE, quarantine(data)?),
        (table::LINEAGE, lineage(data)?),
    ])
}

fn candidates(data: &Dataset) -> PolarsResult<DataFrame> {
    let p = &data.persons;
    let mut b = FrameBuilder::default();
    b.add(col::CANDIDATE_ID, s(p, |r| Some(r.candidate_id.clone())))
        .add(col::NAME, s(p, |r| r.name.clone()))
        .add(col::NAME_KEY, s(p, |r| r.name_key.clone()))
        .add(col::NAME_LATIN, s(p, |r| r.name_latin.clone()))
        .add(col::GENDER, s(p, |r| r.gender.map(str::to_string)))
        .add(
            col::BIRTH_DATE,
            Values::Date(p.iter().map(|r| r.birth_date).collect()),
        )
        .add(col::PHONE, s(p, |r| r.phones.first().cloned()))
        .add(col::PHONES, s(p, |r| joined(&r.phones)))
        .add(col::PHONE_RAW, s(p, |r| joined(&r.phones_raw)))
        .add(col::EMAIL, s(p, |r| r.emails.first().cloned()))
        .add(col::EMAILS, s(p, |r| joined(&r.emails)))
        .add(col::WECHAT, s(p, |r| r.wechat.clone()))
        .add(col::ID_NUMBER, s(p, |r| r.id_number.clone()))
        .add(col::ID_TYPE, s(p, |r| r.id_type.map(str::to_string)))
        .add(col::CITY, s(p, |r| r.city.clone()))
        .add(col::PROVINCE, s(p, |r| r.province.clone()))
        .add(col::ADDRESS, s(p, |r| r.address.clone()))
        .add(col::POSTCODE, s(p, |r| r.postcode.clone()))
        .add(col::EDUCATION, s(p, |r| r.education.map(str::to_string)))
        .add(
            col::EDUCATION_RANK,
            Values::Int(p.iter().map(|r| r.education_rank.map(i64::from)).collect()),
        )
        .add(col::SCHOOL, s(p, |r| r.school.clone()))
        .add(col::MAJOR, s(p, |r| r.major.clone()))
        .add(
            col::YEARS_EXPERIENCE,
            Values::Float(p.iter().map(|r| r.years_experience).collect()),
        )
        .add(col::CURRENT_COMPANY, s(p, |r| r.current_company.clone()))
        .add(col::CURRENT_TITLE, s(p, |r| r.current_title.clone()))
        .add(col::SKILLS, s(p, |r| joined(&r.skills)))
        .add(col::TAGS, s(p, |r| joined(&r.tags)))
        .add(
            col::EXPECTED_SALARY_MIN,
            Values::Float(p.iter().map(|r| r.salary_min).collect()),
        )
        .add(
            col::EXPECTED_SALARY_MAX,
            Values::Float(p.iter().map(|r| r.salary_max).collect()),
        )
        .add(
            col::EXPECTED_SALARY_MONTHS,
            Values::Int(p.iter().map(|r| r.salary_months.map(i64::from)).collect()),
        )
        .add(
            col::EXPECTED_SALARY_NEGOTIABLE,
            Values::Bool(p.iter().map(|r| Some(r.salary_negotiable)).collect()),
        )
        .add(col::EXPECTED_SALARY_RAW, s(p, |r| r.salary_raw.clone()))
        .add(col::SOURCE_CHANNEL, s(p, |r| r.source_channel.clone()))
        .add(
            col::LATEST_STATUS,
            s(p, |r| r.latest_status.map(str::to_string)),
        )
        .add(
            col::LAST_CONTACT_AT,
            Values::Date(p.iter().map(|r| r.last_contact_at).collect()),
        )
        .add(
            col::DO_NOT_CONTACT,
            Values::Bool(p.iter().map(|r| Some(r.do_not_contact)).collect()),
        )
        .add(
            col::EXTRA,
            s(p, |r| {
                (!r.extra.is_empty())
                    .then(|| serde_json::to_string(&r.extra).expect("string map serializes"))
            }),
        );
    origin_columns(&mut b, p, |r| r.origin.as_ref());
    b.finish(&[col::CANDIDATE_ID])
}

fn applications(data: &Dataset) -> PolarsResult<DataFrame> {
    let a = &data.applications;
    let mut b = FrameBuilder::default();
    b.add(
        col::APPLICATION_ID,
        s(a, |r| Some(r.application_id.clone())),
    )
    .add(col::CANDIDATE_ID, s(a, |r| Some(r.candidate_id.clone())))
    .add(col::POSITION_ID, s(a, |r| r.position_id.clone()))
    .add(col::POSITION, s(a, |r| r.position.clone()))
    .add(col::DEPARTMENT, s(a, |r| r.department.clone()))
    .add(
        col::APPLIED_AT,
        Values::Date(a.iter().map(|r| r.applied_at).collect()),
    )
    .add(col::STAGE, s(a, |r| r.stage.map(str::to_string)))
    .add(col::STATUS, s(a, |r| r.status.map(str::to_string)))
    .add(col::STATUS_RAW, s(a, |r| r.status_raw.clone()))
    .add(
        col::REJECTION_TYPE,
        s(a, |r| r.rejection_type.map(str::to_string)),
    )
    .add(
        col::REJECTION_REASON,
        s(a, |r| r.rejection_reason.map(str::to_string)),
    )
    .add(
        col::REJECTION_REASON_RAW,
        s(a, |r| r.rejection_reason_raw.clone()),
    )
    .add(col::DECIDED_BY, s(a, |r| r.decided_by.clone()))
    .add(
        col::DECIDED_AT,
        Values::Date(a.iter().map(|r| r.decided_at).collect()),
    )
    .add(
        col::ONBOARD_AT,
        Values::Date(a.iter().map(|r| r.onboard_at).collect()),
    )
    .add(col::SOURCE_CHANNEL, s(a, |r| r.source_channel.clone()));
    origin_columns(&mut b, a, |r| r.origin.as_ref());
    b.finish(&[col::APPLICATION_ID])
}

fn evaluations(data: &Dataset) -> PolarsResult<DataFrame> {
    let e = &data.evaluations;
    let f = |get: fn(&crate::model::EvaluationRecord) -> Option<f64>| {
        Values::Float(e.iter().map(get).collect())
    };
    let mut b = FrameBuilder::default();
    b.add(col::EVALUATION_ID, s(e, |r| Some(r.evaluation_id.clone())))
        .add(
            col::APPLICATION_ID,
            s(e, |r| Some(r.application_id.clone())),
        )
        .add(col::CANDIDATE_ID, s(e, |r| Some(r.candidate_id.clone())))
        .add(
            col::ROUND,
            Values::Int(e.iter().map(|r| r.round.map(i64::from)).collect()),
        )
        .add(col::INTERVIEWER, s(e, |r| r.interviewer.clone()))
        .add(col::DEPARTMENT, s(e, |r| r.department.clone()))
        .add(col::AT, Values::DateTime(e.iter().map(|r| r.at).collect()))
        .add(col::SCORE_TECHNICAL, f(|r| r.technical))
        .add(col::SCORE_BUSINESS, f(|r| r.business))
        .add(col::SCORE_COMMUNICATION, f(|r| r.communication))
        .add(col::SCORE_TEAMWORK, f(|r| r.teamwork))
        .add(col::SCORE_CULTURE, f(|r| r.culture))
        .add(col::SCORE_OVERALL, f(|r| r.overall))
        .add(col::COMMENT, s(e, |r| r.comment.clone()))
        .add(col::COMPOSITE, f(|r| r.composite))
        .add(col::PANEL_SPREAD, f(|r| r.panel_spread));
    origin_columns(&mut b, e, |r| r.origin.as_ref());
    b.finish(&[col::EVALUATION_ID])
}

fn events(data: &Dataset) -> PolarsResult<DataFrame> {
    let e = &data.events;
    let mut b = FrameBuilder::default();
    b.add(col::EVENT_ID, s(e, |r| Some(r.event_id.clone())))
        .add(col::CANDIDATE_ID, s(e, |r| Some(r.candidate_id.clone())))
        .add(col::AT, Values::DateTime(e.iter().map(|r| r.at).collect()))
        .add(col::KIND, s(e, |r| Some(r.kind.to_string())))
        .add(col::TEXT, s(e, |r| Some(r.text.clone())))
        .add(col::SAID_BY, s(e, |r| r.said_by.clone()))
        .add(
            col::CONFIDENCE,
            Values::Float(e.iter().map(|r| r.confidence).collect()),
        )
        .add(col::DETAIL, s(e, |r| r.detail.clone()));
    origin_columns(&mut b, e, |r| r.origin.as_ref());
    b.finish(&[col::CANDIDATE_ID, col::AT, col::EVENT_ID])
}

fn positions(data: &Dataset) -> PolarsResult<DataFrame> {
    let p = &data.positions;
    let mut b = FrameBuilder::default();
    b.add(col::POSITION_ID, s(p, |r| Some(r.position_id.clone())))
        .add(col::TITLE, s(p, |r| Some(r.title.clone())))
        .add(col::DEPARTMENT, s(p, |r| r.department.clone()))
        .add(col::JOB_FAMILY, s(p, |r| r.job_family.map(str::to_string)))
        .add(col::REQUIRED_SKILLS, s(p, |r| joined(&r.required_skills)))
        .add(col::NICE_SKILLS, s(p, |r| joined(&r.nice_skills)))
        .add(
            col::MIN_YEARS,
            Values::Float(p.iter().map(|r| r.min_years).collect()),
        )
        .add(
            col::EDUCATION_MIN,
            s(p, |r| r.education_min.map(str::to_string)),
        )
        .add(col::CITY, s(p, |r| r.city.clone()))
        .add(
            col::BUDGET_MIN,
            Values::Float(p.iter().map(|r| r.budget_min).collect()),
        )
        .add(
            col::BUDGET_MAX,
            Values::Float(p.iter().map(|r| r.budget_max).collect()),
        )
        .add(col::POSITION_STATUS, s(p, |r| r.status.map(str::to_string)))
        .add(
            col::OPENED_AT,
            Values::Date(p.iter().map(|r| r.opened_at).collect()),
        )
        .add(
            col::HEADCOUNT,
            Values::Int(p.iter().map(|r| r.headcount.map(i64::from)).collect()),
        )
        .add(col::WEIGHTS, s(p, |r| r.weights.clone()))
        .add(
            col::TITLE_ALIASES,
            s(p, |r| (!r.aliases.is_empty()).then(|| r.aliases.join("; "))),
        );
    origin_columns(&mut b, p, |r| r.origin.as_ref());
    b.finish(&[col::POSITION_ID])
}

fn messages(data: &Dataset) -> PolarsResult<DataFrame> {
    let m = &data.messages;
    let mut b = FrameBuilder::default();
    b.add(col::MESSAGE_ID, s(m, |r| Some(r.message_id.clone())))
        .add(col::PLATFORM, s(m, |r| Some(r.platform.clone())))
        .add(col::CHAT_NAME, s(m, |r| r.chat_name.clone()))
        .add(col::CHAT_KIND, s(m, |r| Some(r.chat_kind.clone())))
        .add(col::AT, Values::DateTime(m.iter().map(|r| r.at).collect()))
        .add(col::SENDER, s(m, |r| r.sender.clone()))
        .add(col::SENDER_ID, s(m, |r| r.sender_id.clone()))
        .add(
            col::IS_SYSTEM,
            Values::Bool(m.iter().map(|r| Some(r.is_system)).collect()),
        )
        .add(col::KIND, s(m, |r| Some(r.kind.clone())))
        .add(col::TEXT, s(m, |r| Some(r.text.clone())));
    origin_columns(&mut b, m, |r| r.origin.as_ref());
    b.finish(&[col::FILE, col::ROW, col::MESSAGE_ID])
}

/// The `matches` table: the best candidates per open position, with the
/// score breakdown and the screening result.
pub fn matches(rows: &[crate::matching::MatchEntry]) -> PolarsResult<DataFrame> {
    let f = |get: fn(&crate::matching::MatchEntry) -> f64| {
        Values::Float(
            rows.iter()
                .map(|r| Some((get(r) * 10_000.0).round() / 10_000.0))
                .collect(),
        )
    };
    let mut b = FrameBuilder::default();
    b.add(col::POSITION_ID, s(rows, |r| Some(r.position_id.clone())))
        .add(col::TITLE, s(rows, |r| Some(r.title.clone())))
        .add(
            "rank",
            Values::Int(rows.iter().map(|r| Some(r.rank as i64)).collect()),
        )
        .add(col::CANDIDATE_ID, s(rows, |r| Some(r.candidate_id.clone())))
        .add(col::NAME, s(rows, |r| Some(r.name.clone())))
        .add("score", f(|r| r.score))
        .add("skills", f(|r| r.skills))
        .add("experience", f(|r| r.experience))
        .add("education", f(|r| r.education))
        .add("salary_fit", f(|r| r.salary_fit))
        .add("evaluation", f(|r| r.evaluation))
        .add("recency", f(|r| r.recency))
        .add(
            "screening_passed",
            Values::Bool(rows.iter().map(|r| Some(r.screening_passed)).collect()),
        )
        .add(
            "screening_failed",
            s(rows, |r| {
                Some(r.screening_failed.clone()).filter(|x| !x.is_empty())
            }),
        );
    b.finish(&[col::POSITION_ID, "rank"])
}

/// A recall list: who to call back for which position, with the facts,
/// the message, the rules that fired, and empty outcome columns for HR.
pub fn recall(rows: &[crate::recall::RecallEntry]) -> PolarsResult<DataFrame> {
    let mut b = FrameBuilder::default();
    b.add(col::POSITION_ID, s(rows, |r| Some(r.position_id.clone())))
        .add(col::POSITION, s(rows, |r| Some(r.position.clone())))
        .add(
            col::RANK,
            Values::Int((0..rows.len()).map(|i| Some(rank_in(rows, i))).collect()),
        )
        .add(col::CANDIDATE_ID, s(rows, |r| Some(r.candidate_id.clone())))
        .add(col::NAME, s(rows, |r| Some(r.name.clone())))
        .add(
            "score",
            Values::Float(rows.iter().map(|r| Some(r.score)).collect()),
        )
        .add("rules_fired", s(rows, |r| Some(r.rules_fired.join("; "))))
        .add(
            "interview_date",
            Values::Date(rows.iter().map(|r| r.interview_date).collect()),
        )
        .add(col::INTERVIEWER, s(rows, |r| r.interviewer.clone()))
        .add("evaluation", s(rows, |r| r.evaluation.clone()))
        .add(
            col::COMPOSITE,
            Values::Float(rows.iter().map(|r| r.composite).collect()),
        )
        .add(
            col::PANEL_SPREAD,
            Values::Float(rows.iter().map(|r| r.panel_spread).collect()),
        )
        .add(
            col::TAGS,
            s(rows, |r| Some(r.tags.join("; ")).filter(|t| !t.is_empty())),
        )
        .add("original_reason", s(rows, |r| r.original_reason.clone()))
        .add("expected_salary", s(rows, |r| r.expected_salary.clone()))
        .add("budget", s(rows, |r| r.budget.clone()))
        .add(col::LATEST_STATUS, s(rows, |r| r.latest_status.clone()))
        .add(
            col::LAST_CONTACT_AT,
            Values::Date(rows.iter().map(|r| r.last_contact).collect()),
        )
        .add(
            col::RECALL_CHANNEL,
            s(rows, |r| Some(r.channel.to_string())),
        )
        .add(
            "address",
            s(rows, |r| Some(r.address.clone()).filter(|a| !a.is_empty())),
        )
        .add("subject", s(rows, |r| r.subject.clone()))
        .add(
            "message",
            s(rows, |r| Some(r.message.clone()).filter(|m| !m.is_empty())),
        )
        .add("problem", s(rows, |r| r.problem.clone()))
        .add(
            col::LISTED_AT,
            Values::Date(rows.iter().map(|r| Some(r.listed_at)).collect()),
        );
    // Left empty for HR; a returned workbook is read back by these names
    // (see `HeaderTable::recall_outcomes`).
    for name in [
        col::OUTCOME,
        col::OUTCOME_AT,
        col::OUTCOME_BY,
        col::REINTERVIEW_AT,
        col::REINTERVIEW_BY,
        col::OUTCOME_NOTES,
    ] {
        b.add(name, Values::Str(vec![None; rows.len()]));
    }
    b.finish(&[col::POSITION_ID, col::RANK])
}

/// 1-based rank of row `i` within its position (rows are sorted by
/// position, then score).
fn rank_in(rows: &[crate::recall::RecallEntry], i: usize) -> i64 {
    let first = rows[..i]
        .iter()
        .rposition(|r| r.position_id != rows[i].position_id)
        .map_or(0, |p| p + 1);
    (i - first + 1) as i64
}

/// The `merges` table: every compared pair with its per-field levels.
pub fn merges(rows: &[crate::entities::MergeEntry]) -> PolarsResult<DataFrame> {
    let mut b = FrameBuilder::default();
    b.add("record_a", s(rows, |r| Some(r.record_a.clone())))
        .add("record_b", s(rows, |r| Some(r.record_b.clone())))
        .add("candidate_a", s(rows, |r| Some(r.candidate_a.clone())))
        .add("candidate_b", s(rows, |r| Some(r.candidate_b.clone())));
    let fields: Vec<&'static str> = rows
        .first()
        .map(|r| r.levels.iter().map(|(f, _)| *f).collect())
        .unwrap_or_default();
    for (i, f) in fields.iter().enumerate() {
        b.add(
            &format!("level_{f}"),
            s(rows, |r| r.levels.get(i).map(|(_, l)| l.to_string())),
        );
    }
    b.add(
        "score",
        Values::Float(
            rows.iter()
                .map(|r| Some((r.score * 1000.0).round() / 1000.0))
                .collect(),
        ),
    )
    .add("decision", s(rows, |r| Some(r.decision.to_string())))
    .add("rule", s(rows, |r| r.rule.map(str::to_string)));
    b.finish(&["record_a", "record_b"])
}

/// Picks one side of a review pair.
type PickSide = fn(&crate::entities::ReviewPair) -> &crate::entities::ReviewSide;
/// Picks one field of a review side.
type PickField = fn(&crate::entities::ReviewSide) -> &String;

/// The review list: borderline pairs side by side, with an empty verdict
/// column for a person to fill.
pub fn review(rows: &[crate::entities::ReviewPair]) -> PolarsResult<DataFrame> {
    let mut b = FrameBuilder::default();
    b.add(
        "score",
        Values::Float(
            rows.iter()
                .map(|r| Some((r.score * 1000.0).round() / 1000.0))
                .collect(),
        ),
    )
    .add("rule", s(rows, |r| r.rule.map(str::to_string)));
    let sides: [(&str, PickSide); 2] = [("a", |r| &r.a), ("b", |r| &r.b)];
    let fields: [(&str, PickField); 10] = [
        ("record", |x| &x.record_id),
        ("name", |x| &x.name),
        ("phones", |x| &x.phones),
        ("emails", |x| &x.emails),
        ("birth_date", |x| &x.birth_date),
        ("id_number", |x| &x.id_number),
        ("city", |x| &x.city),
        ("school", |x| &x.school),
        ("company", |x| &x.company),
        ("source", |x| &x.source),
    ];
    for (label, get) in fields {
        for (side, pick) in sides {
            b.add(
                &format!("{label}_{side}"),
                s(rows, |r| {
                    Some(get(pick(r)).clone()).filter(|v| !v.is_empty())
                }),
            );
        }
    }
    b.add("verdict", Values::Str(vec![None; rows.len()]));
    b.finish(&["record_a", "record_b"])
}

fn quarantine(data: &Dataset) -> PolarsResult<DataFrame> {
    let q = &data.quarantine;
    let mut b = FrameBuilder::default();
    b.add(col::SOURCE, s(q, |r| Some(r.source.to_string())))
        .add(col::FILE, s(q, |r| Some(r.file.to_string())))
        .add(col::SHEET, s(q, |r| r.sheet.as_deref().map(str::to_string)))
        .add(
            col::ROW,
            Values::Int(q.iter().map(|r| Some(r.row as i64)).collect()),
        )
        .add(col::COLUMN, s(q, |r| Some(r.column.clone())))
        .add(col::LEVEL, s(q, |r| Some(r.level.name().to_string())))
        .add(col::VALUE, s(q, |r| Some(r.value.clone())))
        .add(col::REASON, s(q, |r| Some(r.reason.clone())));
    b.finish(&[col::FILE, col::SHEET, col::ROW, col::COLUMN, col::REASON])
}

fn lineage(data: &Dataset) -> PolarsResult<DataFrame> {
    let l = &data.lineage;
    let mut b = FrameBuilder::default();
    b.add(col::ENTITY, s(l, |r| Some(r.entity.to_string())))
        .add(col::ENTITY_ID, s(l, |r| Some(r.entity_id.clone())))
        .add(col::FIELD, s(l, |r| Some(r.field.to_string())))
        .add(col::VALUE, s(l, |r| Some(r.value.clone())))
        .add(col::FILE, s(l, |r| Some(r.file.to_string())))
        .add(col::SHEET, s(l, |r| r.sheet.as_deref().map(str::to_string)))
        .add(
            col::ROW,
            Values::Int(l.iter().map(|r| Some(r.row as i64)).collect()),
        )
        .add(col::COLUMN, s(l, |r| Some(r.column.to_string())))
        .add(
            col::SURVIVED,
            Values::Bool(l.iter().map(|r| r.survived).collect()),
        );
    b.finish(&[
        col::ENTITY,
        col::ENTITY_ID,
        col::FIELD,
        col::FILE,
        col::SHEET,
        col::ROW,
        col::COLUMN,
    ])
}

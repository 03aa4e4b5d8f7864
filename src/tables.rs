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
use rayon::prelude::*;

use crate::columns::{col, table};
use crate::lineage::Lineage;
use crate::model::{Dataset, Origin};

/// Typed column values, one variant per output type.
pub enum Values {
    Str(StringChunked),
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
            Values::Str(v) => v.with_name(name).into_series(),
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

    /// Finishes the frame, sorted by `keys` (all ascending, nulls first,
    /// ties in build order).
    ///
    /// The order is computed on integers: each key column's values are
    /// replaced by their rank among the column's distinct values (0 for
    /// null), the ranks of all keys and the row number are packed into one
    /// `u128` per row, and those are sorted. The frame is then gathered
    /// once. Keys too wide to pack fall back to a sort by polars.
    pub fn finish(self, keys: &[&str]) -> PolarsResult<DataFrame> {
        let df = DataFrame::new_infer_height(self.columns)?;
        match packed_order(&df, keys)? {
            Some(order) => df.take(&order),
            None => {
                let keys: Vec<PlSmallStr> = keys.iter().map(|k| (*k).into()).collect();
                df.lazy()
                    .sort(
                        keys,
                        SortMultipleOptions::default().with_maintain_order(true),
                    )
                    .collect()
            }
        }
    }
}

/// Row order of `df` by `keys` as row indices, or `None` when a key column
/// has a type without ranks here or the ranks do not fit in 96 bits.
fn packed_order(df: &DataFrame, keys: &[&str]) -> PolarsResult<Option<IdxCa>> {
    let height = df.height();
    if height > u32::MAX as usize {
        return Ok(None);
    }
    let mut packed: Vec<u128> = vec![0; height];
    let mut bits = 0u32;
    for key in keys {
        let c = df.column(key)?;
        let Some((ranks, distinct)) = column_ranks(c)? else {
            return Ok(None);
        };
        // Ranks run from 0 (null) to `distinct`.
        let width = u32::BITS - (distinct as u32).leading_zeros();
        bits += width;
        if bits > 96 {
            return Ok(None);
        }
        for (p, r) in packed.iter_mut().zip(ranks) {
            *p = (*p << width) | r as u128;
        }
    }
    let mut rows: Vec<u128> = packed
        .into_iter()
        .enumerate()
        .map(|(i, p)| (p << 32) | i as u128)
        .collect();
    // The row number makes every key distinct, so an unstable sort gives
    // the stable order.
    rows.par_sort_unstable();
    let order: Vec<IdxSize> = rows.into_iter().map(|r| r as u32 as IdxSize).collect();
    Ok(Some(IdxCa::from_vec("order".into(), order)))
}

/// Each value's rank among the distinct values of the column (1-based,
/// ascending; 0 for null) and the number of distinct values.
fn column_ranks(c: &Column) -> PolarsResult<Option<(Vec<u32>, usize)>> {
    Ok(Some(match c.dtype() {
        DataType::String => ranks_of(c.str()?.iter()),
        DataType::Int64 => ranks_of(c.i64()?.iter()),
        DataType::Int32 => ranks_of(c.i32()?.iter()),
        DataType::Date => ranks_of(c.date()?.phys.iter()),
        DataType::Datetime(_, _) => ranks_of(c.datetime()?.phys.iter()),
        _ => return Ok(None),
    }))
}

fn ranks_of<V: Ord + std::hash::Hash + Copy>(
    values: impl Iterator<Item = Option<V>>,
) -> (Vec<u32>, usize) {
    let mut ids: PlHashMap<V, u32> = PlHashMap::default();
    let mut distinct: Vec<V> = Vec::new();
    let first: Vec<u32> = values
        .map(|v| match v {
            None => u32::MAX,
            Some(v) => *ids.entry(v).or_insert_with(|| {
                distinct.push(v);
                (distinct.len() - 1) as u32
            }),
        })
        .collect();
    let mut by_value: Vec<u32> = (0..distinct.len() as u32).collect();
    by_value.sort_unstable_by(|&a, &b| distinct[a as usize].cmp(&distinct[b as usize]));
    let mut rank = vec![0u32; distinct.len()];
    for (r, &id) in by_value.iter().enumerate() {
        rank[id as usize] = r as u32 + 1;
    }
    let ranks = first
        .into_iter()
        .map(|id| if id == u32::MAX { 0 } else { rank[id as usize] })
        .collect();
    (ranks, distinct.len())
}

/// A text column: each row's value borrowed (or, for joined lists, built)
/// and copied once, straight into the column's buffers.
fn s<'a, T, S: AsRef<str>, F: Fn(&'a T) -> Option<S>>(rows: &'a [T], f: F) -> Values {
    Values::Str(rows.iter().map(f).collect())
}

/// A column of nulls.
fn empty_text(len: usize) -> Values {
    Values::Str(std::iter::repeat_n(None::<&str>, len).collect())
}

fn joined(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join("; "))
}

fn origin_columns<T>(b: &mut FrameBuilder, rows: &[T], origin: impl Fn(&T) -> Option<&Origin>) {
    b.add(col::SOURCE, s(rows, |r| origin(r).map(|o| &*o.source)));
    b.add(col::FILE, s(rows, |r| origin(r).map(|o| &*o.file)));
    b.add(
        col::SHEET,
        s(rows, |r| origin(r).and_then(|o| o.sheet.as_deref())),
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

/// Builds one canonical table of a dataset.
pub type Build = fn(&Dataset) -> PolarsResult<DataFrame>;

/// All canonical tables built from the dataset but the lineage (see
/// [`LineageTable`]), in output order, each with the function that builds
/// it: a run builds and writes them one at a time.
pub const DATASET: [(&str, Build); 7] = [
    (table::CANDIDATES, candidates),
    (table::APPLICATIONS, applications),
    (table::EVALUATIONS, evaluations),
    (table::EVENTS, events),
    (table::POSITIONS, positions),
    (table::MESSAGES, messages),
    (table::QUARANTINE, quarantine),
];

fn candidates(data: &Dataset) -> PolarsResult<DataFrame> {
    let p = &data.persons;
    let mut b = FrameBuilder::default();
    b.add(col::CANDIDATE_ID, s(p, |r| Some(&*r.candidate_id)))
        .add(col::NAME, s(p, |r| r.name.as_deref()))
        .add(col::NAME_KEY, s(p, |r| r.name_key.as_deref()))
        .add(col::NAME_LATIN, s(p, |r| r.name_latin.as_deref()))
        .add(col::GENDER, s(p, |r| r.gender))
        .add(
            col::BIRTH_DATE,
            Values::Date(p.iter().map(|r| r.birth_date).collect()),
        )
        .add(col::PHONE, s(p, |r| r.phones.first()))
        .add(col::PHONES, s(p, |r| joined(&r.phones)))
        .add(col::PHONE_RAW, s(p, |r| joined(&r.details().phones_raw)))
        .add(col::EMAIL, s(p, |r| r.emails.first()))
        .add(col::EMAILS, s(p, |r| joined(&r.emails)))
        .add(col::WECHAT, s(p, |r| r.wechat.as_deref()))
        .add(col::ID_NUMBER, s(p, |r| r.id_number.as_deref()))
        .add(col::ID_TYPE, s(p, |r| r.id_type))
        .add(col::CITY, s(p, |r| r.city.as_deref()))
        .add(col::PROVINCE, s(p, |r| r.details().province.as_deref()))
        .add(col::ADDRESS, s(p, |r| r.details().address.as_deref()))
        .add(col::POSTCODE, s(p, |r| r.details().postcode.as_deref()))
        .add(col::EDUCATION, s(p, |r| r.education))
        .add(
            col::EDUCATION_RANK,
            Values::Int(p.iter().map(|r| r.education_rank.map(i64::from)).collect()),
        )
        .add(col::SCHOOL, s(p, |r| r.school.as_deref()))
        .add(col::MAJOR, s(p, |r| r.major.as_deref()))
        .add(
            col::YEARS_EXPERIENCE,
            Values::Float(p.iter().map(|r| r.years_experience).collect()),
        )
        .add(col::CURRENT_COMPANY, s(p, |r| r.current_company.as_deref()))
        .add(
            col::CURRENT_TITLE,
            s(p, |r| r.details().current_title.as_deref()),
        )
        .add(col::SKILLS, s(p, |r| joined(&r.details().skills)))
        .add(col::TAGS, s(p, |r| joined(&r.details().tags)))
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
            Values::Int(
                p.iter()
                    .map(|r| r.details().salary_months.map(i64::from))
                    .collect(),
            ),
        )
        .add(
            col::EXPECTED_SALARY_NEGOTIABLE,
            Values::Bool(p.iter().map(|r| Some(r.salary_negotiable)).collect()),
        )
        .add(col::EXPECTED_SALARY_RAW, s(p, |r| r.salary_raw.as_deref()))
        .add(col::SOURCE_CHANNEL, s(p, |r| r.source_channel.as_deref()))
        .add(col::LATEST_STATUS, s(p, |r| r.latest_status))
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
    b.add(col::APPLICATION_ID, s(a, |r| Some(&*r.application_id)))
        .add(col::CANDIDATE_ID, s(a, |r| Some(&*r.candidate_id)))
        .add(col::POSITION_ID, s(a, |r| r.position_id.as_deref()))
        .add(col::POSITION, s(a, |r| r.position.as_deref()))
        .add(col::DEPARTMENT, s(a, |r| r.department.as_deref()))
        .add(
            col::APPLIED_AT,
            Values::Date(a.iter().map(|r| r.applied_at).collect()),
        )
        .add(col::STAGE, s(a, |r| r.stage))
        .add(col::STATUS, s(a, |r| r.status))
        .add(col::STATUS_RAW, s(a, |r| r.status_raw.as_deref()))
        .add(col::REJECTION_TYPE, s(a, |r| r.rejection_type))
        .add(col::REJECTION_REASON, s(a, |r| r.rejection_reason))
        .add(
            col::REJECTION_REASON_RAW,
            s(a, |r| r.rejection_reason_raw.as_deref()),
        )
        .add(col::DECIDED_BY, s(a, |r| r.decided_by.as_deref()))
        .add(
            col::DECIDED_AT,
            Values::Date(a.iter().map(|r| r.decided_at).collect()),
        )
        .add(
            col::ONBOARD_AT,
            Values::Date(a.iter().map(|r| r.onboard_at).collect()),
        )
        .add(col::SOURCE_CHANNEL, s(a, |r| r.source_channel.as_deref()));
    origin_columns(&mut b, a, |r| r.origin.as_ref());
    b.finish(&[col::APPLICATION_ID])
}

fn evaluations(data: &Dataset) -> PolarsResult<DataFrame> {
    let e = &data.evaluations;
    let f = |get: fn(&crate::model::EvaluationRecord) -> Option<f64>| {
        Values::Float(e.iter().map(get).collect())
    };
    let mut b = FrameBuilder::default();
    b.add(col::EVALUATION_ID, s(e, |r| Some(&*r.evaluation_id)))
        .add(col::APPLICATION_ID, s(e, |r| Some(&*r.application_id)))
        .add(col::CANDIDATE_ID, s(e, |r| Some(&*r.candidate_id)))
        .add(
            col::ROUND,
            Values::Int(e.iter().map(|r| r.round.map(i64::from)).collect()),
        )
        .add(col::INTERVIEWER, s(e, |r| r.interviewer.as_deref()))
        .add(col::DEPARTMENT, s(e, |r| r.department.as_deref()))
        .add(col::AT, Values::DateTime(e.iter().map(|r| r.at).collect()))
        .add(col::SCORE_TECHNICAL, f(|r| r.technical))
        .add(col::SCORE_BUSINESS, f(|r| r.business))
        .add(col::SCORE_COMMUNICATION, f(|r| r.communication))
        .add(col::SCORE_TEAMWORK, f(|r| r.teamwork))
        .add(col::SCORE_CULTURE, f(|r| r.culture))
        .add(col::SCORE_OVERALL, f(|r| r.overall))
        .add(col::COMMENT, s(e, |r| r.comment.as_deref()))
        .add(col::COMPOSITE, f(|r| r.composite))
        .add(col::PANEL_SPREAD, f(|r| r.panel_spread));
    origin_columns(&mut b, e, |r| r.origin.as_ref());
    b.finish(&[col::EVALUATION_ID])
}

fn events(data: &Dataset) -> PolarsResult<DataFrame> {
    let e = &data.events;
    let mut b = FrameBuilder::default();
    b.add(col::EVENT_ID, s(e, |r| Some(&*r.event_id)))
        .add(col::CANDIDATE_ID, s(e, |r| Some(&*r.candidate_id)))
        .add(col::AT, Values::DateTime(e.iter().map(|r| r.at).collect()))
        .add(col::KIND, s(e, |r| Some(r.kind)))
        .add(col::TEXT, s(e, |r| Some(&*r.text)))
        .add(col::SAID_BY, s(e, |r| r.said_by.as_deref()))
        .add(
            col::CONFIDENCE,
            Values::Float(e.iter().map(|r| r.confidence).collect()),
        )
        .add(col::DETAIL, s(e, |r| r.detail.as_deref()));
    origin_columns(&mut b, e, |r| r.origin.as_ref());
    b.finish(&[col::CANDIDATE_ID, col::AT, col::EVENT_ID])
}

fn positions(data: &Dataset) -> PolarsResult<DataFrame> {
    let p = &data.positions;
    let mut b = FrameBuilder::default();
    b.add(col::POSITION_ID, s(p, |r| Some(&*r.position_id)))
        .add(col::TITLE, s(p, |r| Some(&*r.title)))
        .add(col::DEPARTMENT, s(p, |r| r.department.as_deref()))
        .add(col::JOB_FAMILY, s(p, |r| r.job_family))
        .add(col::REQUIRED_SKILLS, s(p, |r| joined(&r.required_skills)))
        .add(col::NICE_SKILLS, s(p, |r| joined(&r.nice_skills)))
        .add(
            col::MIN_YEARS,
            Values::Float(p.iter().map(|r| r.min_years).collect()),
        )
        .add(col::EDUCATION_MIN, s(p, |r| r.education_min))
        .add(col::CITY, s(p, |r| r.city.as_deref()))
        .add(
            col::BUDGET_MIN,
            Values::Float(p.iter().map(|r| r.budget_min).collect()),
        )
        .add(
            col::BUDGET_MAX,
            Values::Float(p.iter().map(|r| r.budget_max).collect()),
        )
        .add(col::POSITION_STATUS, s(p, |r| r.status))
        .add(
            col::OPENED_AT,
            Values::Date(p.iter().map(|r| r.opened_at).collect()),
        )
        .add(
            col::HEADCOUNT,
            Values::Int(p.iter().map(|r| r.headcount.map(i64::from)).collect()),
        )
        .add(col::WEIGHTS, s(p, |r| r.weights.as_deref()))
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
    b.add(col::MESSAGE_ID, s(m, |r| Some(&*r.message_id)))
        .add(col::PLATFORM, s(m, |r| Some(&*r.platform)))
        .add(col::CHAT_NAME, s(m, |r| r.chat_name.as_deref()))
        .add(col::CHAT_KIND, s(m, |r| Some(&*r.chat_kind)))
        .add(col::AT, Values::DateTime(m.iter().map(|r| r.at).collect()))
        .add(col::SENDER, s(m, |r| r.sender.as_deref()))
        .add(col::SENDER_ID, s(m, |r| r.sender_id.as_deref()))
        .add(
            col::IS_SYSTEM,
            Values::Bool(m.iter().map(|r| Some(r.is_system)).collect()),
        )
        .add(col::KIND, s(m, |r| Some(&*r.kind)))
        .add(col::TEXT, s(m, |r| Some(&*r.text)));
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
    b.add(col::POSITION_ID, s(rows, |r| Some(&*r.position_id)))
        .add(col::TITLE, s(rows, |r| Some(&*r.title)))
        .add(
            "rank",
            Values::Int(rows.iter().map(|r| Some(r.rank as i64)).collect()),
        )
        .add(col::CANDIDATE_ID, s(rows, |r| Some(&*r.candidate_id)))
        .add(col::NAME, s(rows, |r| Some(&*r.name)))
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
                Some(&*r.screening_failed).filter(|x| !x.is_empty())
            }),
        );
    b.finish(&[col::POSITION_ID, "rank"])
}

/// A recall list: who to call back for which position, with the facts,
/// the message, the rules that fired, and empty outcome columns for HR.
pub fn recall(rows: &[crate::recall::RecallEntry]) -> PolarsResult<DataFrame> {
    let mut b = FrameBuilder::default();
    b.add(col::POSITION_ID, s(rows, |r| Some(&*r.position_id)))
        .add(col::POSITION, s(rows, |r| Some(&*r.position)))
        .add(
            col::RANK,
            Values::Int(ranks(rows).into_iter().map(Some).collect()),
        )
        .add(col::CANDIDATE_ID, s(rows, |r| Some(&*r.candidate_id)))
        .add(col::NAME, s(rows, |r| Some(&*r.name)))
        .add(
            "score",
            Values::Float(rows.iter().map(|r| Some(r.score)).collect()),
        )
        .add("rules_fired", s(rows, |r| Some(r.rules_fired.join("; "))))
        .add(
            "interview_date",
            Values::Date(rows.iter().map(|r| r.interview_date).collect()),
        )
        .add(col::INTERVIEWER, s(rows, |r| r.interviewer.as_deref()))
        .add("evaluation", s(rows, |r| r.evaluation.as_deref()))
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
        .add("original_reason", s(rows, |r| r.original_reason.as_deref()))
        .add("expected_salary", s(rows, |r| r.expected_salary.as_deref()))
        .add("budget", s(rows, |r| r.budget.as_deref()))
        .add(col::LATEST_STATUS, s(rows, |r| r.latest_status.as_deref()))
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
            s(rows, |r| Some(&*r.address).filter(|a| !a.is_empty())),
        )
        .add("subject", s(rows, |r| r.subject.as_deref()))
        .add(
            "message",
            s(rows, |r| Some(&*r.message).filter(|m| !m.is_empty())),
        )
        .add("problem", s(rows, |r| r.problem.as_deref()))
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
        b.add(name, empty_text(rows.len()));
    }
    b.finish(&[col::POSITION_ID, col::RANK])
}

/// 1-based rank of each row within its position: rows are sorted by
/// position, then score, so a rank counts the run of equal positions.
fn ranks(rows: &[crate::recall::RecallEntry]) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let rank = match i.checked_sub(1) {
            Some(p) if rows[p].position_id == r.position_id => out[p] + 1,
            _ => 1,
        };
        out.push(rank);
    }
    out
}

/// The `merges` table: every compared pair with its per-field levels.
pub fn merges(rows: &[crate::entities::MergeEntry]) -> PolarsResult<DataFrame> {
    let mut b = FrameBuilder::default();
    b.add("record_a", s(rows, |r| Some(&*r.record_a)))
        .add("record_b", s(rows, |r| Some(&*r.record_b)))
        .add("candidate_a", s(rows, |r| Some(&*r.candidate_a)))
        .add("candidate_b", s(rows, |r| Some(&*r.candidate_b)));
    let fields: Vec<&'static str> = rows
        .first()
        .map(|r| r.level_names().map(|(f, _)| f).collect())
        .unwrap_or_default();
    for (i, f) in fields.iter().enumerate() {
        b.add(
            &format!("level_{f}"),
            s(rows, |r| r.levels.get(i).map(|l| l.name())),
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
    .add("rule", s(rows, |r| r.rule));
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
    .add("rule", s(rows, |r| r.rule));
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
                    Some(get(pick(r)).as_str()).filter(|v| !v.is_empty())
                }),
            );
        }
    }
    b.add("verdict", empty_text(rows.len()));
    // In the order given: most likely one person first.
    b.finish(&[])
}

fn quarantine(data: &Dataset) -> PolarsResult<DataFrame> {
    let q = &data.quarantine;
    let mut b = FrameBuilder::default();
    b.add(col::SOURCE, s(q, |r| Some(&*r.source)))
        .add(col::FILE, s(q, |r| Some(&*r.file)))
        .add(col::SHEET, s(q, |r| r.sheet.as_deref()))
        .add(
            col::ROW,
            Values::Int(q.iter().map(|r| Some(r.row as i64)).collect()),
        )
        .add(col::COLUMN, s(q, |r| Some(&*r.column)))
        .add(col::LEVEL, s(q, |r| Some(r.level.name())))
        .add(col::VALUE, s(q, |r| Some(&*r.value)))
        .add(col::REASON, s(q, |r| Some(&*r.reason)));
    b.finish(&[col::FILE, col::SHEET, col::ROW, col::COLUMN, col::REASON])
}

/// The lineage table: the rows of a [`Lineage`] in the table's order (see
/// [`Lineage::table_order`]), built part by part as it is written, since
/// it is by far the largest table (about fourteen rows per source row).
pub struct LineageTable<'a> {
    lineage: &'a Lineage,
    order: Vec<u32>,
}

impl<'a> LineageTable<'a> {
    pub fn new(lineage: &'a Lineage) -> LineageTable<'a> {
        LineageTable {
            lineage,
            order: lineage.table_order(),
        }
    }
}

impl crate::output::Parts for LineageTable<'_> {
    fn height(&self) -> usize {
        self.order.len()
    }

    /// Each column is filled by its own loop over the part's rows, reading
    /// only what it shows (the columns side by side).
    fn frame(&self, rows: std::ops::Range<usize>) -> PolarsResult<DataFrame> {
        let l = self.lineage;
        let order = &self.order[rows];
        let place = |f: fn(&crate::lineage::Place) -> Option<&str>| -> Values {
            Values::Str(order.iter().map(|&i| f(l.place_of(i as usize))).collect())
        };
        type Fill<'a> = Box<dyn Fn() -> (&'static str, Values) + Send + Sync + 'a>;
        let columns: [Fill; 9] = [
            Box::new(|| (col::ENTITY, place(|p| Some(p.entity)))),
            Box::new(|| {
                (
                    col::ENTITY_ID,
                    Values::Str(order.iter().map(|&i| Some(l.id_of(i as usize))).collect()),
                )
            }),
            Box::new(|| (col::FIELD, place(|p| Some(p.field)))),
            Box::new(|| {
                (
                    col::VALUE,
                    Values::Str(
                        order
                            .iter()
                            .map(|&i| Some(l.value_of(i as usize)))
                            .collect(),
                    ),
                )
            }),
            Box::new(|| (col::FILE, place(|p| Some(&*p.file)))),
            Box::new(|| (col::SHEET, place(|p| p.sheet.as_deref()))),
            Box::new(|| {
                (
                    col::ROW,
                    Values::Int(
                        order
                            .iter()
                            .map(|&i| Some(i64::from(l.row_of(i as usize))))
                            .collect(),
                    ),
                )
            }),
            Box::new(|| (col::COLUMN, place(|p| Some(&*p.column)))),
            Box::new(|| {
                (
                    col::SURVIVED,
                    Values::Bool(order.iter().map(|&i| l.survived_of(i as usize)).collect()),
                )
            }),
        ];
        let built: Vec<(&'static str, Values)> = columns.par_iter().map(|fill| fill()).collect();
        let mut b = FrameBuilder::default();
        for (name, values) in built {
            b.add(name, values);
        }
        DataFrame::new_infer_height(b.columns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_polars(df: &DataFrame, keys: &[&str]) -> DataFrame {
        let keys: Vec<PlSmallStr> = keys.iter().map(|k| (*k).into()).collect();
        df.clone()
            .lazy()
            .sort(
                keys,
                SortMultipleOptions::default().with_maintain_order(true),
            )
            .collect()
            .unwrap()
    }

    #[test]
    fn packed_order_sorts_like_polars_with_nulls_first_and_ties_in_order() {
        let text = ["b", "a", "", "b", "a", "ab", "b", "a"];
        let columns = || {
            let mut b = FrameBuilder::default();
            b.add("k1", s(&text, |t| Some(*t).filter(|t| !t.is_empty())))
                .add(
                    "k2",
                    Values::Int(vec![
                        Some(2),
                        Some(-1),
                        None,
                        Some(2),
                        None,
                        Some(7),
                        Some(1),
                        Some(-1),
                    ]),
                )
                .add("row", Values::Int((0..8).map(Some).collect()));
            b
        };
        let built = columns().finish(&["k1", "k2"]).unwrap();
        let again = columns();
        let unsorted = DataFrame::new_infer_height(again.columns).unwrap();
        let want = by_polars(&unsorted, &["k1", "k2"]);
        assert!(built.equals_missing(&want), "{built}\n{want}");
        let rows: Vec<Option<i64>> = built.column("row").unwrap().i64().unwrap().iter().collect();
        assert_eq!(
            rows,
            [2, 4, 1, 7, 5, 6, 0, 3].map(Some).to_vec(),
            "null first, then a, ab, b; equal keys keep their order"
        );
    }

    #[test]
    fn the_lineage_table_shows_every_row_in_table_order() {
        use crate::output::Parts;
        use std::sync::Arc;
        let files: Vec<Arc<str>> = ["b.csv", "a.xlsx"].map(Arc::from).to_vec();
        let sheets: Vec<Option<Arc<str>>> = vec![None, Some(Arc::from("S1"))];
        let columns: Vec<Arc<str>> = ["D (姓名)", "C (手机号)"].map(Arc::from).to_vec();
        let mut l = Lineage::default();
        let mut x = 11u32;
        for n in 0..500u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let pick = |k: u32, m: u32| ((x >> (8 + k * 3)) % m) as usize;
            let place = l.place(
                ["candidate", "event"][pick(0, 2)],
                ["phone", "name", "city"][pick(1, 3)],
                &files[pick(2, 2)],
                &sheets[pick(3, 2)],
                &columns[pick(4, 2)],
            );
            let id = l.id(Arc::from(["C2", "E1", "C1"][pick(5, 3)]));
            l.push(place, id, (x >> 3) % 5 + 1, &format!("值{}", n % 37));
        }
        let mut marks: Vec<Option<bool>> = (0..l.len())
            .map(|i| (i % 3 != 0).then_some(i % 2 == 0))
            .collect();
        marks[0] = None;
        l.set_survived(marks);
        let table = LineageTable::new(&l);
        assert_eq!(table.height(), 500);
        let order = l.table_order();
        for rows in [0..500, 120..333, 7..7] {
            let df = table.frame(rows.clone()).unwrap();
            assert_eq!(df.height(), rows.len());
            let text = |name: &str| -> Vec<Option<String>> {
                df.column(name)
                    .unwrap()
                    .str()
                    .unwrap()
                    .iter()
                    .map(|v| v.map(str::to_string))
                    .collect()
            };
            let entries: Vec<crate::lineage::Entry> =
                order[rows].iter().map(|&i| l.get(i as usize)).collect();
            let want =
                |f: &dyn Fn(&crate::lineage::Entry) -> Option<String>| -> Vec<Option<String>> {
                    entries.iter().map(f).collect()
                };
            assert_eq!(text(col::ENTITY), want(&|e| Some(e.entity.to_string())));
            assert_eq!(
                text(col::ENTITY_ID),
                want(&|e| Some(e.entity_id.to_string()))
            );
            assert_eq!(text(col::FIELD), want(&|e| Some(e.field.to_string())));
            assert_eq!(text(col::VALUE), want(&|e| Some(e.value.to_string())));
            assert_eq!(text(col::FILE), want(&|e| Some(e.file.to_string())));
            assert_eq!(
                text(col::SHEET),
                want(&|e| e.sheet.as_deref().map(str::to_string))
            );
            assert_eq!(text(col::COLUMN), want(&|e| Some(e.column.to_string())));
            let rows: Vec<Option<i64>> =
                df.column(col::ROW).unwrap().i64().unwrap().iter().collect();
            assert_eq!(
                rows,
                entries
                    .iter()
                    .map(|e| Some(i64::from(e.row)))
                    .collect::<Vec<_>>()
            );
            let survived: Vec<Option<bool>> = df
                .column(col::SURVIVED)
                .unwrap()
                .bool()
                .unwrap()
                .iter()
                .collect();
            assert_eq!(
                survived,
                entries.iter().map(|e| e.survived).collect::<Vec<_>>()
            );
            let names: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
            assert_eq!(
                names,
                [
                    col::ENTITY,
                    col::ENTITY_ID,
                    col::FIELD,
                    col::VALUE,
                    col::FILE,
                    col::SHEET,
                    col::ROW,
                    col::COLUMN,
                    col::SURVIVED
                ]
            );
        }
    }
}

//! The canonical tables as polars frames: built from the normalized records,
//! sorted by their keys, and handed to the writers.
//!
//! The big tables (the dataset's, the merges and the lineage) are never
//! built whole: their order is computed once, from the key columns alone,
//! and the writers ask for the rows of one part, or one column of a part,
//! at a time (see [`Sorted`] and [`crate::output::Parts`]).
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
        self.columns.push(series(name.into(), values).into_column());
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
        if keys.is_empty() {
            // No key: every row ties, and ties keep build order.
            return Ok(df);
        }
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

/// A column of `values` named `name`.
fn series(name: PlSmallStr, values: Values) -> Series {
    match values {
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

fn origin_columns<'p, T: Sync>(
    b: &mut Columns<'p>,
    rows: &'p [&'p T],
    origin: fn(&T) -> Option<&Origin>,
) {
    b.add(col::SOURCE, move || {
        s(rows, |r| origin(r).map(|o| &*o.source))
    })
    .add(col::FILE, move || s(rows, |r| origin(r).map(|o| &*o.file)))
    .add(col::SHEET, move || {
        s(rows, |r| origin(r).and_then(|o| o.sheet.as_deref()))
    })
    .add(col::ROW, move || {
        Values::Int(
            rows.iter()
                .map(|r| origin(r).map(|o| o.row as i64))
                .collect(),
        )
    });
}

/// A column to fill when the frame is made.
type Fill<'a> = Box<dyn FnOnce() -> Values + Send + 'a>;

fn fill_column((name, fill): (PlSmallStr, Fill<'_>)) -> Column {
    series(name, fill()).into_column()
}

/// The columns of a table, or of some of its rows, each filled only when
/// the frame is made (side by side); or only the ones named, so that a
/// table's sort keys or one of its columns can be made alone.
pub struct Columns<'a> {
    only: Option<&'a [PlSmallStr]>,
    fills: Vec<(PlSmallStr, Fill<'a>)>,
}

impl<'a> Columns<'a> {
    /// All columns (`None`) or only those named.
    pub fn new(only: Option<&'a [PlSmallStr]>) -> Columns<'a> {
        Columns {
            only,
            fills: Vec::new(),
        }
    }

    /// Adds a column, filled by `fill` when the frame is made (not at all
    /// when the column is not one of those asked for).
    pub fn add(
        &mut self,
        name: impl Into<PlSmallStr>,
        fill: impl FnOnce() -> Values + Send + 'a,
    ) -> &mut Self {
        let name = name.into();
        if self.only.is_none_or(|only| only.contains(&name)) {
            self.fills.push((name, Box::new(fill)));
        }
        self
    }

    /// The names of the columns added, in order.
    pub fn names(&self) -> Vec<PlSmallStr> {
        self.fills.iter().map(|(name, _)| name.clone()).collect()
    }

    /// Fills the columns one after another and makes the frame, in the
    /// order the columns were added.
    fn frame_in_turn(self) -> PolarsResult<DataFrame> {
        DataFrame::new_infer_height(self.fills.into_iter().map(fill_column).collect())
    }

    /// Fills the columns (side by side) and makes the frame, in the order
    /// the columns were added.
    pub fn frame(self) -> PolarsResult<DataFrame> {
        DataFrame::new_infer_height(self.fills.into_par_iter().map(fill_column).collect())
    }
}

/// What makes the columns of a table from its rows, in the table's order.
pub type MakeColumns<'a, T> = Box<dyn for<'p> Fn(&mut Columns<'p>, &'p [&'p T]) + Sync + 'a>;

fn make_columns<'a, T>(
    f: impl for<'p> Fn(&mut Columns<'p>, &'p [&'p T]) + Sync + 'a,
) -> MakeColumns<'a, T> {
    Box::new(f)
}

/// A table sorted by its keys, built part by part as it is written: the
/// order is computed once, from the key columns alone, and each part (or
/// one column of a part) is made from the records of its rows in that
/// order. The whole table is never held unless asked for.
pub struct Sorted<'a, T> {
    rows: &'a [T],
    /// Positions in `rows`, in the table's order.
    order: Vec<u32>,
    names: Vec<PlSmallStr>,
    columns: MakeColumns<'a, T>,
}

impl<'a, T: Sync> Sorted<'a, T> {
    /// The table of `rows` with the columns `columns` makes, sorted by
    /// `keys` as [`FrameBuilder::finish`] sorts (all ascending, nulls
    /// first, ties in the order of `rows`).
    pub fn new(rows: &'a [T], keys: &[&str], columns: MakeColumns<'a, T>) -> PolarsResult<Self> {
        assert!(rows.len() <= u32::MAX as usize, "fewer than 2^32 rows");
        let all: Vec<&T> = rows.iter().collect();
        let mut named = Columns::new(None);
        columns(&mut named, &all);
        let names = named.names();
        drop(named);
        let key_names: Vec<PlSmallStr> = keys.iter().map(|k| (*k).into()).collect();
        let mut key_columns = Columns::new(Some(&key_names));
        columns(&mut key_columns, &all);
        let order = sort_order(&key_columns.frame()?, keys)?;
        Ok(Sorted {
            rows,
            order,
            names,
            columns,
        })
    }

    fn records(&self, rows: std::ops::Range<usize>) -> Vec<&'a T> {
        self.order[rows]
            .iter()
            .map(|&i| &self.rows[i as usize])
            .collect()
    }

    /// Rows `rows` as one frame of one chunk, made `block` rows at a time
    /// (blocks side by side, each block's columns one after another) and
    /// joined: the records of a block are read for every column while
    /// they are still in the processor's cache, instead of every record
    /// of the rows once per column. The frame is the same for any block.
    fn frame_by(&self, rows: std::ops::Range<usize>, block: usize) -> PolarsResult<DataFrame> {
        let records = self.records(rows);
        let blocks: Vec<DataFrame> = records
            .par_chunks(block.max(1))
            .map(|block| {
                let mut columns = Columns::new(None);
                (self.columns)(&mut columns, block);
                columns.frame_in_turn()
            })
            .collect::<PolarsResult<_>>()?;
        let mut blocks = blocks.into_iter();
        let Some(mut frame) = blocks.next() else {
            let mut columns = Columns::new(None);
            (self.columns)(&mut columns, &records);
            return columns.frame();
        };
        for b in blocks {
            frame.vstack_mut_owned(b)?;
        }
        frame.rechunk_mut_par();
        Ok(frame)
    }
}

/// Rows of a [`Sorted`] table made at a time (see [`Sorted::frame_by`]).
const BLOCK: usize = 4096;

impl<T: Sync> crate::output::Parts for Sorted<'_, T> {
    fn height(&self) -> usize {
        self.order.len()
    }

    fn frame(&self, rows: std::ops::Range<usize>) -> PolarsResult<DataFrame> {
        self.frame_by(rows, BLOCK)
    }

    fn column(&self, index: usize, rows: std::ops::Range<usize>) -> PolarsResult<Column> {
        let records = self.records(rows);
        let only = std::slice::from_ref(&self.names[index]);
        let mut columns = Columns::new(Some(only));
        (self.columns)(&mut columns, &records);
        let df = columns.frame()?;
        Ok(df.columns()[0].clone())
    }
}

/// The row order of `df` by `keys` (all ascending, nulls first, ties in
/// row order), as row numbers.
fn sort_order(df: &DataFrame, keys: &[&str]) -> PolarsResult<Vec<u32>> {
    if let Some(order) = packed_order(df, keys)? {
        return Ok(order.into_no_null_iter().collect());
    }
    const ROW: &str = "\u{0}row";
    let rows: Vec<u32> = (0..df.height() as u32).collect();
    let mut with_rows = df.clone();
    with_rows.with_column(Column::new(ROW.into(), rows))?;
    let keys: Vec<PlSmallStr> = keys.iter().map(|k| (*k).into()).collect();
    let sorted = with_rows
        .lazy()
        .sort(
            keys,
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .collect()?;
    Ok(sorted.column(ROW)?.u32()?.into_no_null_iter().collect())
}

/// Builds one canonical table of a dataset, ready to be written part by
/// part.
pub type Build = for<'a> fn(&'a Dataset) -> PolarsResult<Box<dyn crate::output::Parts + 'a>>;

fn sorted<'a, T: Sync>(
    rows: &'a [T],
    keys: &[&str],
    columns: for<'p> fn(&mut Columns<'p>, &'p [&'p T]),
) -> PolarsResult<Box<dyn crate::output::Parts + 'a>> {
    Ok(Box::new(Sorted::new(rows, keys, make_columns(columns))?))
}

/// All canonical tables built from the dataset but the lineage (see
/// [`LineageTable`]), in output order, each with the function that builds
/// it: a run builds and writes them one at a time, each part by part.
pub const DATASET: [(&str, Build); 7] = [
    (table::CANDIDATES, |d| {
        sorted(&d.persons, &[col::CANDIDATE_ID], candidates)
    }),
    (table::APPLICATIONS, |d| {
        sorted(&d.applications, &[col::APPLICATION_ID], applications)
    }),
    (table::EVALUATIONS, |d| {
        sorted(&d.evaluations, &[col::EVALUATION_ID], evaluations)
    }),
    (table::EVENTS, |d| {
        sorted(
            &d.events,
            &[col::CANDIDATE_ID, col::AT, col::EVENT_ID],
            events,
        )
    }),
    (table::POSITIONS, |d| {
        sorted(&d.positions, &[col::POSITION_ID], positions)
    }),
    (table::MESSAGES, |d| {
        sorted(
            &d.messages,
            &[col::FILE, col::ROW, col::MESSAGE_ID],
            messages,
        )
    }),
    (table::QUARANTINE, |d| {
        sorted(
            &d.quarantine,
            &[col::FILE, col::SHEET, col::ROW, col::COLUMN, col::REASON],
            quarantine,
        )
    }),
];

/// A table of the dataset as one frame (for the workbook and for tests).
pub fn whole(table: &dyn crate::output::Parts) -> PolarsResult<DataFrame> {
    table.frame(0..table.height())
}

fn candidates<'p>(b: &mut Columns<'p>, p: &'p [&'p crate::model::PersonRecord]) {
    b.add(col::CANDIDATE_ID, move || s(p, |r| Some(&*r.candidate_id)))
        .add(col::NAME, move || s(p, |r| r.name.as_deref()))
        .add(col::NAME_KEY, move || s(p, |r| r.name_key.as_deref()))
        .add(col::NAME_LATIN, move || s(p, |r| r.name_latin.as_deref()))
        .add(col::GENDER, move || s(p, |r| r.gender))
        .add(col::BIRTH_DATE, move || {
            Values::Date(p.iter().map(|r| r.birth_date).collect())
        })
        .add(col::PHONE, move || s(p, |r| r.phones.first()))
        .add(col::PHONES, move || s(p, |r| joined(&r.phones)))
        .add(col::PHONE_RAW, move || {
            s(p, |r| joined(&r.details().phones_raw))
        })
        .add(col::EMAIL, move || s(p, |r| r.emails.first()))
        .add(col::EMAILS, move || s(p, |r| joined(&r.emails)))
        .add(col::WECHAT, move || s(p, |r| r.wechat.as_deref()))
        .add(col::ID_NUMBER, move || s(p, |r| r.id_number.as_deref()))
        .add(col::ID_TYPE, move || s(p, |r| r.id_type))
        .add(col::CITY, move || s(p, |r| r.city.as_deref()))
        .add(col::PROVINCE, move || {
            s(p, |r| r.details().province.as_deref())
        })
        .add(col::ADDRESS, move || {
            s(p, |r| r.details().address.as_deref())
        })
        .add(col::POSTCODE, move || {
            s(p, |r| r.details().postcode.as_deref())
        })
        .add(col::EDUCATION, move || s(p, |r| r.education))
        .add(col::EDUCATION_RANK, move || {
            Values::Int(p.iter().map(|r| r.education_rank.map(i64::from)).collect())
        })
        .add(col::SCHOOL, move || s(p, |r| r.school.as_deref()))
        .add(col::MAJOR, move || s(p, |r| r.major.as_deref()))
        .add(col::YEARS_EXPERIENCE, move || {
            Values::Float(p.iter().map(|r| r.years_experience).collect())
        })
        .add(col::CURRENT_COMPANY, move || {
            s(p, |r| r.current_company.as_deref())
        })
        .add(col::CURRENT_TITLE, move || {
            s(p, |r| r.details().current_title.as_deref())
        })
        .add(col::SKILLS, move || s(p, |r| joined(&r.details().skills)))
        .add(col::TAGS, move || s(p, |r| joined(&r.details().tags)))
        .add(col::EXPECTED_SALARY_MIN, move || {
            Values::Float(p.iter().map(|r| r.salary_min).collect())
        })
        .add(col::EXPECTED_SALARY_MAX, move || {
            Values::Float(p.iter().map(|r| r.salary_max).collect())
        })
        .add(col::EXPECTED_SALARY_MONTHS, move || {
            Values::Int(
                p.iter()
                    .map(|r| r.details().salary_months.map(i64::from))
                    .collect(),
            )
        })
        .add(col::EXPECTED_SALARY_NEGOTIABLE, move || {
            Values::Bool(p.iter().map(|r| Some(r.salary_negotiable)).collect())
        })
        .add(col::EXPECTED_SALARY_RAW, move || {
            s(p, |r| r.salary_raw.as_deref())
        })
        .add(col::SOURCE_CHANNEL, move || {
            s(p, |r| r.source_channel.as_deref())
        })
        .add(col::LATEST_STATUS, move || s(p, |r| r.latest_status))
        .add(col::LAST_CONTACT_AT, move || {
            Values::Date(p.iter().map(|r| r.last_contact_at).collect())
        })
        .add(col::DO_NOT_CONTACT, move || {
            Values::Bool(p.iter().map(|r| Some(r.do_not_contact)).collect())
        })
        .add(col::EXTRA, move || {
            s(p, |r| {
                (!r.extra.is_empty())
                    .then(|| serde_json::to_string(&r.extra).expect("string map serializes"))
            })
        });
    origin_columns(b, p, |r| r.origin.as_ref());
}

fn applications<'p>(b: &mut Columns<'p>, a: &'p [&'p crate::model::ApplicationRecord]) {
    b.add(col::APPLICATION_ID, move || {
        s(a, |r| Some(&*r.application_id))
    })
    .add(col::CANDIDATE_ID, move || s(a, |r| Some(&*r.candidate_id)))
    .add(col::POSITION_ID, move || s(a, |r| r.position_id.as_deref()))
    .add(col::POSITION, move || s(a, |r| r.position.as_deref()))
    .add(col::DEPARTMENT, move || s(a, |r| r.department.as_deref()))
    .add(col::APPLIED_AT, move || {
        Values::Date(a.iter().map(|r| r.applied_at).collect())
    })
    .add(col::STAGE, move || s(a, |r| r.stage))
    .add(col::STATUS, move || s(a, |r| r.status))
    .add(col::STATUS_RAW, move || s(a, |r| r.status_raw.as_deref()))
    .add(col::REJECTION_TYPE, move || s(a, |r| r.rejection_type))
    .add(col::REJECTION_REASON, move || s(a, |r| r.rejection_reason))
    .add(col::REJECTION_REASON_RAW, move || {
        s(a, |r| r.rejection_reason_raw.as_deref())
    })
    .add(col::DECIDED_BY, move || s(a, |r| r.decided_by.as_deref()))
    .add(col::DECIDED_AT, move || {
        Values::Date(a.iter().map(|r| r.decided_at).collect())
    })
    .add(col::ONBOARD_AT, move || {
        Values::Date(a.iter().map(|r| r.onboard_at).collect())
    })
    .add(col::SOURCE_CHANNEL, move || {
        s(a, |r| r.source_channel.as_deref())
    });
    origin_columns(b, a, |r| r.origin.as_ref());
}

fn evaluations<'p>(b: &mut Columns<'p>, e: &'p [&'p crate::model::EvaluationRecord]) {
    let f = move |get: fn(&crate::model::EvaluationRecord) -> Option<f64>| {
        Values::Float(e.iter().map(|r| get(r)).collect())
    };
    b.add(col::EVALUATION_ID, move || {
        s(e, |r| Some(&*r.evaluation_id))
    })
    .add(col::APPLICATION_ID, move || {
        s(e, |r| Some(&*r.application_id))
    })
    .add(col::CANDIDATE_ID, move || s(e, |r| Some(&*r.candidate_id)))
    .add(col::ROUND, move || {
        Values::Int(e.iter().map(|r| r.round.map(i64::from)).collect())
    })
    .add(col::INTERVIEWER, move || s(e, |r| r.interviewer.as_deref()))
    .add(col::DEPARTMENT, move || s(e, |r| r.department.as_deref()))
    .add(col::AT, move || {
        Values::DateTime(e.iter().map(|r| r.at).collect())
    })
    .add(col::SCORE_TECHNICAL, move || f(|r| r.technical))
    .add(col::SCORE_BUSINESS, move || f(|r| r.business))
    .add(col::SCORE_COMMUNICATION, move || f(|r| r.communication))
    .add(col::SCORE_TEAMWORK, move || f(|r| r.teamwork))
    .add(col::SCORE_CULTURE, move || f(|r| r.culture))
    .add(col::SCORE_OVERALL, move || f(|r| r.overall))
    .add(col::COMMENT, move || s(e, |r| r.comment.as_deref()))
    .add(col::COMPOSITE, move || f(|r| r.composite))
    .add(col::PANEL_SPREAD, move || f(|r| r.panel_spread));
    origin_columns(b, e, |r| r.origin.as_ref());
}

fn events<'p>(b: &mut Columns<'p>, e: &'p [&'p crate::model::EventRecord]) {
    b.add(col::EVENT_ID, move || s(e, |r| Some(&*r.event_id)))
        .add(col::CANDIDATE_ID, move || s(e, |r| Some(&*r.candidate_id)))
        .add(col::AT, move || {
            Values::DateTime(e.iter().map(|r| r.at).collect())
        })
        .add(col::KIND, move || s(e, |r| Some(r.kind)))
        .add(col::TEXT, move || s(e, |r| Some(&*r.text)))
        .add(col::SAID_BY, move || s(e, |r| r.said_by.as_deref()))
        .add(col::CONFIDENCE, move || {
            Values::Float(e.iter().map(|r| r.confidence).collect())
        })
        .add(col::DETAIL, move || s(e, |r| r.detail.as_deref()));
    origin_columns(b, e, |r| r.origin.as_ref());
}

fn positions<'p>(b: &mut Columns<'p>, p: &'p [&'p crate::model::PositionRecord]) {
    b.add(col::POSITION_ID, move || s(p, |r| Some(&*r.position_id)))
        .add(col::TITLE, move || s(p, |r| Some(&*r.title)))
        .add(col::DEPARTMENT, move || s(p, |r| r.department.as_deref()))
        .add(col::JOB_FAMILY, move || s(p, |r| r.job_family))
        .add(col::REQUIRED_SKILLS, move || {
            s(p, |r| joined(&r.required_skills))
        })
        .add(col::NICE_SKILLS, move || s(p, |r| joined(&r.nice_skills)))
        .add(col::MIN_YEARS, move || {
            Values::Float(p.iter().map(|r| r.min_years).collect())
        })
        .add(col::EDUCATION_MIN, move || s(p, |r| r.education_min))
        .add(col::CITY, move || s(p, |r| r.city.as_deref()))
        .add(col::BUDGET_MIN, move || {
            Values::Float(p.iter().map(|r| r.budget_min).collect())
        })
        .add(col::BUDGET_MAX, move || {
            Values::Float(p.iter().map(|r| r.budget_max).collect())
        })
        .add(col::POSITION_STATUS, move || s(p, |r| r.status))
        .add(col::OPENED_AT, move || {
            Values::Date(p.iter().map(|r| r.opened_at).collect())
        })
        .add(col::HEADCOUNT, move || {
            Values::Int(p.iter().map(|r| r.headcount.map(i64::from)).collect())
        })
        .add(col::WEIGHTS, move || s(p, |r| r.weights.as_deref()))
        .add(col::TITLE_ALIASES, move || {
            s(p, |r| (!r.aliases.is_empty()).then(|| r.aliases.join("; ")))
        });
    origin_columns(b, p, |r| r.origin.as_ref());
}

fn messages<'p>(b: &mut Columns<'p>, m: &'p [&'p crate::model::MessageRecord]) {
    b.add(col::MESSAGE_ID, move || s(m, |r| Some(&*r.message_id)))
        .add(col::PLATFORM, move || s(m, |r| Some(&*r.platform)))
        .add(col::CHAT_NAME, move || s(m, |r| r.chat_name.as_deref()))
        .add(col::CHAT_KIND, move || s(m, |r| Some(&*r.chat_kind)))
        .add(col::AT, move || {
            Values::DateTime(m.iter().map(|r| r.at).collect())
        })
        .add(col::SENDER, move || s(m, |r| r.sender.as_deref()))
        .add(col::SENDER_ID, move || s(m, |r| r.sender_id.as_deref()))
        .add(col::IS_SYSTEM, move || {
            Values::Bool(m.iter().map(|r| Some(r.is_system)).collect())
        })
        .add(col::KIND, move || s(m, |r| Some(&*r.kind)))
        .add(col::TEXT, move || s(m, |r| Some(&*r.text)));
    origin_columns(b, m, |r| r.origin.as_ref());
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
    // The recall stage lists rows by position already: then the ranks
    // count up within each position, and the sorted order is build order.
    if rows.is_sorted_by(|a, b| a.position_id <= b.position_id) {
        b.finish(&[])
    } else {
        b.finish(&[col::POSITION_ID, col::RANK])
    }
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

/// The `merges` table: every compared pair with its per-field levels,
/// sorted by the pair's records. Record and candidate ids come from the
/// record map the rows name their records in.
pub fn merges(
    merges: &crate::entities::Merges,
) -> PolarsResult<Sorted<'_, crate::resolve::MergeRow>> {
    let fields: Vec<&'static str> = merges
        .rows
        .first()
        .map(|r| r.level_names().map(|(f, _)| f).collect())
        .unwrap_or_default();
    let ids = std::sync::Arc::clone(&merges.ids);
    let columns = make_columns(move |b, rows: &[&crate::resolve::MergeRow]| {
        let id = |pick: fn(&crate::resolve::MergeRow) -> u32| {
            let ids = std::sync::Arc::clone(&ids);
            move || s(rows, |r| Some(ids.record(pick(r) as usize)))
        };
        let candidate = |pick: fn(&crate::resolve::MergeRow) -> u32| {
            let ids = std::sync::Arc::clone(&ids);
            move || s(rows, |r| Some(&**ids.candidate_at(pick(r) as usize)))
        };
        b.add("record_a", id(|r| r.a))
            .add("record_b", id(|r| r.b))
            .add("candidate_a", candidate(|r| r.a))
            .add("candidate_b", candidate(|r| r.b));
        for (i, f) in fields.iter().enumerate() {
            b.add(format!("level_{f}"), move || {
                s(rows, |r| r.levels.get(i).map(|l| l.name()))
            });
        }
        b.add("score", move || {
            Values::Float(
                rows.iter()
                    .map(|r| Some((r.score * 1000.0).round() / 1000.0))
                    .collect(),
            )
        })
        .add("decision", move || s(rows, |r| Some(r.decision.name())))
        .add("rule", move || s(rows, |r| r.rule));
    });
    Sorted::new(&merges.rows, &["record_a", "record_b"], columns)
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
    let fields: [(&str, PickField); 11] = [
        ("record", |x| &x.record_id),
        ("name", |x| &x.name),
        ("phones", |x| &x.phones),
        ("emails", |x| &x.emails),
        ("birth_date", |x| &x.birth_date),
        ("id_number", |x| &x.id_number),
        ("city", |x| &x.city),
        ("school", |x| &x.school),
        ("company", |x| &x.company),
        ("applications", |x| &x.applications),
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

fn quarantine<'p>(b: &mut Columns<'p>, q: &'p [&'p crate::model::QuarantineEntry]) {
    b.add(col::SOURCE, move || s(q, |r| Some(&*r.source)))
        .add(col::FILE, move || s(q, |r| Some(&*r.file)))
        .add(col::SHEET, move || s(q, |r| r.sheet.as_deref()))
        .add(col::ROW, move || {
            Values::Int(q.iter().map(|r| Some(r.row as i64)).collect())
        })
        .add(col::COLUMN, move || s(q, |r| Some(&*r.column)))
        .add(col::LEVEL, move || s(q, |r| Some(r.level.name())))
        .add(col::VALUE, move || s(q, |r| Some(&*r.value)))
        .add(col::REASON, move || s(q, |r| Some(&*r.reason)));
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

impl LineageTable<'_> {
    /// The columns of the rows at `order`: each filled by its own loop
    /// over the rows, reading only what it shows.
    ///
    /// The text columns that repeat a few values (those of the row's
    /// place, and the entity id, the same for all rows of one entity,
    /// which are next to each other) are gathered from their distinct
    /// values: each row's value is not copied, only pointed at. (A
    /// gathered sheet column holds a validity mask even when its rows have
    /// no null; Parquet writes the same bytes for it, which a test checks.)
    fn columns<'p>(&'p self, b: &mut Columns<'p>, order: &'p [u32]) {
        let l = self.lineage;
        let place = move |f: fn(&crate::lineage::Place) -> Option<&str>| -> Values {
            let distinct: StringChunked = l.places().iter().map(f).collect();
            let at: Vec<IdxSize> = order
                .iter()
                .map(|&i| l.place_index_of(i as usize) as IdxSize)
                .collect();
            Values::Str(gather(&distinct, at))
        };
        b.add(col::ENTITY, move || place(|p| Some(p.entity)))
            .add(col::ENTITY_ID, move || {
                let mut distinct: Vec<&str> = Vec::new();
                let at: Vec<IdxSize> = order
                    .iter()
                    .map(|&i| {
                        let id = l.id_of(i as usize);
                        if distinct.last() != Some(&id) {
                            distinct.push(id);
                        }
                        (distinct.len() - 1) as IdxSize
                    })
                    .collect();
                let distinct = StringChunked::from_iter_values("".into(), distinct.into_iter());
                Values::Str(gather(&distinct, at))
            })
            .add(col::FIELD, move || place(|p| Some(p.field)))
            .add(col::VALUE, move || {
                Values::Str(
                    order
                        .iter()
                        .map(|&i| Some(l.value_of(i as usize)))
                        .collect(),
                )
            })
            .add(col::FILE, move || place(|p| Some(&*p.file)))
            .add(col::SHEET, move || place(|p| p.sheet.as_deref()))
            .add(col::ROW, move || {
                Values::Int(
                    order
                        .iter()
                        .map(|&i| Some(i64::from(l.row_of(i as usize))))
                        .collect(),
                )
            })
            .add(col::COLUMN, move || place(|p| Some(&*p.column)))
            .add(col::SURVIVED, move || {
                Values::Bool(order.iter().map(|&i| l.survived_of(i as usize)).collect())
            });
    }
}

/// The values of `distinct` at `at`, in that order.
fn gather(distinct: &StringChunked, at: Vec<IdxSize>) -> StringChunked {
    distinct
        .take(&IdxCa::from_vec("".into(), at))
        .expect("every index is one of a distinct value")
}

impl crate::output::Parts for LineageTable<'_> {
    fn height(&self) -> usize {
        self.order.len()
    }

    fn frame(&self, rows: std::ops::Range<usize>) -> PolarsResult<DataFrame> {
        let mut b = Columns::new(None);
        self.columns(&mut b, &self.order[rows]);
        b.frame()
    }

    fn column(&self, index: usize, rows: std::ops::Range<usize>) -> PolarsResult<Column> {
        const NAMES: [&str; 9] = [
            col::ENTITY,
            col::ENTITY_ID,
            col::FIELD,
            col::VALUE,
            col::FILE,
            col::SHEET,
            col::ROW,
            col::COLUMN,
            col::SURVIVED,
        ];
        let only = [PlSmallStr::from(NAMES[index])];
        let mut b = Columns::new(Some(&only));
        self.columns(&mut b, &self.order[rows]);
        Ok(b.frame()?.columns()[0].clone())
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
    fn a_sort_order_without_packed_ranks_is_the_order_polars_sorts_in() {
        // A float key has no ranks here: the order comes from polars.
        let mut b = FrameBuilder::default();
        b.add(
            "k",
            Values::Float(vec![
                Some(2.5),
                None,
                Some(-1.0),
                Some(2.5),
                None,
                Some(0.0),
            ]),
        )
        .add("row", Values::Int((0..6).map(Some).collect()));
        let df = DataFrame::new_infer_height(b.columns).unwrap();
        assert!(packed_order(&df, &["k"]).unwrap().is_none());
        let order = sort_order(&df, &["k"]).unwrap();
        assert_eq!(order, [1, 4, 2, 5, 0, 3]);
        let want: Vec<Option<i64>> = by_polars(&df, &["k"])
            .column("row")
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect();
        let got: Vec<Option<i64>> = order.iter().map(|&i| Some(i64::from(i))).collect();
        assert_eq!(got, want);
    }

    /// `n` merge rows whose keys repeat (ties keep their input order) and
    /// whose levels, scores and rules vary, naming records of a map that
    /// repeats a record id.
    fn merge_rows(n: usize) -> crate::entities::Merges {
        use crate::resolve::{Decision, Level, MergeRow};
        let levels = [Level::Exact, Level::Close, Level::Different, Level::Missing];
        let mut records: Vec<(String, String)> = (0..5_000)
            .map(|a| (format!("R{a:05}"), format!("C{}", a / 3)))
            .chain((0..7).map(|b| (format!("R{b}"), format!("C{}", b % 11))))
            .collect();
        records.push(("R3".to_string(), "C99".to_string()));
        let ids = std::sync::Arc::new(crate::resolve::IdMap::from_pairs(records));
        let positions = ids.positions() as u64;
        let mut x = 7u64;
        let rows = (0..n)
            .map(|i| {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                MergeRow {
                    a: ((x >> 20) % positions) as u32,
                    b: ((x >> 40) % positions) as u32,
                    levels: std::array::from_fn(|f| levels[(i + f * (x as usize >> 7)) % 4]),
                    score: (x % 100_000) as f64 / 7.0,
                    decision: [Decision::Merge, Decision::Review, Decision::Separate][i % 3],
                    rule: (i % 4 == 0).then_some("name+phone"),
                }
            })
            .collect();
        crate::entities::Merges { rows, ids }
    }

    #[test]
    fn a_sorted_table_made_in_blocks_gives_the_bytes_of_one_made_whole() {
        use crate::output::{csv, parquet};
        let rows = merge_rows(10_000);
        let table = merges(&rows).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let bytes = |df: &mut DataFrame, name: &str| {
            let p = dir.path().join(format!("{name}.parquet"));
            let c = dir.path().join(format!("{name}.csv"));
            parquet::write(&p, df).unwrap();
            csv::write(&c, df).unwrap();
            (std::fs::read(&p).unwrap(), std::fs::read(&c).unwrap())
        };
        for rows in [0..10_000, 1_234..8_765, 5..5] {
            let mut whole = table.frame_by(rows.clone(), usize::MAX).unwrap();
            let want = bytes(&mut whole, "whole");
            // Blocks of one row: some with the rule, some without.
            for block in [1, 7, BLOCK] {
                let mut got = table.frame_by(rows.clone(), block).unwrap();
                assert!(got.equals_missing(&whole), "{rows:?} by {block}");
                assert!(
                    got.columns().iter().all(|c| c.n_chunks() == 1),
                    "{rows:?} by {block}: one chunk"
                );
                assert!(
                    bytes(&mut got, "blocks") == want,
                    "{rows:?} by {block}: Parquet and CSV bytes"
                );
            }
        }
    }

    #[test]
    fn a_sorted_table_gives_the_frame_sorted_whole() {
        use crate::output::Parts;
        let rows = merge_rows(3_000);
        let table = merges(&rows).unwrap();
        assert_eq!(table.height(), rows.rows.len());
        let all: Vec<&crate::resolve::MergeRow> = rows.rows.iter().collect();
        let mut c = Columns::new(None);
        (table.columns)(&mut c, &all);
        let unsorted = c.frame().unwrap();
        let want = by_polars(&unsorted, &["record_a", "record_b"]);
        let got = whole(&table).unwrap();
        assert!(got.equals_missing(&want), "{got}\n{want}");
        assert_eq!(got.width(), 4 + crate::resolve::N + 3);
        for rows in [0..3_000, 1_000..1_017, 5..5] {
            let part = table.frame(rows.clone()).unwrap();
            assert!(part.equals_missing(&want.slice(rows.start as i64, rows.len())));
            for i in 0..part.width() {
                let column = table.column(i, rows.clone()).unwrap();
                assert_eq!(column.name(), part.columns()[i].name());
                assert!(column.equals_missing(&part.columns()[i]), "column {i}");
            }
        }
        let none = crate::entities::Merges::default();
        let empty = merges(&none).unwrap();
        assert_eq!(whole(&empty).unwrap().width(), 7, "no levels without rows");
    }

    #[test]
    fn a_table_written_in_parts_of_any_size_gives_the_bytes_of_the_whole_frame() {
        use crate::output::{csv, parquet, write_parts_by};
        let dir = tempfile::tempdir().unwrap();
        // More than two Parquet row groups of 512² rows.
        for n in [0, 1, 2_000, 600_000] {
            let rows = merge_rows(n);
            let table = merges(&rows).unwrap();
            let mut df = whole(&table).unwrap();
            let p = dir.path().join(format!("whole-{n}.parquet"));
            let c = dir.path().join(format!("whole-{n}.csv"));
            parquet::write(&p, &mut df).unwrap();
            csv::write(&c, &df).unwrap();
            drop(df);
            let want = (std::fs::read(&p).unwrap(), std::fs::read(&c).unwrap());
            for part in [3, 1_000, 1 << 20] {
                let pp = dir.path().join(format!("parts-{n}-{part}.parquet"));
                let cp = dir.path().join(format!("parts-{n}-{part}.csv"));
                write_parts_by(&table, Some(&pp), Some(&cp), part).unwrap();
                assert!(
                    std::fs::read(&pp).unwrap() == want.0,
                    "{n} rows by {part}: Parquet"
                );
                assert!(
                    std::fs::read(&cp).unwrap() == want.1,
                    "{n} rows by {part}: CSV"
                );
            }
        }
    }

    #[test]
    fn a_lineage_column_is_the_column_of_its_frame() {
        use crate::output::Parts;
        let mut l = Lineage::default();
        let file: std::sync::Arc<str> = "a.csv".into();
        let column: std::sync::Arc<str> = "B (姓名)".into();
        for n in 0..50u32 {
            let sheet = (n % 3 == 0).then(|| std::sync::Arc::from("S"));
            let place = l.place(
                "candidate",
                ["name", "city"][n as usize % 2],
                &file,
                &sheet,
                &column,
            );
            let id = l.id(format!("C{}", n % 7).into());
            l.push(place, id, n % 9 + 1, &format!("v{n}"));
        }
        let table = LineageTable::new(&l);
        let frame = table.frame(10..40).unwrap();
        for i in 0..frame.width() {
            let column = table.column(i, 10..40).unwrap();
            assert_eq!(column.name(), frame.columns()[i].name());
            assert!(column.equals_missing(&frame.columns()[i]), "column {i}");
        }
    }

    #[test]
    fn a_lineage_frame_gives_the_bytes_of_one_built_value_by_value() {
        use crate::output::{Parts, csv, parquet};
        use std::sync::Arc;
        let files: Vec<Arc<str>> = ["台账_001.xlsx", "old_hr_system_export_gbk.csv"]
            .map(Arc::from)
            .to_vec();
        let sheet: Option<Arc<str>> = Some(Arc::from("Sheet一 2024"));
        let columns: Vec<Arc<str>> = ["D (姓名 / name)", "C (手机号 / phone)"]
            .map(Arc::from)
            .to_vec();
        let mut l = Lineage::default();
        for n in 0..900u32 {
            // Candidates come from the workbook (a sheet), events from the
            // CSV file (none): the candidates' rows alone have no null.
            let (entity, file, sheet) = match n % 3 {
                0 => ("event", &files[1], &None),
                _ => ("candidate", &files[0], &sheet),
            };
            let place = l.place(
                entity,
                ["name", "phone"][n as usize % 2],
                file,
                sheet,
                &columns[n as usize % 2],
            );
            let id = l.id(Arc::from(format!("C00000000{:04x}", n % 97)));
            l.push(place, id, n % 41 + 1, &format!("value number {n}"));
        }
        let table = LineageTable::new(&l);
        let order = l.table_order();
        let candidates = 600;
        let dir = tempfile::tempdir().unwrap();
        for rows in [0..900, 0..candidates, 100..500, candidates..900] {
            let entries: Vec<crate::lineage::Entry> = order[rows.clone()]
                .iter()
                .map(|&i| l.get(i as usize))
                .collect();
            let text = |f: &dyn Fn(&crate::lineage::Entry) -> Option<String>| {
                entries.iter().map(f).collect::<Vec<Option<String>>>()
            };
            let mut want = DataFrame::new_infer_height(vec![
                Column::new(col::ENTITY.into(), text(&|e| Some(e.entity.into()))),
                Column::new(
                    col::ENTITY_ID.into(),
                    text(&|e| Some(e.entity_id.to_string())),
                ),
                Column::new(col::FIELD.into(), text(&|e| Some(e.field.into()))),
                Column::new(col::VALUE.into(), text(&|e| Some(e.value.into()))),
                Column::new(col::FILE.into(), text(&|e| Some(e.file.to_string()))),
                Column::new(
                    col::SHEET.into(),
                    text(&|e| e.sheet.as_deref().map(str::to_string)),
                ),
                Column::new(
                    col::ROW.into(),
                    entries
                        .iter()
                        .map(|e| Some(i64::from(e.row)))
                        .collect::<Vec<_>>(),
                ),
                Column::new(col::COLUMN.into(), text(&|e| Some(e.column.to_string()))),
                Column::new(
                    col::SURVIVED.into(),
                    entries.iter().map(|e| e.survived).collect::<Vec<_>>(),
                ),
            ])
            .unwrap();
            let mut got = table.frame(rows.clone()).unwrap();
            assert!(got.equals_missing(&want), "{rows:?}");
            let bytes = |df: &mut DataFrame, name: &str| {
                let p = dir.path().join(format!("{name}.parquet"));
                let c = dir.path().join(format!("{name}.csv"));
                parquet::write(&p, df).unwrap();
                csv::write(&c, df).unwrap();
                (std::fs::read(&p).unwrap(), std::fs::read(&c).unwrap())
            };
            assert!(
                bytes(&mut got, "got") == bytes(&mut want, "want"),
                "{rows:?}: Parquet and CSV bytes"
            );
        }
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

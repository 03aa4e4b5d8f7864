//! From raw rows to canonical records: every mapped cell goes through its
//! rule; what a rule refuses goes to quarantine with its location, and the
//! row keeps everything else.
//!
//! Rules are row-local and pure, so this stage runs per table in parallel and
//! needs no shared state. (The rules are plain Rust functions rather than
//! polars expressions: phone parsing, salary notations and the like are
//! string programs that would only run inside polars as opaque UDFs, on
//! polars' own thread pool. Polars takes over once records become tables.)
//!
//! A data row becomes a person record. It also yields an application when it
//! says anything about applying (position, status, dates, reason…), an
//! evaluation when it carries interview scores, an interviewer or a comment,
//! and dated timeline events. A row with no readable name, phone, email,
//! WeChat or id number cannot belong to anyone: the whole row is quarantined.

mod cells;
mod positions;
mod row;

use std::sync::Arc;

use crate::ingest::RawTable;
use crate::model::{Dataset, Origin};
use crate::plan::{NormalizeSettings, Role};

pub use cells::list;

/// What every table of one source shares.
pub struct Context<'a> {
    pub source: Arc<str>,
    pub priority: i32,
    pub role: Role,
    pub settings: &'a NormalizeSettings,
}

/// The records of one table and its accounting.
#[derive(Debug, Default)]
pub struct Normalized {
    pub data: Dataset,
    pub rows_kept: u64,
    pub rows_quarantined: u64,
    pub values_quarantined: u64,
}

/// Normalizes every data row of `table`.
pub fn table(table: &RawTable, ctx: &Context) -> Normalized {
    let file: Arc<str> = Arc::from(table.file.as_str());
    let sheet: Option<Arc<str>> = table.sheet.as_deref().map(Arc::from);
    let mut out = Normalized::default();
    for raw in &table.rows {
        let origin = Origin {
            source: ctx.source.clone(),
            file: file.clone(),
            sheet: sheet.clone(),
            row: raw.row,
        };
        let kept = match ctx.role {
            Role::Candidates => row::candidate(table, raw, origin, ctx, &mut out.data),
            Role::Positions => positions::position(table, raw, origin, ctx, &mut out.data),
            Role::Survey => unreachable!("survey sources are read by ingest::survey"),
        };
        match kept {
            row::Outcome::Kept { values_quarantined } => {
                out.rows_kept += 1;
                out.values_quarantined += values_quarantined;
            }
            row::Outcome::Quarantined => out.rows_quarantined += 1,
        }
    }
    out
}

/// Links applications to positions by title (and department when both have
/// one), once all sources are read.
pub fn link_positions(data: &mut Dataset) {
    use std::collections::BTreeMap;
    let key = |t: &str| {
        crate::rules::text::nfkc_clean(t)
            .to_lowercase()
            .replace(' ', "")
    };
    let mut by_title: BTreeMap<String, Vec<(Option<String>, String)>> = BTreeMap::new();
    for p in &data.positions {
        by_title
            .entry(key(&p.title))
            .or_default()
            .push((p.department.clone(), p.position_id.clone()));
    }
    for a in &mut data.applications {
        let Some(title) = &a.position else { continue };
        let Some(candidates) = by_title.get(&key(title)) else {
            continue;
        };
        let chosen = match candidates.as_slice() {
            [(_, id)] => Some(id.clone()),
            many => many
                .iter()
                .find(|(dept, _)| dept.is_some() && dept == &a.department)
                .map(|(_, id)| id.clone()),
        };
        a.position_id = chosen;
    }
}

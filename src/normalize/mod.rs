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
mod contacts;
mod positions;
mod row;

use std::sync::Arc;

use crate::ingest::{RawRow, RawTable};
use crate::model::{Dataset, Origin};
use crate::plan::{NormalizeSettings, Role};

pub use cells::list;
pub use contacts::{ContactRow, Listing};

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
    /// Contact-log and returned-recall rows, to be linked to candidates
    /// after resolution (kept or quarantined then).
    pub contacts: Vec<ContactRow>,
    /// Returned recall rows whose outcome is still empty: not data.
    pub rows_no_outcome: u64,
    /// Who was on a recall list, from returned recall rows that are not
    /// contacts (outcome empty or unreadable); linked with the contacts.
    pub listings: Vec<contacts::Listing>,
}

/// Normalizes every data row of `table`.
pub fn table(table: &RawTable, ctx: &Context) -> Normalized {
    rows(table, table.rows.len(), table.rows.iter(), ctx)
}

/// [`table`], taking the rows out of `table` and freeing each one once it
/// is read: a big sheet's raw cells and its records are not held together
/// (the freed cells make room for the records' own text).
pub fn table_freeing(table: &mut RawTable, ctx: &Context) -> Normalized {
    let raw = std::mem::take(&mut table.rows);
    rows(table, raw.len(), raw.into_iter(), ctx)
}

/// Normalizes `count` data rows of `table` (the header and labels come from
/// `table`, the rows from `raw`).
fn rows<R: std::borrow::Borrow<RawRow>>(
    table: &RawTable,
    count: usize,
    raw: impl Iterator<Item = R>,
    ctx: &Context,
) -> Normalized {
    let at = crate::model::Location::new(
        ctx.source.clone(),
        Arc::from(table.file.as_str()),
        table.sheet.as_deref().map(Arc::from),
    );
    let mut out = Normalized::default();
    // Header labels, shared by the `extra` columns of every row.
    let labels: Vec<Arc<str>> = table
        .header
        .columns
        .iter()
        .map(|c| Arc::from(c.label.as_str()))
        .collect();
    if ctx.role == Role::Candidates {
        // Room for what a row usually yields, so the vectors of a 100k-row
        // sheet are not regrown (and their pages faulted in again) a dozen
        // times.
        let rows = count;
        let mapped = table
            .header
            .columns
            .iter()
            .filter(|c| c.field.is_some() && !c.ignored)
            .count();
        out.data.persons.reserve(rows);
        out.data.applications.reserve(rows);
        out.data.events.reserve(rows * 2);
        out.data.lineage.reserve(rows * mapped, rows * mapped * 8);
    }
    for raw in raw {
        let raw = raw.borrow();
        let origin = Origin {
            at: at.clone(),
            row: raw.row,
        };
        let kept = match ctx.role {
            Role::Candidates => row::candidate(table, raw, origin, ctx, &labels, &mut out.data),
            Role::Positions => positions::position(table, raw, origin, ctx, &mut out.data),
            Role::Contacts | Role::RecallOutcomes => {
                match contacts::contact_row(table, raw, origin, ctx) {
                    contacts::Read::Row(c) => out.contacts.push(*c),
                    contacts::Read::NoOutcome(listing) => {
                        out.rows_no_outcome += 1;
                        out.listings.extend(listing);
                    }
                    contacts::Read::Quarantined(q, listing) => {
                        out.values_quarantined += q.len().saturating_sub(1) as u64;
                        out.data.quarantine.extend(q);
                        out.rows_quarantined += 1;
                        out.listings.extend(listing);
                    }
                }
                continue;
            }
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
        for title in std::iter::once(&p.title).chain(&p.aliases) {
            let list = by_title.entry(key(title)).or_default();
            if !list.iter().any(|(_, id)| *id == p.position_id) {
                list.push((p.department.clone(), p.position_id.clone()));
            }
        }
    }
    // Each application is looked up on its own: in parallel.
    use rayon::prelude::*;
    data.applications.par_iter_mut().for_each(|a| {
        let Some(title) = &a.position else { return };
        let Some(candidates) = by_title.get(&key(title)) else {
            return;
        };
        let chosen = match candidates.as_slice() {
            [(_, id)] => Some(id.clone()),
            many => many
                .iter()
                .find(|(dept, _)| dept.is_some() && dept == &a.department)
                .map(|(_, id)| id.clone()),
        };
        a.position_id = chosen;
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ApplicationRecord, PositionRecord};

    #[test]
    fn applications_link_by_title_alias_and_department() {
        let mut data = Dataset {
            positions: vec![
                PositionRecord {
                    position_id: "XH-DA-001".into(),
                    title: "数据分析师".into(),
                    aliases: vec!["Data Analyst".into()],
                    ..Default::default()
                },
                PositionRecord {
                    position_id: "XH-SA-001".into(),
                    title: "销售经理".into(),
                    department: Some("华东销售部".into()),
                    ..Default::default()
                },
                PositionRecord {
                    position_id: "XH-SA-009".into(),
                    title: "销售经理".into(),
                    department: Some("华南销售部".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let app = |title: &str, dept: Option<&str>| ApplicationRecord {
            position: Some(title.into()),
            department: dept.map(str::to_string),
            ..Default::default()
        };
        data.applications = vec![
            app("数据分析师", None),
            app("DATA  analyst", None),
            app("销售经理", Some("华南销售部")),
            app("销售经理", None),
            app("Sales Manager", None),
        ];
        link_positions(&mut data);
        let ids: Vec<Option<&str>> = data
            .applications
            .iter()
            .map(|a| a.position_id.as_deref())
            .collect();
        assert_eq!(
            ids,
            [
                Some("XH-DA-001"),
                Some("XH-DA-001"),
                Some("XH-SA-009"),
                None,
                None
            ]
        );
    }
}

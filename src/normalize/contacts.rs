//! One contact-log or returned-recall row: cells → a [`ContactRow`] that
//! says who was contacted (name, phones, emails, candidate id), when, how,
//! by whom and with what result. Linking the row to a resolved candidate
//! happens later, in [`crate::contacts`], once resolution has run.
//!
//! In a contact log some general headers mean something narrower: a status
//! column (`联系结果`, `结果`) holds the contact's result, a channel column
//! (`渠道`) the way it was made, a date column (`日期`) its time, and a
//! comment or reason column more notes. A `联系方式` column (a phone header)
//! that holds `电话` or `微信` names the channel rather than a number.

use chrono::{NaiveDate, NaiveDateTime};

use super::Context;
use super::cells;
use super::row::RowReader;
use crate::columns::Field;
use crate::ingest::{Cell, RawRow, RawTable};
use crate::model::{Origin, QuarantineEntry};
use crate::plan::Role;
use crate::rules::{self, contact::ContactOutcome};

/// A contact row as read, before linking.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ContactRow {
    pub origin: Option<Origin>,
    pub role: Option<Role>,
    pub name: Option<String>,
    pub name_key: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub wechat: Option<String>,
    /// From a returned recall workbook.
    pub candidate_id: Option<String>,
    pub at: Option<NaiveDateTime>,
    /// Channel code and the text it was read from.
    #[serde(deserialize_with = "crate::cache::shared")]
    pub channel: Option<(&'static str, String)>,
    pub by: Option<String>,
    pub result: Option<ContactOutcome>,
    pub result_raw: Option<String>,
    pub notes: Vec<String>,
    pub position: Option<String>,
    pub position_id: Option<String>,
    pub reinterview_at: Option<NaiveDateTime>,
    pub reinterview_by: Option<String>,
    /// When the recall list of a returned workbook was written.
    pub listed_at: Option<NaiveDate>,
    /// (field, value, column) of every kept value, for lineage once the
    /// row has an event id.
    #[serde(deserialize_with = "crate::cache::shared")]
    pub kept: Vec<(&'static str, String, String)>,
    /// Values refused in this row.
    pub quarantine: Vec<QuarantineEntry>,
}

/// A row of a returned recall workbook says that its candidate was on a
/// recall list, whatever HR wrote in the outcome: the report's recall
/// funnel starts from these.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Listing {
    pub origin: Origin,
    pub candidate_id: String,
    pub position_id: Option<String>,
    /// The `listed_at` cell: when the list was written.
    pub listed_at: Option<NaiveDate>,
}

/// What became of a contact row at reading time.
pub enum Read {
    /// Ready to link.
    Row(Box<ContactRow>),
    /// Not a contact: a returned recall row whose outcome is still empty;
    /// it still shows who was on the list.
    NoOutcome(Option<Listing>),
    /// Quarantined whole (the entry says where and why), with the value
    /// entries of the row, and the listing a returned recall row shows.
    Quarantined(Vec<QuarantineEntry>, Option<Listing>),
}

impl ContactRow {
    /// The listing a returned recall row shows: its candidate id, position
    /// and list date.
    pub fn listing(&self) -> Option<Listing> {
        if self.role != Some(Role::RecallOutcomes) {
            return None;
        }
        Some(Listing {
            origin: self.origin.clone()?,
            candidate_id: self.candidate_id.clone()?,
            position_id: self.position_id.clone(),
            listed_at: self.listed_at,
        })
    }
}

/// Reads one contact-log or returned-recall row.
pub fn contact_row(table: &RawTable, raw: &RawRow, origin: Origin, ctx: &Context) -> Read {
    let s = ctx.settings;
    let mut r = RowReader::new(table, origin.clone());
    let mut c = ContactRow {
        origin: Some(origin),
        role: Some(ctx.role),
        ..Default::default()
    };
    let recall = ctx.role == Role::RecallOutcomes;
    // (column, value, why) of a time cell that could not be read.
    let mut time_refused: Option<(String, String, String)> = None;
    let mut result_refused: Option<(String, String)> = None;
    let mut phone_cells: Vec<(usize, String)> = Vec::new();
    for (i, col, cell, field, text) in r.mapped_cells(table, raw) {
        let clean = rules::text::nfkc_clean(&text);
        let column = r.column_label(col).to_string();
        // Lineage names what the value means in a contact row.
        let meaning = match field {
            Field::Status => Field::ContactResult,
            Field::SourceChannel => Field::ContactChannel,
            Field::AppliedAt => Field::ContactAt,
            Field::Comment | Field::RejectionReason => Field::Notes,
            f => f,
        };
        let keep = |c: &mut ContactRow, value: &str| {
            c.kept
                .push((meaning.name(), value.to_string(), column.clone()))
        };
        match field {
            Field::Name if c.name.is_none() => match rules::name::normalize_name(&text, &s.vocab) {
                Ok(n) => {
                    keep(&mut c, &n.display);
                    c.name = Some(n.display);
                    c.name_key = Some(n.key);
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            Field::Phone => phone_cells.push((i, text.clone())),
            Field::Email => {
                let found = rules::email::split_emails(&text);
                for m in found.emails {
                    keep(&mut c, &m);
                    c.emails.push(m);
                }
                for (value, x) in found.rejected {
                    r.refuse(col, &Cell::Text(value), &x);
                }
            }
            Field::Wechat => {
                keep(&mut c, &clean);
                c.wechat = Some(clean);
            }
            Field::CandidateId => {
                keep(&mut c, &clean);
                c.candidate_id = Some(clean);
            }
            Field::ContactAt | Field::AppliedAt if c.at.is_none() => {
                match cells::datetime(cell, s.day_first) {
                    Ok(t) => {
                        keep(&mut c, &t.to_string());
                        c.at = Some(t);
                    }
                    Err(x) => time_refused = Some((column.clone(), cell.as_text(), x.reason)),
                }
            }
            Field::ContactChannel | Field::SourceChannel if c.channel.is_none() => {
                let code = rules::contact::parse_channel(&clean);
                keep(&mut c, code);
                c.channel = Some((code, clean));
            }
            Field::ContactedBy => {
                keep(&mut c, &clean);
                c.by = Some(clean);
            }
            Field::ContactResult | Field::Status if c.result.is_none() => {
                match rules::contact::parse_contact_result(&text, &s.vocab) {
                    Ok(o) => {
                        keep(&mut c, o.code());
                        c.result = Some(o);
                        c.result_raw = Some(clean);
                    }
                    Err(x) => {
                        result_refused = Some((column.clone(), cell.as_text()));
                        c.result_raw = Some(clean);
                        if !recall {
                            r.refuse(col, cell, &x);
                        }
                    }
                }
            }
            Field::Notes | Field::Comment | Field::RejectionReason => {
                keep(&mut c, &clean);
                c.notes.push(clean);
            }
            Field::Position => {
                keep(&mut c, &clean);
                c.position = Some(clean);
            }
            Field::PositionId => {
                keep(&mut c, &clean);
                c.position_id = Some(clean);
            }
            Field::ReinterviewAt => match cells::datetime(cell, s.day_first) {
                Ok(t) => {
                    keep(&mut c, &t.to_string());
                    c.reinterview_at = Some(t);
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            Field::ReinterviewBy => {
                keep(&mut c, &clean);
                c.reinterview_by = Some(clean);
            }
            Field::ListedAt if recall => match cells::date(cell, s.day_first) {
                Ok(d) => {
                    keep(&mut c, &d.to_string());
                    c.listed_at = Some(d);
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            // Everything else a contact log may carry (department, salary…)
            // says nothing about the contact itself.
            _ => {}
        }
    }
    for (i, text) in phone_cells {
        let col = &table.header.columns[i];
        let phones = rules::phone::normalize_phones(&text, &s.region);
        let channel = rules::contact::parse_channel(&text);
        if phones.numbers.is_empty() && phones.masked.is_empty() && channel != "other" {
            // `联系方式: 电话` — the way of contact, not a number.
            if c.channel.is_none() {
                c.kept.push((
                    Field::ContactChannel.name(),
                    channel.to_string(),
                    r.column_label(col).to_string(),
                ));
                c.channel = Some((channel, rules::text::nfkc_clean(&text)));
            }
            continue;
        }
        for n in phones.numbers {
            if !c.phones.contains(&n) {
                c.kept.push((
                    Field::Phone.name(),
                    n.clone(),
                    r.column_label(col).to_string(),
                ));
                c.phones.push(n);
            }
        }
        for (value, x) in phones.rejected {
            r.refuse(col, &Cell::Text(value), &x);
        }
    }

    if recall {
        match (&c.result, result_refused) {
            (None, None) => return Read::NoOutcome(c.listing()),
            (None, Some((column, value))) => {
                let expected = rules::contact::RECALL_OUTCOMES.join(", ");
                let reason = format!(
                    "unknown recall outcome: `{value}` in {column}; expected one of {expected} \
                     (the drop-down values), or 同意复试, 已入职, 拒绝, 未接通, 空号"
                );
                let mut row = r.quarantine_row(raw, &reason);
                row.column = column;
                row.value = value;
                let mut all = r.quarantine;
                all.push(row);
                return Read::Quarantined(all, c.listing());
            }
            _ => {}
        }
        if c.candidate_id.is_none() && c.name.is_none() && c.phones.is_empty() {
            let row = r.quarantine_row(
                raw,
                "recall outcome without a person: no candidate_id, name or phone to link it to",
            );
            let mut all = r.quarantine;
            all.push(row);
            return Read::Quarantined(all, None);
        }
        if let Some((column, value, why)) = time_refused {
            let base = r.quarantine_row(raw, "");
            r.quarantine.push(QuarantineEntry {
                column,
                level: crate::model::Level::Value,
                value,
                reason: format!(
                    "outcome time unreadable ({why}): the outcome counts, but not for the cooldown"
                ),
                ..base
            });
        }
    } else {
        if c.name.is_none() && c.phones.is_empty() && c.emails.is_empty() && c.wechat.is_none() {
            let row = r.quarantine_row(
                raw,
                "contact without a person: no readable name, phone, email or WeChat to link it to",
            );
            let mut all = r.quarantine;
            all.push(row);
            return Read::Quarantined(all, None);
        }
        if c.at.is_none() {
            let reason = match &time_refused {
                Some((column, value, why)) => format!(
                    "contact time unreadable: `{value}` in {column} ({why}); without it the contact cannot count for the cooldown"
                ),
                None => {
                    "contact time missing: without it the contact cannot count for the cooldown"
                        .to_string()
                }
            };
            let row = r.quarantine_row(raw, &reason);
            let mut all = r.quarantine;
            all.push(row);
            return Read::Quarantined(all, None);
        }
    }
    c.quarantine = r.quarantine;
    Read::Row(Box::new(c))
}

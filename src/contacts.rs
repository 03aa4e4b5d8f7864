//! Contact logs and returned recall workbooks onto resolved candidates.
//!
//! Each row read by [`crate::normalize`] (a [`ContactRow`]) is linked to
//! one candidate — by `candidate_id` when a returned recall workbook carries
//! it, else by phone or email, else by a name only one candidate has — and
//! becomes an event on that candidate's timeline (with its file, sheet and
//! row, and lineage for each value), a [`ContactRecord`] for recall
//! (cooldown, outcomes), an updated `last_contact_at`, and `do_not_contact`
//! when the result is an opt-out or the notes say so (`要求不再联系`, read
//! with the chats' opt-out phrases). A row that could mean several people,
//! or nobody hrflow knows, is quarantined with the candidates it could mean:
//! reported, never guessed.
//!
//! Like chat linking this runs after resolution, so that a call to `张三`
//! lands on the one candidate his three source rows became.

use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::json;

use crate::chat::extract::Phrases;
use crate::manifest::SourceCounts;
use crate::model::{
    ContactRecord, Dataset, EventRecord, Level, QuarantineEntry, RecallListing, stable_id,
};
use crate::normalize::{ContactRow, Listing};
use crate::plan::Role;
use crate::rules::contact::ContactOutcome;

/// Event kind of a contact-log row.
pub const CONTACT_EVENT: &str = "contact";
/// Event kind of a filled-in row of a returned recall workbook.
pub const RECALL_OUTCOME_EVENT: &str = "recall_outcome";

/// What contact linking did, for the manifest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ContactSummary {
    /// Rows linked to a candidate and recorded as events.
    pub contacts: usize,
    pub recall_outcomes: usize,
    /// Rows that matched nobody, or more than one candidate.
    pub unknown: usize,
    pub ambiguous: usize,
    /// Candidates marked do-not-contact by a contact row.
    pub opt_outs: usize,
    /// Rows of returned recall workbooks that show a known candidate on a
    /// list (filled in or not), and those whose candidate id is unknown.
    pub recall_listed: usize,
    pub recall_listed_unknown: usize,
}

/// Links contact rows (with the index of the source they came from) into
/// `data`, and completes those sources' row accounting.
pub fn link(
    data: &mut Dataset,
    rows: Vec<(usize, ContactRow)>,
    listings: Vec<Listing>,
    phrases: &Phrases,
    counts: &mut [SourceCounts],
) -> ContactSummary {
    let mut summary = ContactSummary::default();
    if rows.is_empty() && listings.is_empty() {
        return summary;
    }
    let index = Index::new(data);
    // Returned recall rows that are no contact still say who was listed;
    // only the candidate id links them (they carry nothing else to go by).
    for l in listings {
        if index.by_id.contains_key(&l.candidate_id) {
            summary.recall_listed += 1;
            data.recall_listings.push(RecallListing {
                candidate_id: l.candidate_id,
                position_id: l.position_id,
                listed_at: l.listed_at,
                origin: l.origin,
            });
        } else {
            summary.recall_listed_unknown += 1;
        }
    }
    let mut opted_out: BTreeSet<String> = BTreeSet::new();
    for (source, row) in rows {
        let c = &mut counts[source];
        c.values_quarantined += row.quarantine.len() as u64;
        data.quarantine.extend(row.quarantine.iter().cloned());
        let origin = row.origin.clone().expect("contact rows carry their origin");
        let candidate_id = match index.find(&row) {
            Found::One(i) => data.persons[i].candidate_id.clone(),
            found => {
                let reason = match &found {
                    Found::Many(many) => {
                        summary.ambiguous += 1;
                        let names: Vec<String> = many
                            .iter()
                            .map(|&i| {
                                let p = &data.persons[i];
                                format!("{} ({})", p.name.as_deref().unwrap_or("?"), p.candidate_id)
                            })
                            .collect();
                        format!("ambiguous contact: could be {}", names.join(" or "))
                    }
                    _ => {
                        summary.unknown += 1;
                        format!("unknown candidate: no candidate has {}", row_identity(&row))
                    }
                };
                data.quarantine.push(QuarantineEntry {
                    source: origin.source.clone(),
                    file: origin.file.clone(),
                    sheet: origin.sheet.clone(),
                    row: origin.row,
                    column: String::new(),
                    level: Level::Row,
                    value: row_value(&row),
                    reason,
                });
                c.rows_quarantined += 1;
                continue;
            }
        };
        c.rows_kept += 1;
        let recall = row.role == Some(Role::RecallOutcomes);
        if let Some(l) = row.listing() {
            summary.recall_listed += 1;
            data.recall_listings.push(RecallListing {
                candidate_id: candidate_id.clone(),
                position_id: l.position_id,
                listed_at: l.listed_at,
                origin: l.origin,
            });
        }
        let kind = if recall {
            summary.recall_outcomes += 1;
            RECALL_OUTCOME_EVENT
        } else {
            summary.contacts += 1;
            CONTACT_EVENT
        };
        let sheet = origin.sheet.as_deref().unwrap_or("");
        let row_text = origin.row.to_string();
        let event_id = stable_id("E", &[&origin.file, sheet, &row_text, kind]);
        let notes = row.notes.join("；");
        let opt_out_phrase = (!notes.is_empty())
            .then(|| phrases.opt_out_in(&notes))
            .flatten();
        let detail = json!({
            "result": row.result.map(ContactOutcome::code),
            "result_raw": row.result_raw,
            "channel": row.channel.as_ref().map(|c| c.0),
            "channel_raw": row.channel.as_ref().map(|c| c.1.clone()),
            "contacted_by": row.by,
            "position_id": row.position_id,
            "position": row.position,
            "reinterview_at": row.reinterview_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
            "reinterview_by": row.reinterview_by,
            "notes": (!notes.is_empty()).then_some(&notes),
            "opt_out_phrase": opt_out_phrase,
        });
        let detail = match detail {
            serde_json::Value::Object(m) => {
                serde_json::Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect())
            }
            other => other,
        };
        let text = [row.result_raw.clone().unwrap_or_default(), notes.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" — ");
        let entity_id = data.lineage.id(std::sync::Arc::from(event_id.as_str()));
        for (field, value, column) in &row.kept {
            let column: std::sync::Arc<str> = std::sync::Arc::from(column.as_str());
            let place = data
                .lineage
                .place("event", field, &origin.file, &origin.sheet, &column);
            data.lineage.push(place, entity_id, origin.row, value);
        }
        let i = index.by_id[&candidate_id];
        let p = &mut data.persons[i];
        if let Some(t) = row.at {
            let d = t.date();
            p.last_contact_at = Some(p.last_contact_at.map_or(d, |x| x.max(d)));
        }
        let opts_out = row.result == Some(ContactOutcome::OptOut) || opt_out_phrase.is_some();
        if opts_out {
            if !p.do_not_contact {
                opted_out.insert(candidate_id.clone());
            }
            p.do_not_contact = true;
        }
        data.contacts.push(ContactRecord {
            candidate_id: candidate_id.clone(),
            event_id: event_id.clone(),
            at: row.at,
            result: if opts_out && row.result.is_none() {
                Some(ContactOutcome::OptOut)
            } else {
                row.result
            },
            position_id: row.position_id.clone(),
            position: row.position.clone(),
            kind,
            reinterview_at: row.reinterview_at,
        });
        data.events.push(EventRecord {
            event_id,
            candidate_id,
            origin: Some(origin),
            at: row.at,
            kind,
            text,
            said_by: row.by.clone(),
            confidence: None,
            detail: Some(detail.to_string()),
        });
    }
    summary.opt_outs = opted_out.len();
    summary
}

/// What a row's person could be.
enum Found {
    One(usize),
    Many(Vec<usize>),
    Nobody,
}

/// Candidates by id, phone, email, WeChat id and name key.
struct Index {
    by_id: HashMap<String, usize>,
    by_phone: HashMap<String, Vec<usize>>,
    by_email: HashMap<String, Vec<usize>>,
    by_wechat: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
}

impl Index {
    fn new(data: &Dataset) -> Index {
        let mut ix = Index {
            by_id: HashMap::new(),
            by_phone: HashMap::new(),
            by_email: HashMap::new(),
            by_wechat: HashMap::new(),
            by_name: HashMap::new(),
        };
        for (i, p) in data.persons.iter().enumerate() {
            // Chat-only leads are not candidates a contact log talks about.
            if p.latest_status == Some("lead") {
                continue;
            }
            ix.by_id.insert(p.candidate_id.clone(), i);
            for ph in &p.phones {
                ix.by_phone.entry(ph.clone()).or_default().push(i);
            }
            for em in &p.emails {
                ix.by_email.entry(em.clone()).or_default().push(i);
            }
            if let Some(w) = &p.wechat {
                ix.by_wechat.entry(w.to_lowercase()).or_default().push(i);
            }
            if let Some(k) = &p.name_key {
                ix.by_name.entry(k.to_string()).or_default().push(i);
            }
        }
        ix
    }

    /// Id first (a returned recall workbook), then phones and emails, then
    /// WeChat id, then a name only one candidate has.
    fn find(&self, row: &ContactRow) -> Found {
        if let Some(id) = &row.candidate_id
            && let Some(&i) = self.by_id.get(id)
        {
            return Found::One(i);
        }
        let mut hits: BTreeSet<usize> = BTreeSet::new();
        for ph in &row.phones {
            hits.extend(self.by_phone.get(ph).into_iter().flatten());
        }
        for em in &row.emails {
            hits.extend(self.by_email.get(em).into_iter().flatten());
        }
        if hits.is_empty()
            && let Some(w) = &row.wechat
        {
            hits.extend(self.by_wechat.get(&w.to_lowercase()).into_iter().flatten());
        }
        if hits.len() > 1 {
            // Two candidates share the number: the name may decide.
            if let Some(k) = &row.name_key {
                let named: Vec<usize> = hits
                    .iter()
                    .copied()
                    .filter(|i| self.by_name.get(k).is_some_and(|v| v.contains(i)))
                    .collect();
                if named.len() == 1 {
                    return Found::One(named[0]);
                }
            }
            return Found::Many(hits.into_iter().collect());
        }
        if let Some(&i) = hits.iter().next() {
            return Found::One(i);
        }
        match row.name_key.as_ref().and_then(|k| self.by_name.get(k)) {
            Some(v) if v.len() == 1 => Found::One(v[0]),
            Some(v) if v.len() > 1 => Found::Many(v.clone()),
            _ => Found::Nobody,
        }
    }
}

/// What the row identified its person by, for the quarantine reason.
fn row_identity(row: &ContactRow) -> String {
    let mut parts = Vec::new();
    if let Some(id) = &row.candidate_id {
        parts.push(format!("id {id}"));
    }
    if let Some(n) = &row.name {
        parts.push(format!("the name {n}"));
    }
    for p in &row.phones {
        parts.push(format!("the phone {p}"));
    }
    for e in &row.emails {
        parts.push(format!("the email {e}"));
    }
    if let Some(w) = &row.wechat {
        parts.push(format!("the WeChat id {w}"));
    }
    if parts.is_empty() {
        "these details".to_string()
    } else {
        parts.join(", ")
    }
}

/// The row's values, for a whole-row quarantine entry.
fn row_value(row: &ContactRow) -> String {
    row.kept
        .iter()
        .map(|(field, value, _)| format!("{field}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, PersonRecord};

    fn person(id: &str, name: &str, phone: &str) -> PersonRecord {
        PersonRecord {
            record_id: format!("R{id}"),
            candidate_id: id.into(),
            name: Some(name.into()),
            name_key: Some(name.into()),
            phones: vec![phone.into()],
            ..Default::default()
        }
    }

    fn row(n: u32, name: Option<&str>, phone: Option<&str>) -> (usize, ContactRow) {
        let row = ContactRow {
            origin: Some(Origin::new(
                "source[1]".into(),
                "log.xlsx".into(),
                Some("2024".into()),
                n,
            )),
            role: Some(Role::Contacts),
            name: name.map(str::to_string),
            name_key: name.map(str::to_string),
            phones: phone.map(str::to_string).into_iter().collect(),
            at: chrono::NaiveDate::from_ymd_opt(2024, 6, 1).and_then(|d| d.and_hms_opt(9, 0, 0)),
            result: Some(ContactOutcome::Reached),
            ..Default::default()
        };
        (0, row)
    }

    /// Links the rows and returns (candidate of each event, quarantine reasons).
    fn linked(
        persons: Vec<PersonRecord>,
        rows: Vec<(usize, ContactRow)>,
    ) -> (Vec<String>, Vec<String>) {
        let mut data = Dataset {
            persons,
            ..Default::default()
        };
        let mut counts = vec![SourceCounts {
            rows_read: rows.len() as u64,
            ..Default::default()
        }];
        link(&mut data, rows, Vec::new(), Phrases::builtin(), &mut counts);
        assert!(counts[0].balances(), "{:?}", counts[0]);
        (
            data.events.iter().map(|e| e.candidate_id.clone()).collect(),
            data.quarantine.iter().map(|q| q.reason.clone()).collect(),
        )
    }

    #[test]
    fn rows_link_by_phone_then_by_a_unique_name_and_never_guess() {
        let people = || {
            vec![
                person("C1", "张伟", "+8613800000001"),
                person("C2", "张伟", "+8613800000002"),
                person("C3", "李娜", "+8613800000003"),
                // Two records sharing a number (a family phone).
                person("C4", "王芳", "+8613800000004"),
                person("C5", "王磊", "+8613800000004"),
            ]
        };
        let (events, quarantine) = linked(
            people(),
            vec![
                row(2, Some("张伟"), Some("+8613800000002")),
                row(3, Some("李娜"), None),
                row(4, Some("王磊"), Some("+8613800000004")),
                row(5, None, Some("+8613800000004")),
                row(6, Some("张伟"), None),
                row(7, Some("赵六"), None),
            ],
        );
        assert_eq!(events, vec!["C2", "C3", "C5"]);
        assert_eq!(quarantine.len(), 3, "{quarantine:?}");
        assert_eq!(
            quarantine[0],
            "ambiguous contact: could be 王芳 (C4) or 王磊 (C5)"
        );
        assert_eq!(
            quarantine[1],
            "ambiguous contact: could be 张伟 (C1) or 张伟 (C2)"
        );
        assert_eq!(
            quarantine[2],
            "unknown candidate: no candidate has the name 赵六"
        );
    }

    #[test]
    fn chat_only_leads_are_not_linked() {
        let mut lead = person("L1", "陈静", "+8613900000009");
        lead.latest_status = Some("lead");
        let (events, quarantine) = linked(vec![lead], vec![row(2, Some("陈静"), None)]);
        assert!(events.is_empty());
        assert!(
            quarantine[0].starts_with("unknown candidate:"),
            "{quarantine:?}"
        );
    }

    #[test]
    fn opt_out_phrases_in_notes_count_unless_negated() {
        let p = Phrases::builtin();
        assert_eq!(
            p.opt_out_in("候选人表示要求不再联系").as_deref(),
            Some("要求不再联系")
        );
        assert_eq!(
            p.opt_out_in("对方说别再打了，已删除").as_deref(),
            Some("别再打了")
        );
        assert_eq!(p.opt_out_in("并未要求不再联系，只是最近忙"), None);
        assert_eq!(p.opt_out_in("下周再联系"), None);
    }
}

//! Chat messages onto candidates: extraction runs per chat file against the
//! resolved candidates, and what it finds becomes timeline events, enriched
//! contact details, opt-outs, and lead candidates for chat-only people.
//!
//! This runs after resolution on purpose: a mention of 张三 has to land on
//! the one candidate that 张三's three source rows became, and a phone number
//! posted in a chat has to be compared with every number that candidate has.
//! Ambiguous mentions (`小张` when two 张 are in play) are quarantined with
//! their line and the candidates they could mean — reported, never guessed.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::chat::extract::{
    ChatEventKind, KnownIndex, KnownRef, KnownSource, PersonRef, Phrases, extract_with,
};
use crate::model::{
    Dataset, EventRecord, Level, Location, Origin, PersonRecord, QuarantineEntry, stable_id,
};

/// One parsed chat file, kept for extraction after resolution.
#[derive(Debug, Clone)]
pub struct ChatFile {
    pub source: Arc<str>,
    pub file: Arc<str>,
    pub messages: Vec<crate::chat::Message>,
}

/// What chat linking did, for the manifest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChatSummary {
    pub files: usize,
    pub messages: usize,
    pub events: usize,
    pub events_on_known_candidates: usize,
    pub leads: usize,
    pub ambiguous_mentions: usize,
    pub opt_outs: usize,
    pub resolved_by_context: usize,
}

/// A person record as chat extraction reads it: recognizable by a name or
/// a phone.
impl KnownSource for PersonRecord {
    fn known(&self) -> Option<KnownRef<'_>> {
        (self.name.is_some() || !self.phones.is_empty()).then(|| KnownRef {
            candidate_id: &self.candidate_id,
            name: self.name.as_deref().unwrap_or_default(),
            name_key: self.name_key.as_deref().unwrap_or_default(),
            phones: &self.phones,
            emails: &self.emails,
        })
    }
}

/// Extracts events from every chat file and links them into `data`.
pub fn link(
    data: &mut Dataset,
    chats: &[ChatFile],
    phrases: &Phrases,
    region: &str,
) -> ChatSummary {
    let mut summary = ChatSummary {
        files: chats.len(),
        ..Default::default()
    };
    if chats.is_empty() {
        return summary;
    }
    let index_of_known = KnownIndex::new(&data.persons, phrases, region);
    // Files are read independently (in parallel); what they found is linked
    // in file order, so ids and counts do not depend on scheduling. Where
    // each candidate's last record is (looked up before any record changes:
    // what the events of known candidates change, and how an ambiguous
    // mention's candidates are named) is found meanwhile, on a core the
    // biggest file leaves free.
    let (extractions, index): (Vec<_>, foldhash::HashMap<&str, usize>) = rayon::join(
        || {
            chats
                .par_iter()
                .map(|chat| extract_with(&chat.messages, &index_of_known, phrases, region))
                .collect()
        },
        || {
            data.persons
                .iter()
                .enumerate()
                .map(|(i, p)| (p.candidate_id.as_str(), i))
                .collect()
        },
    );
    // The index holds a few maps of a million keys: freeing them is left to
    // a thread of its own while linking goes on.
    std::thread::spawn(move || drop(index_of_known));
    // An event's id and detail depend on the event alone: made in parallel
    // before the events are linked one by one.
    let made: Vec<Vec<(String, String)>> = chats
        .iter()
        .zip(&extractions)
        .map(|(chat, ex)| {
            ex.events
                .par_iter()
                .enumerate()
                .map(|(n, e)| (event_id(&chat.file, e, n), event_detail(e)))
                .collect()
        })
        .collect();
    let (targets, reasons) = {
        let targets: Vec<Vec<Option<usize>>> = chats
            .iter()
            .zip(&extractions)
            .map(|(chat, ex)| {
                ex.events
                    .par_iter()
                    .map(|e| match &e.person {
                        PersonRef::Known(id) => index.get(id.as_str()).copied(),
                        PersonRef::Lead(i) => index
                            .get(lead_id(&chat.file, ex.leads[*i].line).as_str())
                            .copied(),
                    })
                    .collect()
            })
            .collect();
        let reasons: Vec<Vec<String>> = extractions
            .iter()
            .map(|ex| {
                ex.ambiguous
                    .iter()
                    .map(|a| {
                        // A common name can be shared by hundreds of
                        // candidates: the first few by id are named, the
                        // rest counted.
                        let mut names: Vec<String> = a
                            .candidates
                            .iter()
                            .map(|id| match index.get(id.as_str()) {
                                Some(&i) => format!(
                                    "{} ({id})",
                                    data.persons[i].name.as_deref().unwrap_or("?")
                                ),
                                None => id.clone(),
                            })
                            .collect();
                        if a.others > 0 {
                            names.push(format!("{} others", a.others));
                        }
                        format!(
                            "ambiguous mention: `{}` could be {}",
                            a.mention,
                            names.join(" or ")
                        )
                    })
                    .collect()
            })
            .collect();
        (targets, reasons)
    };
    drop(index);
    for (((chat, ex), (targets, reasons)), made) in chats
        .iter()
        .zip(extractions)
        .zip(targets.into_iter().zip(reasons))
        .zip(made)
    {
        summary.messages += chat.messages.len();
        summary.resolved_by_context += ex.stats.resolved_by_context;
        let at = Location::new(chat.source.clone(), chat.file.clone(), None);
        let origin = |line: usize| Origin {
            at: at.clone(),
            row: line as u32,
        };
        let lead_ids: Vec<String> = ex
            .leads
            .iter()
            .map(|l| lead_id(&chat.file, l.line))
            .collect();
        for (lead, id) in ex.leads.iter().zip(&lead_ids) {
            summary.leads += 1;
            data.persons.push(PersonRecord {
                record_id: stable_id("R", &[&chat.file, "lead", &lead.line.to_string()]),
                candidate_id: id.clone(),
                origin: Some(origin(lead.line)),
                name: lead.name.as_deref().map(Box::from),
                name_key: lead.name.as_deref().map(|n| fast2s::convert(n).into()),
                phones: lead.phones.clone(),
                emails: lead.emails.clone(),
                wechat: lead.wechat.as_deref().map(Box::from),
                source_channel: Some("chat".into()),
                latest_status: Some("lead"),
                ..Default::default()
            });
        }
        for ((n, e), (event_id, detail)) in ex.events.into_iter().enumerate().zip(made) {
            let candidate_id = match &e.person {
                PersonRef::Known(id) => {
                    summary.events_on_known_candidates += 1;
                    id.clone()
                }
                PersonRef::Lead(i) => lead_ids[*i].clone(),
            };
            summary.events += 1;
            if let Some(i) = targets[n] {
                let p = &mut data.persons[i];
                match e.kind {
                    ChatEventKind::OptOut => {
                        summary.opt_outs += 1;
                        p.do_not_contact = true;
                    }
                    ChatEventKind::Contact => {
                        let d = e.at.date();
                        p.last_contact_at = Some(p.last_contact_at.map_or(d, |x| x.max(d)));
                        // Recall's cooldown reads the contact history as of
                        // its date, so the contact is kept with its time.
                        data.contacts.push(crate::model::ContactRecord {
                            candidate_id: candidate_id.clone(),
                            event_id: event_id.clone(),
                            at: Some(e.at),
                            result: e.contact.map(contact_outcome),
                            position_id: None,
                            position: None,
                            kind: chat_kind(e.kind),
                            reinterview_at: None,
                        });
                    }
                    // What the boss said about pay fills a gap the sheets
                    // left; it never overrides a value a sheet recorded.
                    ChatEventKind::Salary if p.salary_raw.is_none() => {
                        if let Some(sal) = &e.salary {
                            p.salary_min = sal.min.map(f64::round);
                            p.salary_max = sal.max.map(f64::round);
                            p.salary_negotiable = sal.negotiable;
                            p.salary_raw = e.salary_raw.as_deref().map(Box::from);
                            data.lineage.push_one(
                                "candidate",
                                Arc::from(candidate_id.as_str()),
                                "expected_salary",
                                e.salary_raw.as_deref().unwrap_or_default(),
                                &chat.file,
                                &None,
                                e.line as u32,
                                &Arc::from("chat"),
                            );
                        }
                    }
                    ChatEventKind::ContactDetails => {
                        for ph in &e.phones {
                            if !p.phones.contains(ph) {
                                p.phones.push(ph.clone());
                            }
                        }
                        for em in &e.emails {
                            if !p.emails.contains(em) {
                                p.emails.push(em.clone());
                            }
                        }
                        if p.wechat.is_none() {
                            p.wechat = e.wechat.as_deref().map(Box::from);
                        }
                    }
                    _ => {}
                }
            }
            if e.kind == ChatEventKind::Evaluation {
                // The verdict in a chat is an evaluation like a sheet's
                // comment column: scoring and recall read its strengths.
                data.evaluations.push(crate::model::EvaluationRecord {
                    evaluation_id: stable_id(
                        "V",
                        &[&chat.file, &e.line.to_string(), &candidate_id],
                    ),
                    application_id: String::new(),
                    candidate_id: candidate_id.clone(),
                    origin: Some(origin(e.line)),
                    interviewer: e.said_by.clone(),
                    at: Some(e.at),
                    comment: Some(e.text.clone()),
                    ..Default::default()
                });
            }
            data.events.push(EventRecord {
                event_id,
                candidate_id,
                origin: Some(origin(e.line)),
                at: Some(e.at),
                kind: chat_kind(e.kind),
                text: e.text,
                said_by: e.said_by,
                confidence: Some(e.confidence as f64),
                detail: Some(detail),
            });
        }
        for (a, reason) in ex.ambiguous.iter().zip(reasons) {
            summary.ambiguous_mentions += 1;
            data.quarantine.push(QuarantineEntry {
                source: chat.source.clone(),
                file: chat.file.clone(),
                sheet: None,
                row: a.line as u32,
                column: "mention".to_string(),
                level: Level::Value,
                value: a.text.clone(),
                reason,
            });
        }
    }
    summary
}

/// The id of the `n`th event of a chat file.
fn event_id(file: &str, e: &crate::chat::extract::ChatEvent, n: usize) -> String {
    stable_id(
        "E",
        &[file, &e.line.to_string(), e.kind.code(), &n.to_string()],
    )
}

/// An event's details as a JSON object: only what the line says, empty
/// members dropped.
fn event_detail(e: &crate::chat::extract::ChatEvent) -> String {
    let detail = json!({
        "decision": e.decision.map(|d| d.code()),
        "reason_type": e.reason.map(|r| r.0.code()),
        "reason": e.reason.map(|r| r.1.code()),
        "strengths": e.strengths,
        "concerns": e.concerns,
        "salary_min": e.salary.as_ref().and_then(|s| s.min),
        "salary_max": e.salary.as_ref().and_then(|s| s.max),
        "salary_raw": e.salary_raw,
        "interview_at": e.interview_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
        "round": e.round,
        "contact": e.contact.map(|c| c.code()),
        "phones": e.phones,
        "emails": e.emails,
        "wechat": e.wechat,
    });
    let detail = match detail {
        serde_json::Value::Object(m) => serde_json::Value::Object(
            m.into_iter()
                .filter(|(_, v)| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)))
                .collect(),
        ),
        other => other,
    };
    detail.to_string()
}

/// The candidate id of a lead found at `line` of a chat file.
fn lead_id(file: &str, line: usize) -> String {
    stable_id("C", &[file, "lead", &line.to_string()])
}

/// A chat's contact result in the contact-log vocabulary.
fn contact_outcome(
    r: crate::chat::extract::ContactResult,
) -> crate::rules::contact::ContactOutcome {
    use crate::chat::extract::ContactResult as C;
    use crate::rules::contact::ContactOutcome as O;
    match r {
        C::Reached => O::Reached,
        C::NoAnswer => O::NoAnswer,
        C::Busy => O::Busy,
        C::Invalid => O::WrongNumber,
    }
}

fn chat_kind(k: ChatEventKind) -> &'static str {
    match k {
        ChatEventKind::Mention => "chat_mention",
        ChatEventKind::Decision => "chat_decision",
        ChatEventKind::RejectionReason => "chat_rejection_reason",
        ChatEventKind::Evaluation => "chat_evaluation",
        ChatEventKind::Salary => "chat_salary",
        ChatEventKind::InterviewScheduled => "chat_interview_scheduled",
        ChatEventKind::Contact => "chat_contact",
        ChatEventKind::ContactDetails => "chat_contact_details",
        ChatEventKind::OptOut => "chat_opt_out",
    }
}

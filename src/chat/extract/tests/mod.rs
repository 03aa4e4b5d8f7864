//! Tests of chat extraction: the labeled set (precision and recall over
//! `tests/fixtures/chat_labels.toml`), the sample chats, table tests of real
//! sentences per event kind, the phrase tables and the time reader.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use super::*;
use crate::chat::{ChatKind, MessageKind, Platform};

mod kinds;
mod labels;
mod namesakes;
mod phrase_tables;
mod times;

const LABELS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/chat_labels.toml"
);
const CHATS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/chats/");

/// The default time of a message in the tables: Monday 2024-05-06 10:00.
const MONDAY: &str = "2024-05-06 10:00";

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .unwrap_or_else(|e| panic!("bad test time {s}: {e}"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn labels() -> toml::Table {
    read(LABELS)
        .parse()
        .unwrap_or_else(|e| panic!("chat_labels.toml is not valid TOML: {e}"))
}

fn strings(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().expect("string in list").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The sample company's candidates from the `people` list of the labels.
fn people() -> Vec<KnownPerson> {
    labels()["people"]
        .as_array()
        .expect("people list")
        .iter()
        .map(|p| {
            let name = p["name"].as_str().expect("name").to_string();
            let key = crate::rules::name::normalize_name(&name, crate::rules::Vocab::builtin())
                .expect("valid name")
                .key;
            KnownPerson {
                candidate_id: p["id"].as_str().expect("id").to_string(),
                name,
                name_key: key,
                phones: strings(p.get("phones")),
                emails: strings(p.get("emails")),
            }
        })
        .collect()
}

/// A text message of chat `chat`; `引用:` lines make it a reply.
fn message(chat: &str, line: usize, at: &str, sender: &str, text: &str) -> Message {
    Message {
        platform: Platform::Unknown,
        chat_name: Some(chat.to_string()),
        chat_kind: ChatKind::Group,
        at: dt(at),
        at_utc: None,
        sender: Some(sender.to_string()),
        sender_id: None,
        is_system: false,
        kind: if text.contains("\n引用:") {
            MessageKind::Reply
        } else {
            MessageKind::Text
        },
        text: text.to_string(),
        line,
    }
}

/// Extracts from one message sent by 孙悦 on [`MONDAY`], after `context`
/// (each `time|sender|text`) in the same chat.
fn run(context: &[&str], at: &str, sender: &str, text: &str) -> Extraction {
    let mut messages: Vec<Message> = context
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let parts: Vec<&str> = c.splitn(3, '|').collect();
            message("t", i + 1, parts[0], parts[1], parts[2])
        })
        .collect();
    messages.push(message("t", messages.len() + 1, at, sender, text));
    extract(&messages, &people(), Phrases::builtin(), "CN")
}

/// How a person is written in the labels: a candidate id, or `lead:` and
/// the lead's name (or first identifier).
fn person_label(person: &PersonRef, leads: &[Lead]) -> String {
    match person {
        PersonRef::Known(id) => id.clone(),
        PersonRef::Lead(i) => {
            let lead = &leads[*i];
            let first = lead
                .name
                .clone()
                .or_else(|| lead.phones.first().cloned())
                .or_else(|| lead.emails.first().cloned())
                .or_else(|| lead.wechat.clone())
                .unwrap_or_default();
            format!("lead:{first}")
        }
    }
}

fn salary_label(s: &crate::rules::salary::Salary) -> String {
    if s.negotiable && s.min.is_none() && s.max.is_none() {
        return "negotiable".to_string();
    }
    let side = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    format!("{}-{}", side(s.min), side(s.max))
}

fn round_label(round: Option<u8>) -> String {
    round.map_or("r-".to_string(), |r| format!("r{r}"))
}

/// The countable facts of an event: one per strength, concern and
/// identifier, one for every other event.
fn event_units(e: &ChatEvent, leads: &[Lead]) -> Vec<String> {
    let who = person_label(&e.person, leads);
    let unit = |detail: &str| format!("{}|{who}|{detail}", e.kind.code());
    match e.kind {
        ChatEventKind::Mention | ChatEventKind::OptOut => vec![unit("")],
        ChatEventKind::Decision => vec![unit(e.decision.expect("decision").code())],
        ChatEventKind::RejectionReason => {
            let (t, c) = e.reason.expect("reason");
            vec![unit(&format!("{}:{}", t.code(), c.code()))]
        }
        ChatEventKind::Evaluation => e
            .strengths
            .iter()
            .map(|s| unit(&format!("+{s}")))
            .chain(e.concerns.iter().map(|c| unit(&format!("-{c}"))))
            .collect(),
        ChatEventKind::Salary => vec![unit(&salary_label(e.salary.as_ref().expect("salary")))],
        ChatEventKind::InterviewScheduled => {
            let at = e.interview_at.expect("interview time");
            vec![unit(&format!(
                "{} {}",
                at.format("%Y-%m-%d %H:%M"),
                round_label(e.round)
            ))]
        }
        ChatEventKind::Contact => vec![unit(e.contact.expect("contact").code())],
        ChatEventKind::ContactDetails => e
            .phones
            .iter()
            .chain(&e.emails)
            .chain(&e.wechat)
            .map(|x| unit(x))
            .collect(),
    }
}

fn lead_unit(name: Option<&str>, ids: &[String]) -> String {
    let mut ids = ids.to_vec();
    ids.sort();
    format!("lead|{}|{}", name.unwrap_or("-"), ids.join(","))
}

/// Every countable fact one message produced.
fn predicted_units(ex: &Extraction, line: usize) -> BTreeSet<String> {
    let mut units = BTreeSet::new();
    for e in ex.events.iter().filter(|e| e.line == line) {
        units.extend(event_units(e, &ex.leads));
    }
    for a in ex.ambiguous.iter().filter(|a| a.line == line) {
        units.insert(format!(
            "ambiguous|{}|{}",
            a.mention,
            a.candidates.join(",")
        ));
    }
    for lead in ex.leads.iter().filter(|l| l.line == line) {
        let ids: Vec<String> = lead
            .phones
            .iter()
            .chain(&lead.emails)
            .chain(&lead.wechat)
            .cloned()
            .collect();
        units.insert(lead_unit(lead.name.as_deref(), &ids));
    }
    units
}

/// The countable facts of one labeled event.
fn label_units(event: &toml::Value) -> Vec<String> {
    let get = |k: &str| event.get(k).and_then(toml::Value::as_str);
    let kind = get("kind").expect("kind");
    let who = get("person").unwrap_or("");
    let unit = |detail: &str| format!("{kind}|{who}|{detail}");
    match kind {
        "mention" | "opt_out" => vec![unit("")],
        "decision" => vec![unit(get("decision").expect("decision"))],
        "rejection_reason" => vec![unit(get("reason").expect("reason"))],
        "evaluation" => strings(event.get("strengths"))
            .iter()
            .map(|s| unit(&format!("+{s}")))
            .chain(
                strings(event.get("concerns"))
                    .iter()
                    .map(|c| unit(&format!("-{c}"))),
            )
            .collect(),
        "salary" => vec![unit(get("salary").expect("salary"))],
        "interview_scheduled" => {
            let round = event
                .get("round")
                .and_then(toml::Value::as_integer)
                .map(|r| r as u8);
            vec![unit(&format!(
                "{} {}",
                get("at").expect("at"),
                round_label(round)
            ))]
        }
        "contact" => vec![unit(get("contact").expect("contact"))],
        "contact_details" => strings(event.get("phones"))
            .into_iter()
            .chain(strings(event.get("emails")))
            .chain(get("wechat").map(str::to_string))
            .map(|x| unit(&x))
            .collect(),
        "ambiguous" => vec![format!(
            "ambiguous|{}|{}",
            get("mention").expect("mention"),
            strings(event.get("candidates")).join(",")
        )],
        "lead" => {
            let ids: Vec<String> = strings(event.get("phones"))
                .into_iter()
                .chain(strings(event.get("emails")))
                .chain(get("wechat").map(str::to_string))
                .collect();
            vec![lead_unit(get("name"), &ids)]
        }
        other => panic!("unknown label kind {other}"),
    }
}

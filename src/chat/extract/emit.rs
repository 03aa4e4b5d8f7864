//! Turning a message's segments into events: one mention per person named,
//! then the facts of each segment for each of its people. Facts of one kind
//! about one person in one sentence merge into one event, so that a verdict
//! spread over several clauses (`张三逻辑清晰，沟通能力强，但岗位已满`) is one
//! evaluation, one reason and one decision.

use super::engine::{Engine, Segment, Subject, dedup};
use super::people::Found;
use super::{ChatEvent, ChatEventKind, PersonRef};
use crate::chat::Message;

impl<'a> Engine<'a> {
    /// Events of one message: mentions first, then facts per sentence and
    /// person. Facts of one kind about one person in one sentence merge into
    /// one event (strengths and concerns add up, the last decision wins).
    pub(super) fn emit(
        &mut self,
        m: &Message,
        sentences: &[String],
        segments: &[Segment<'a>],
        mentioned: &[(usize, f32, usize)],
    ) {
        let mut batch: Vec<ChatEvent> = Vec::new();
        let pairs: Vec<(usize, f32)> = mentioned.iter().map(|&(p, c, _)| (p, c)).collect();
        for (p, c) in dedup(pairs) {
            let sentence = mentioned.iter().find(|x| x.0 == p).map_or(0, |x| x.2);
            let mut e = ChatEvent::new(self.person(p), ChatEventKind::Mention, m);
            e.confidence = round(c);
            e.text.clone_from(&sentences[sentence]);
            batch.push(e);
        }
        let mut lead_details: Vec<(usize, Vec<Found<'a>>)> = Vec::new();
        for seg in segments {
            let people = match &seg.subject {
                Some(Subject::People(people)) => people,
                Some(Subject::Blocked) => {
                    self.out.stats.facts_unattributed += seg.facts.count() + seg.unknown.len();
                    continue;
                }
                None => continue,
            };
            let text = &sentences[seg.sentence];
            let f = &seg.facts;
            for &(p, who) in people {
                let person = self.person(p);
                let mut add = |kind: ChatEventKind, what: f32, fill: &dyn Fn(&mut ChatEvent)| {
                    let mut e = ChatEvent::new(person.clone(), kind, m);
                    e.confidence = round(who * what);
                    e.text.clone_from(text);
                    fill(&mut e);
                    upsert(&mut batch, e);
                };
                if let Some((d, c)) = f.decision {
                    add(ChatEventKind::Decision, c, &|e| e.decision = Some(d));
                }
                if let Some((r, c)) = f.reason {
                    add(ChatEventKind::RejectionReason, c, &|e| e.reason = Some(r));
                }
                if !f.strengths.is_empty() || !f.concerns.is_empty() {
                    let c = f
                        .strengths
                        .iter()
                        .chain(&f.concerns)
                        .map(|x| x.1)
                        .fold(1.0, f32::min);
                    add(ChatEventKind::Evaluation, c, &|e| {
                        e.strengths = f.strengths.iter().map(|x| x.0.clone()).collect();
                        e.concerns = f.concerns.iter().map(|x| x.0.clone()).collect();
                    });
                }
                if let Some((s, raw, c)) = &f.salary {
                    add(ChatEventKind::Salary, *c, &|e| {
                        e.salary = Some(*s);
                        e.salary_raw = Some(raw.clone());
                    });
                }
                for (at, r, c) in &f.interviews {
                    add(ChatEventKind::InterviewScheduled, *c, &|e| {
                        e.interview_at = Some(*at);
                        e.round = *r;
                    });
                }
                if let Some((r, c)) = f.contact {
                    add(ChatEventKind::Contact, c, &|e| e.contact = Some(r));
                }
                if let Some(c) = f.opt_out {
                    add(ChatEventKind::OptOut, c, &|_| {});
                }
                if seg.unknown.is_empty() {
                    continue;
                }
                if matches!(person, PersonRef::Known(_)) {
                    let (phones, emails, wechat) = split_found(&seg.unknown);
                    add(ChatEventKind::ContactDetails, 1.0, &|e| {
                        e.phones.clone_from(&phones);
                        e.emails.clone_from(&emails);
                        e.wechat.clone_from(&wechat);
                    });
                } else {
                    lead_details.push((p, seg.unknown.clone()));
                }
            }
        }
        for (p, found) in lead_details {
            let (phones, emails, wechat) = split_found(&found);
            self.index.enrich(p, &phones, &emails, wechat.as_deref());
            if let PersonRef::Lead(i) = self.person(p) {
                let lead = &mut self.out.leads[i];
                let party = self.index.party(p);
                lead.phones.clone_from(&party.phones);
                lead.emails.clone_from(&party.emails);
                lead.wechat.clone_from(&party.wechat);
            }
        }
        self.out.events.extend(batch);
    }
}

/// Adds `e` to the message's events, merging it into an event of the same
/// person and kind from the same sentence.
fn upsert(batch: &mut Vec<ChatEvent>, e: ChatEvent) {
    let same = |x: &ChatEvent| x.person == e.person && x.kind == e.kind;
    let found = match e.kind {
        ChatEventKind::InterviewScheduled => batch
            .iter()
            .position(|x| same(x) && x.interview_at == e.interview_at),
        ChatEventKind::ContactDetails => batch.iter().position(same),
        ChatEventKind::RejectionReason => batch
            .iter()
            .position(|x| same(x) && x.text == e.text && x.reason == e.reason),
        _ => batch.iter().position(|x| same(x) && x.text == e.text),
    };
    let Some(i) = found else {
        batch.push(e);
        return;
    };
    let old = &mut batch[i];
    match e.kind {
        ChatEventKind::Decision | ChatEventKind::Contact => *old = e,
        ChatEventKind::Evaluation => {
            for s in e.strengths {
                if !old.strengths.contains(&s) {
                    old.strengths.push(s);
                }
            }
            for c in e.concerns {
                if !old.concerns.contains(&c) {
                    old.concerns.push(c);
                }
            }
            old.confidence = old.confidence.min(e.confidence);
        }
        ChatEventKind::ContactDetails => {
            for p in e.phones {
                if !old.phones.contains(&p) {
                    old.phones.push(p);
                }
            }
            for x in e.emails {
                if !old.emails.contains(&x) {
                    old.emails.push(x);
                }
            }
            if old.wechat.is_none() {
                old.wechat = e.wechat;
            }
        }
        _ => {}
    }
}

fn split_found(found: &[Found<'_>]) -> (Vec<String>, Vec<String>, Option<String>) {
    let mut phones = Vec::new();
    let mut emails = Vec::new();
    let mut wechat = None;
    for f in found {
        match f {
            Found::Phone(p) if !phones.contains(p) => phones.push(p.clone()),
            Found::Email(e) if !emails.contains(e) => emails.push(e.clone()),
            Found::Wechat(w) if wechat.is_none() => wechat = Some(w.clone()),
            _ => {}
        }
    }
    (phones, emails, wechat)
}

/// Confidence rounded to two decimals, so equal readings compare equal.
fn round(c: f32) -> f32 {
    (c * 100.0).round() / 100.0
}

//! The message loop: keeps per-chat context (who was named recently, who
//! the conversation is about), resolves what the scan found into people,
//! splits clauses between the people they name, creates leads and turns facts
//! into events. Short forms and shared names are resolved only from context
//! and otherwise reported, never guessed: a wrong attribution would silently
//! give one candidate another's rejection or salary.

use foldhash::{HashMap, HashMapExt};
use std::borrow::Cow;
use std::rc::Rc;

use chrono::{Duration, NaiveDateTime};

use super::facts::{self, Facts};
use super::people::{Found, Index, Party, People, Short, Spot, identifiers, lead_name};
use super::phrases::{Phrases, Table};
use super::split;
use super::{
    AMBIGUOUS_NAMED, AmbiguousMention, CARRY_MINUTES, CONTEXT_DAYS, CONTEXT_MESSAGES, Extraction,
    Lead, PersonRef,
};
use crate::chat::{Message, MessageKind, Platform};
use crate::rules::match_form;

type ChatKey = (Platform, Option<String>);

/// People a clause is about, with the *who* confidence of each.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Subject {
    People(Vec<(usize, f32)>),
    /// The clause named someone who could not be told apart.
    Blocked,
}

/// Context of one chat.
#[derive(Debug, Default)]
struct ChatState {
    /// Text messages seen so far.
    seq: usize,
    /// The latest message number and the latest time of the resolved
    /// mentions of each party: a party is active when any of its mentions is
    /// recent enough, which is when the latest number or the latest time is.
    recent: HashMap<usize, (usize, NaiveDateTime)>,
    /// Who the last message that named someone was about, and when.
    last: Option<(Subject, NaiveDateTime)>,
}

impl ChatState {
    fn is_active(&self, party: usize, seq: usize, at: NaiveDateTime) -> bool {
        self.recent.get(&party).is_some_and(|&(s, t)| {
            seq - s <= CONTEXT_MESSAGES || at - t <= Duration::days(CONTEXT_DAYS)
        })
    }

    fn seen(&mut self, party: usize, seq: usize, at: NaiveDateTime) {
        let e = self.recent.entry(party).or_insert((seq, at));
        *e = (e.0.max(seq), e.1.max(at));
    }

    /// The active parties among `ids` (ascending), ascending: the shorter of
    /// the list and the chat's mentioned parties is walked.
    fn active(&self, ids: &[usize], seq: usize, at: NaiveDateTime) -> Vec<usize> {
        if ids.len() <= self.recent.len() {
            return ids
                .iter()
                .copied()
                .filter(|&p| self.is_active(p, seq, at))
                .collect();
        }
        let mut out: Vec<usize> = self
            .recent
            .keys()
            .copied()
            .filter(|p| ids.binary_search(p).is_ok() && self.is_active(*p, seq, at))
            .collect();
        out.sort_unstable();
        out
    }
}

/// A resolved finding.
#[derive(Clone, Debug, PartialEq)]
enum Res<'a> {
    Person(usize, f32),
    Ambiguous,
    /// A phone, email or WeChat id nobody known owns.
    Unknown(Found<'a>),
}

/// A piece of a clause that belongs to one subject.
#[derive(Debug)]
pub(super) struct Segment<'a> {
    pub(super) sentence: usize,
    pub(super) subject: Option<Subject>,
    pub(super) facts: Facts,
    pub(super) unknown: Vec<Found<'a>>,
}

pub(super) struct Engine<'a> {
    phrases: &'a Phrases,
    region: &'a str,
    /// The known people's index, shared across the chat files of a run,
    /// and this file's leads.
    pub(super) index: People<'a>,
    chats: HashMap<ChatKey, ChatState>,
    staff: HashMap<ChatKey, Rc<Vec<String>>>,
    /// Reports so far by line, to report a mention once.
    reported: HashMap<usize, Vec<usize>>,
    pub(super) out: Extraction,
}

impl<'a> Engine<'a> {
    pub(super) fn new(
        messages: &[Message],
        index: &'a Index,
        phrases: &'a Phrases,
        region: &'a str,
    ) -> Self {
        let mut staff: HashMap<ChatKey, Vec<String>> = HashMap::new();
        for m in messages.iter().filter(|m| !m.is_system) {
            if let Some(sender) = &m.sender {
                let list = staff.entry((m.platform, m.chat_name.clone())).or_default();
                let form = match_form(sender);
                if !form.is_empty() && !list.contains(&form) {
                    list.push(form);
                }
            }
        }
        Engine {
            phrases,
            region,
            index: People::new(index),
            chats: HashMap::new(),
            staff: staff.into_iter().map(|(k, v)| (k, Rc::new(v))).collect(),
            reported: HashMap::new(),
            out: Extraction::default(),
        }
    }

    pub(super) fn finish(self) -> Extraction {
        self.out
    }

    pub(super) fn person(&self, party: usize) -> PersonRef {
        self.index.party(party).person.clone()
    }

    pub(super) fn message(&mut self, m: &Message) {
        self.out.stats.messages += 1;
        if m.is_system || !matches!(m.kind, MessageKind::Text | MessageKind::Reply) {
            self.out.stats.skipped += 1;
            return;
        }
        let key = (m.platform, m.chat_name.clone());
        let staff = self.staff.get(&key).cloned().unwrap_or_default();
        let staff = staff.as_slice();
        let mut state = self.chats.remove(&key).unwrap_or_default();
        let seq = state.seq;
        state.seq += 1;
        let body = split::body(&m.text, m.kind);
        let in_message: Vec<usize> = identifiers(&match_form(&body.own), self.region)
            .iter()
            .flat_map(|s| self.index.owners(&s.found))
            .collect();

        // Who a clause naming nobody is about, before this message names anyone.
        let mut carried = body.quote.as_deref().and_then(|q| {
            let form = match_form(q);
            let spots = self.index.scan(&form, self.phrases, self.region, staff);
            let people: Vec<(usize, f32)> = spots
                .iter()
                .filter_map(|s| match self.resolve(s, &state, seq, m.at, &in_message) {
                    Res::Person(p, c) => Some((p, c * 0.8)),
                    _ => None,
                })
                .collect();
            (!people.is_empty()).then_some(Subject::People(dedup(people)))
        });
        if carried.is_none()
            && let Some((subject, at)) = &state.last
            && m.at - *at <= Duration::minutes(CARRY_MINUTES)
        {
            carried = Some(scale(subject, 0.6));
        }
        let from_previous = body.quote.is_none() && carried.is_some();
        let mut current: Option<Subject> = carried;
        // The sentence in which this message last named someone.
        let mut own_sentence: Option<usize> = None;

        let sentences = split::sentences(&body.own);
        let mut segments: Vec<Segment> = Vec::new();
        let mut mentioned: Vec<(usize, f32, usize)> = Vec::new();
        let mut named_someone = false;
        let mut first_unknown: Option<(usize, String, usize)> = None;
        for (si, sentence) in sentences.iter().enumerate() {
            let form = match_form(sentence);
            let written = sentence.to_lowercase();
            let clauses = split::clauses(&form);
            let pieces: Vec<&str> = clauses.iter().map(|&(s, e)| &form[s..e]).collect();
            let sentence_cue = facts::sentence_cue(&pieces, m.at, self.phrases);
            for (ci, &(cs, ce)) in clauses.iter().enumerate() {
                let clause = &form[cs..ce];
                let spots = self.index.scan(clause, self.phrases, self.region, staff);
                let resolved = self.resolve_all(&spots, &mut state, seq, m, sentence, &in_message);
                let question = (ci + 1 == clauses.len() && split::ends_with_question(sentence))
                    || self.asks(clause);
                let ctx = facts::Context {
                    written: &written,
                    question,
                    sentence_cue,
                    now: m.at,
                };
                let groups = self.groups(clause, &spots, &resolved);
                if groups.is_empty() {
                    // A clause naming nobody continues the sentence's person
                    // as is, an earlier sentence's at ×0.9.
                    let subject = current.as_ref().map(|s| match own_sentence {
                        Some(earlier) if earlier != si => scale(s, 0.9),
                        _ => s.clone(),
                    });
                    let segment = self.segment(
                        si,
                        clause,
                        &spots,
                        &resolved,
                        (0, clause.len()),
                        subject,
                        &ctx,
                    );
                    if first_unknown.is_none() && !segment.unknown.is_empty() {
                        first_unknown = Some((
                            si,
                            split::masked(clause, &spans(&spots)),
                            first_unknown_pos(&spots, &resolved),
                        ));
                    }
                    segments.push(segment);
                    continue;
                }
                named_someone = true;
                for (gi, (subject, start)) in groups.iter().enumerate() {
                    let from = if gi == 0 { 0 } else { *start };
                    let to = groups.get(gi + 1).map_or(clause.len(), |g| g.1);
                    if let Subject::People(people) = subject {
                        mentioned.extend(people.iter().map(|&(p, c)| (p, c, si)));
                    }
                    let segment = self.segment(
                        si,
                        clause,
                        &spots,
                        &resolved,
                        (from, to),
                        Some(subject.clone()),
                        &ctx,
                    );
                    segments.push(segment);
                }
                current = groups.last().map(|g| g.0.clone());
                own_sentence = Some(si);
            }
        }

        // A message that names nobody known but posts a new phone, email or
        // WeChat id introduces someone new rather than continuing the
        // previous message's person.
        if from_previous && !named_someone && segments.iter().any(|s| !s.unknown.is_empty()) {
            for seg in &mut segments {
                seg.subject = None;
            }
        }
        if let Some(lead) = self.lead(m, &sentences, &mut segments, first_unknown, &mut mentioned) {
            current = Some(Subject::People(vec![(lead, 1.0)]));
        }
        let before = self.out.events.len();
        self.emit(m, &sentences, &segments, &mentioned);
        if self.out.events.len() > before {
            self.out.stats.with_events += 1;
        }
        self.out.stats.events = self.out.events.len();
        if named_someone || !mentioned.is_empty() {
            state.last = current.map(|s| (s, m.at));
        }
        self.chats.insert(key, state);
    }

    /// True when the clause carries a `question_cues` phrase (a `final` one
    /// only at its end).
    fn asks(&self, clause: &str) -> bool {
        let trimmed = clause.trim_end_matches(|c: char| c.is_whitespace() || "啊呀哈~".contains(c));
        self.phrases
            .scan(Table::QuestionCues, clause)
            .iter()
            .any(|h| h.entry.code == "anywhere" || h.end == trimmed.len())
    }

    /// Resolves one finding against the chat context.
    fn resolve(
        &self,
        spot: &Spot<'a>,
        state: &ChatState,
        seq: usize,
        at: NaiveDateTime,
        in_message: &[usize],
    ) -> Res<'a> {
        let active = |ids: &[usize]| -> Vec<usize> { state.active(ids, seq, at) };
        // The parties of `ids` (ascending) whose phone or email is in the
        // message: the message's few owners are looked up in the list.
        let named_in_message = |ids: &[usize]| -> Vec<usize> {
            let mut out: Vec<usize> = in_message
                .iter()
                .copied()
                .filter(|p| ids.binary_search(p).is_ok())
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        };
        match &spot.found {
            Found::Phone(_) | Found::Email(_) | Found::Wechat(_) => {
                match self.index.owners(&spot.found).as_slice() {
                    [] => Res::Unknown(spot.found.clone()),
                    [p] => Res::Person(*p, 1.0),
                    _ => Res::Ambiguous,
                }
            }
            Found::Name(ids) => {
                if let [p] = &ids[..] {
                    return Res::Person(*p, if in_message.contains(p) { 1.0 } else { 0.95 });
                }
                if let [p] = named_in_message(ids).as_slice() {
                    return Res::Person(*p, 1.0);
                }
                match active(ids).as_slice() {
                    [p] => Res::Person(*p, 0.7),
                    _ => Res::Ambiguous,
                }
            }
            Found::Short(kind, ids) => {
                if let [p] = named_in_message(ids).as_slice() {
                    return Res::Person(*p, 0.95);
                }
                match (active(ids).as_slice(), kind) {
                    ([p], Short::Surname) => Res::Person(*p, 0.7),
                    ([p], _) => Res::Person(*p, 0.6),
                    ([], Short::Token | Short::Given) => {
                        Res::Unknown(Found::Short(*kind, Cow::Borrowed(&[])))
                    }
                    _ => Res::Ambiguous,
                }
            }
        }
    }

    /// Resolves a clause's findings: identifiers and full names first (they
    /// make people active), then short forms against the updated context.
    /// Ambiguities are recorded.
    fn resolve_all(
        &mut self,
        spots: &[Spot<'a>],
        state: &mut ChatState,
        seq: usize,
        m: &Message,
        sentence: &str,
        in_message: &[usize],
    ) -> Vec<Res<'a>> {
        let mut out = vec![Res::Ambiguous; spots.len()];
        for pass in [false, true] {
            for (i, spot) in spots.iter().enumerate() {
                if matches!(spot.found, Found::Short(..)) != pass {
                    continue;
                }
                let res = self.resolve(spot, state, seq, m.at, in_message);
                match &res {
                    Res::Person(p, c) => {
                        if *c < 0.95 {
                            self.out.stats.resolved_by_context += 1;
                        }
                        state.seen(*p, seq, m.at);
                    }
                    Res::Ambiguous => self.ambiguous(spot, state, seq, m, sentence),
                    Res::Unknown(_) => {}
                }
                out[i] = res;
            }
        }
        out
    }

    fn ambiguous(
        &mut self,
        spot: &Spot<'a>,
        state: &ChatState,
        seq: usize,
        m: &Message,
        sentence: &str,
    ) {
        let ids: Cow<'_, [usize]> = match &spot.found {
            Found::Name(ids) | Found::Short(_, ids) => {
                let active = state.active(ids, seq, m.at);
                if active.len() >= 2 {
                    Cow::Owned(active)
                } else {
                    Cow::Borrowed(&ids[..])
                }
            }
            other => Cow::Owned(self.index.owners(other)),
        };
        let (candidates, others) = self.index.candidates(&ids, AMBIGUOUS_NAMED);
        let report = AmbiguousMention {
            line: m.line,
            text: sentence.to_string(),
            mention: spot.text.clone(),
            candidates,
            others,
        };
        // Within a message the active parties only grow, so two reports of
        // one mention with as many candidates and the same first ones name
        // the same candidates.
        let same_line = self.reported.entry(m.line).or_default();
        if !same_line.iter().any(|&i| self.out.ambiguous[i] == report) {
            same_line.push(self.out.ambiguous.len());
            self.out.ambiguous.push(report);
        }
    }

    /// The subjects of a clause in order, each with the byte offset where it
    /// is first named. Names joined only by conjunctions (`张三和李四`) form one
    /// group that shares what follows.
    fn groups(
        &self,
        clause: &str,
        spots: &[Spot<'a>],
        resolved: &[Res<'a>],
    ) -> Vec<(Subject, usize)> {
        let mut out: Vec<(Subject, usize, usize)> = Vec::new();
        for (spot, res) in spots.iter().zip(resolved) {
            let this = match res {
                Res::Person(p, c) => Subject::People(vec![(*p, *c)]),
                Res::Ambiguous => Subject::Blocked,
                Res::Unknown(_) => continue,
            };
            if let Some((last, _, end)) = out.last_mut() {
                let between = &clause[(*end).min(spot.start)..spot.start];
                let same = matches!((&*last, &this), (Subject::People(a), Subject::People(b)) if a.iter().any(|x| b.iter().any(|y| x.0 == y.0)));
                if same || self.only_conjunctions(between) {
                    *last = merge(last, &this);
                    *end = spot.end.max(*end);
                    continue;
                }
            }
            out.push((this, spot.start, spot.end));
        }
        out.into_iter().map(|(s, start, _)| (s, start)).collect()
    }

    fn only_conjunctions(&self, between: &str) -> bool {
        let mut rest = between.trim();
        while !rest.is_empty() {
            match self.phrases.at(Table::Conjunctions, rest, 0) {
                Some(hit) => rest = rest[hit.end..].trim_start(),
                None => return false,
            }
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn segment(
        &self,
        sentence: usize,
        clause: &str,
        spots: &[Spot<'a>],
        resolved: &[Res<'a>],
        (from, to): (usize, usize),
        subject: Option<Subject>,
        ctx: &facts::Context<'_>,
    ) -> Segment<'a> {
        let inside: Vec<(usize, usize)> = spots
            .iter()
            .filter(|s| s.start >= from && s.end <= to)
            .map(|s| (s.start - from, s.end - from))
            .collect();
        let text = split::masked(&clause[from..to], &merge_spans(inside));
        let unknown = spots
            .iter()
            .zip(resolved)
            .filter(|(s, _)| s.start >= from && s.end <= to)
            .filter_map(|(_, r)| match r {
                Res::Unknown(f @ (Found::Phone(_) | Found::Email(_) | Found::Wechat(_))) => {
                    Some(f.clone())
                }
                _ => None,
            })
            .collect();
        Segment {
            sentence,
            subject,
            facts: facts::read(&text, ctx, self.phrases),
            unknown,
        }
    }

    /// Turns the unknown identifiers of segments that name nobody into a
    /// lead, and makes that lead the subject of those segments; returns the
    /// lead's party id when one was created.
    fn lead(
        &mut self,
        m: &Message,
        sentences: &[String],
        segments: &mut [Segment<'a>],
        first_unknown: Option<(usize, String, usize)>,
        mentioned: &mut Vec<(usize, f32, usize)>,
    ) -> Option<usize> {
        let (sentence, masked_clause, pos) = first_unknown?;
        if !segments
            .iter()
            .any(|s| s.subject.is_none() && !s.unknown.is_empty())
        {
            return None;
        }
        let mut party = Party {
            person: PersonRef::Lead(self.out.leads.len()),
            phones: Vec::new(),
            emails: Vec::new(),
            wechat: None,
        };
        for seg in segments.iter().filter(|s| s.subject.is_none()) {
            for found in &seg.unknown {
                match found {
                    Found::Phone(p) if !party.phones.contains(p) => party.phones.push(p.clone()),
                    Found::Email(e) if !party.emails.contains(e) => party.emails.push(e.clone()),
                    Found::Wechat(w) if party.wechat.is_none() => party.wechat = Some(w.clone()),
                    _ => {}
                }
            }
        }
        let name = lead_name(&masked_clause, Some(pos), self.phrases).or_else(|| {
            sentences
                .iter()
                .find_map(|s| lead_name(&match_form(s), None, self.phrases))
        });
        self.out.leads.push(Lead {
            name: name.clone(),
            phones: party.phones.clone(),
            emails: party.emails.clone(),
            wechat: party.wechat.clone(),
            line: m.line,
        });
        let id = self.index.add_lead(party, name.as_deref(), self.phrases);
        for seg in segments.iter_mut().filter(|s| s.subject.is_none()) {
            let who = if seg.unknown.is_empty() { 0.9 } else { 1.0 };
            seg.subject = Some(Subject::People(vec![(id, who)]));
            seg.unknown.clear();
        }
        mentioned.push((id, 1.0, sentence));
        Some(id)
    }
}

/// Keeps the first appearance of each party with its highest confidence.
pub(super) fn dedup(people: Vec<(usize, f32)>) -> Vec<(usize, f32)> {
    let mut out: Vec<(usize, f32)> = Vec::new();
    for (p, c) in people {
        match out.iter_mut().find(|(q, _)| *q == p) {
            Some(existing) => existing.1 = existing.1.max(c),
            None => out.push((p, c)),
        }
    }
    out
}

/// A subject with every confidence multiplied by `factor`.
fn scale(subject: &Subject, factor: f32) -> Subject {
    match subject {
        Subject::People(people) => {
            Subject::People(people.iter().map(|&(p, c)| (p, c * factor)).collect())
        }
        Subject::Blocked => Subject::Blocked,
    }
}

/// Two subjects joined by a conjunction; an ambiguous member blocks the group.
fn merge(a: &Subject, b: &Subject) -> Subject {
    match (a, b) {
        (Subject::People(x), Subject::People(y)) => {
            Subject::People(dedup(x.iter().chain(y).copied().collect()))
        }
        _ => Subject::Blocked,
    }
}

/// Byte ranges of all findings, merged where they overlap.
fn spans(spots: &[Spot]) -> Vec<(usize, usize)> {
    merge_spans(spots.iter().map(|s| (s.start, s.end)).collect())
}

fn merge_spans(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Where the first unknown identifier starts in the masked clause.
fn first_unknown_pos(spots: &[Spot], resolved: &[Res]) -> usize {
    let Some(first) = spots
        .iter()
        .zip(resolved)
        .find(|(_, r)| {
            matches!(
                r,
                Res::Unknown(Found::Phone(_) | Found::Email(_) | Found::Wechat(_))
            )
        })
        .map(|(s, _)| s.start)
    else {
        return 0;
    };
    // Each masked finding before it shrank to one `#`.
    spans(spots)
        .iter()
        .filter(|(_, e)| *e <= first)
        .map(|(s, e)| e - s - 1)
        .fold(first, |pos, shrink| pos - shrink)
}

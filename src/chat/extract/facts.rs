//! The facts in one clause segment, whoever they are about: a decision, a
//! rejection reason (through `rules::reason`), strengths and concerns, a
//! salary expectation (through `rules::salary`), interview times, a contact
//! result and an opt-out. Each fact carries its *what* confidence factor.

use std::sync::LazyLock;

use chrono::NaiveDateTime;
use regex::Regex;

use super::ContactResult;
use super::phrases::{Hit, Phrases, Table};
use super::split::masked;
use super::when;
use crate::rules::reason::{ReasonCode, RejectionType, classify_reason};
use crate::rules::salary::{Salary, parse_salary};
use crate::rules::status::Outcome;

/// Facts read from one segment; every value carries its confidence factor.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Facts {
    pub(super) decision: Option<(Outcome, f32)>,
    pub(super) reason: Option<((RejectionType, ReasonCode), f32)>,
    pub(super) strengths: Vec<(String, f32)>,
    pub(super) concerns: Vec<(String, f32)>,
    pub(super) salary: Option<(Salary, String, f32)>,
    pub(super) interviews: Vec<(NaiveDateTime, Option<u8>, f32)>,
    pub(super) contact: Option<(ContactResult, f32)>,
    pub(super) opt_out: Option<f32>,
}

impl Facts {
    /// Number of facts, for the unattributed-facts counter.
    pub(super) fn count(&self) -> usize {
        usize::from(self.decision.is_some())
            + usize::from(self.reason.is_some())
            + usize::from(!self.strengths.is_empty() || !self.concerns.is_empty())
            + usize::from(self.salary.is_some())
            + self.interviews.len()
            + usize::from(self.contact.is_some())
            + usize::from(self.opt_out.is_some())
    }
}

/// What the reader knows about the segment's surroundings.
pub(super) struct Context<'a> {
    /// The sentence as written, lowercased, to tell verbatim phrases from
    /// phrases that only match after normalization.
    pub(super) written: &'a str,
    /// The segment is (part of) a question.
    pub(super) question: bool,
    /// The round named by an interview word in a clause of the sentence
    /// that has no time of its own; `Some(None)` for a roundless word such
    /// as 面试.
    pub(super) sentence_cue: Option<Option<u8>>,
    /// Time of the message.
    pub(super) now: NaiveDateTime,
}

/// A bare amount or one with a unit, right after a salary cue.
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:\s|:|是|在|为|到|了|大概|大约|约|差不多|的|要|也是|还是|for|is|of|around|about)*",
        r"((?:至少|最低|不低于|最多|不超过)?\s*(?:年薪|月薪|日薪|时薪|rmb|¥)?\s*",
        r"\d[\d,]*(?:\.\d+)?\s*(?:k|千|w|万|元)?",
        r"(?:\s*(?:-|~|—|–|至|到)\s*\d[\d,]*(?:\.\d+)?\s*(?:k|千|w|万|元)?)?",
        r"(?:\s*(?:/|每|per\s*)\s*(?:月|年|天|小时|month|mo|year|yr|day|hour))?",
        r"(?:\s*(?:以上|以内|左右|起|\+))?",
        r"(?:\s*[·*x×]?\s*\d{2}\s*(?:薪|个月))?",
        r"|面议|可谈|negotiable)",
    ))
    .expect("amount regex")
});

/// Characters that make a bare number a date or count rather than pay (`希望3月入职`).
const NOT_PAY_AFTER: &str = "月号日年点天周个岁人";

/// 1.0 when the phrase is in the sentence as written, 0.9 when it only
/// matched after normalization (traditional characters, full-width letters).
fn verbatim(ctx: &Context<'_>, hit: &Hit<'_>) -> f32 {
    if ctx.written.contains(&hit.entry.phrase.to_lowercase()) {
        1.0
    } else {
        0.9
    }
}

/// Hits of `table` that are neither `none` rows nor negated.
fn asserted<'a>(phrases: &'a Phrases, table: Table, form: &str) -> Vec<Hit<'a>> {
    phrases
        .scan(table, form)
        .into_iter()
        .filter(|h| h.entry.code != "none" && !phrases.negated(form, h.start))
        .collect()
}

/// Reads every fact of a masked matching-form segment.
pub(super) fn read(segment: &str, ctx: &Context<'_>, phrases: &Phrases) -> Facts {
    let mut facts = Facts::default();
    let ask = if ctx.question { 0.6 } else { 1.0 };
    facts.salary = salary(segment, phrases).map(|(s, raw, f)| (s, raw, f * ask));
    facts.interviews = interviews(segment, ctx, phrases)
        .into_iter()
        .map(|(at, round, f)| (at, round, f * ask))
        .collect();
    if ctx.question {
        return facts;
    }
    facts.decision = asserted(phrases, Table::Decisions, segment)
        .last()
        .and_then(|h| Some((Outcome::from_code(&h.entry.code)?, verbatim(ctx, h))));
    facts.contact = phrases
        .scan(Table::Contact, segment)
        .last()
        .and_then(|h| Some((ContactResult::from_code(&h.entry.code)?, verbatim(ctx, h))));
    facts.opt_out = asserted(phrases, Table::OptOut, segment)
        .first()
        .map(|h| verbatim(ctx, h));
    for hit in asserted(phrases, Table::Evaluations, segment) {
        let (kind, label) = match hit.entry.code.split_once(':') {
            Some((kind, label)) => (kind, label.to_string()),
            None => (hit.entry.code.as_str(), hit.entry.phrase.clone()),
        };
        let list = if kind == "strength" {
            &mut facts.strengths
        } else {
            &mut facts.concerns
        };
        if !list.iter().any(|(l, _)| *l == label) {
            list.push((label, verbatim(ctx, &hit)));
        }
    }
    let parsed = classify_reason(segment, phrases.vocab());
    if let Some(phrase) = parsed.matched_phrase {
        // `联系不上` is what happened on a call; it becomes a reason only when
        // someone gives up on the candidate, which the chat rarely says.
        let contact_said = facts.contact.is_some() && parsed.code == ReasonCode::Unreachable;
        if !contact_said {
            let f = if ctx.written.contains(&phrase.to_lowercase()) {
                1.0
            } else {
                0.9
            };
            facts.reason = Some(((parsed.kind, parsed.code), f));
        }
    }
    facts
}

/// The first expected salary right after a `salary_cues` phrase. The other
/// cues (`current`, `offered`, `budget`) are in the table so that the scan
/// takes `目前` in `目前12k，期望15k` as what it is and only 15k is read.
fn salary(segment: &str, phrases: &Phrases) -> Option<(Salary, String, f32)> {
    for hit in phrases.scan(Table::SalaryCues, segment) {
        if hit.entry.code != "expected" {
            continue;
        }
        let Some(c) = AMOUNT.captures(&segment[hit.end..]) else {
            continue;
        };
        let amount = c.get(1).expect("amount group");
        let raw = amount.as_str().trim();
        let has_unit = raw.contains(|c: char| "k千w万元年月天/".contains(c))
            || ["per", "面议", "可谈", "negotiable", "小时"]
                .iter()
                .any(|u| raw.contains(u));
        let next = segment[hit.end + amount.end()..].chars().next();
        if !has_unit && next.is_some_and(|n| NOT_PAY_AFTER.contains(n)) {
            continue;
        }
        let annual = hit.entry.needle.contains("年薪") || hit.entry.needle.contains("annual");
        let hint = annual.then_some("/年");
        if let Ok(parsed) = parse_salary(raw, hint) {
            let f = if has_unit || annual { 1.0 } else { 0.8 };
            return Some((parsed, raw.to_string(), f));
        }
    }
    None
}

/// Interview words in a text, with the round of the most specific one.
fn interview_cue(text: &str, phrases: &Phrases) -> Option<Option<u8>> {
    let hits = phrases.scan(Table::Interview, text);
    let mut cue = None;
    for hit in hits.iter().filter(|h| h.entry.code != "none") {
        let round = hit
            .entry
            .code
            .strip_prefix("interview_")
            .and_then(|r| r.parse().ok());
        if cue.is_none() || round.is_some() {
            cue = Some(round);
        }
    }
    cue
}

/// Sentence-level interview word for [`Context::sentence_cue`]: the word of
/// a clause that holds no time itself (`约了张三，周五14:00，二面`), so that
/// `张三周三面试，李四周四入职` does not make 李四's date an interview.
pub(super) fn sentence_cue(
    clauses: &[&str],
    now: NaiveDateTime,
    phrases: &Phrases,
) -> Option<Option<u8>> {
    clauses
        .iter()
        .filter(|c| when::find(c, now).is_empty())
        .find_map(|c| interview_cue(c, phrases))
}

/// Times in the segment that an interview word makes interview times.
fn interviews(
    segment: &str,
    ctx: &Context<'_>,
    phrases: &Phrases,
) -> Vec<(NaiveDateTime, Option<u8>, f32)> {
    let times = when::find(segment, ctx.now);
    // The words are looked for outside the times, so that 周三面试 is a
    // Wednesday interview and not a third-round (三面) one.
    let spans: Vec<(usize, usize)> = times.iter().map(|w| (w.start, w.end)).collect();
    let own = interview_cue(&masked(segment, &spans), phrases);
    let Some(round) = own.or(ctx.sentence_cue) else {
        return Vec::new();
    };
    let mut out: Vec<(NaiveDateTime, Option<u8>, f32)> = Vec::new();
    for w in times {
        // A word from another clause only makes an appointment of a time
        // with a clock: `三轮面试都过了，下周一到岗` is a start date.
        if own.is_none() && !w.clock {
            continue;
        }
        if !out.iter().any(|(at, _, _)| *at == w.at) {
            out.push((w.at, round, w.factor));
        }
    }
    out
}

//! Candidate events from chat messages: who was talked about, what was
//! decided, why a candidate was turned down, how the interviewers judged
//! them, what they asked to earn, when they were invited, whether they could
//! be reached, which new phone, email or WeChat id they gave and whether they
//! asked never to be contacted again. The extraction is rule-based and
//! driven by the phrase tables of [`Phrases`] (`src/chat/phrases/*.toml`)
//! plus the cell rules of [`crate::rules`] (rejection reasons, salaries,
//! phones, emails), so a pipeline can teach it new wording without code.
//!
//! People are recognized by full name (display form or simplified key, so
//! traditional spelling works), by phone or email in the text, and by short
//! forms (`小张`, `老张`, `张总`, `张工`, `Mr Zhang`, `Zhang`, a given name).
//! A short form names a *surname*, not a person, so it is only resolved when
//! exactly one known person with that surname is active in the same chat
//! (named within the last [`CONTEXT_MESSAGES`] messages or [`CONTEXT_DAYS`]
//! days). Otherwise it becomes an [`AmbiguousMention`] and the facts next to
//! it are dropped: two people called 张伟 in one company are common, and a
//! rejection attached to the wrong one is worse than a fact left for a person
//! to check. A short form that is a sender's name in the chat (`王总`,
//! `小陈`) is staff, not a candidate. A message that names nobody known but
//! carries a phone, email or WeChat id creates a [`Lead`], which later
//! messages can name like a known person.
//!
//! A message is read sentence by sentence and clause by clause (commas):
//! a clause belongs to the people it names (`张三和李四都通过了` to both), a
//! clause that names nobody to the person of the clause before it, so
//! `张三通过，李四不合适` gives each their own decision. Quoted text in a
//! reply, system notices, recalls and media are not read for facts.
//!
//! # Confidence
//!
//! Every event carries `confidence = who × what`, rounded to two decimals.
//!
//! *who* — how surely the event's person is meant:
//! phone or email in the text 1.0; a full name 0.95 (1.0 when a phone or
//! email of the same person is in the same message); a name shared by
//! several known people, settled by context 0.7; a surname short form
//! resolved by context 0.7; a given name or English name token resolved by
//! context 0.6. A clause that names nobody takes the person of an earlier
//! clause of the same sentence (×1), of an earlier sentence of the message
//! (×0.9), of a quoted message (×0.8) or of the last message of the chat
//! that named someone, within [`CARRY_MINUTES`] minutes (×0.6).
//!
//! *what* — how surely the fact is stated: a table phrase found as written
//! 1.0, found only after normalization (traditional characters, full-width
//! letters) 0.9; a salary with a unit or period 1.0, a bare number 0.8; an
//! interview time with date and clock 1.0, an hour without 上午/下午 read as
//! office hours ×0.9, a bare weekday ×0.9, no date (today assumed) ×0.8, no
//! clock time (stored at 00:00) ×0.7; any salary or time in a question ×0.6.
//! Mentions and new contact details have *what* = 1.

mod emit;
mod engine;
mod facts;
mod people;
mod phrases;
mod split;
mod when;

#[cfg(test)]
mod tests;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::Message;
use crate::rules::reason::{ReasonCode, RejectionType};
use crate::rules::salary::Salary;
use crate::rules::status::Outcome;

pub use phrases::{Phrases, TABLES};

/// A short form resolves against people named within this many messages…
pub const CONTEXT_MESSAGES: usize = 20;
/// …or within this many days, in the same chat.
pub const CONTEXT_DAYS: i64 = 7;
/// A message naming nobody continues the previous message's person when it
/// follows within this many minutes.
pub const CARRY_MINUTES: i64 = 30;

/// A candidate already in the dataset, as the extraction needs to recognize them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownPerson {
    /// Stable candidate id.
    pub candidate_id: String,
    /// Display name (`张三`, `張三`, `Zhang San`).
    pub name: String,
    /// Matching key: simplified Hanzi without spaces, or lowercase Latin
    /// without separators (see [`crate::rules::name::normalize_name`]).
    pub name_key: String,
    /// Phones in E.164.
    pub phones: Vec<String>,
    /// Normalized email addresses.
    pub emails: Vec<String>,
}

/// A known candidate's fields as the extraction reads them, borrowed.
#[derive(Clone, Copy, Debug)]
pub struct KnownRef<'a> {
    pub candidate_id: &'a str,
    pub name: &'a str,
    pub name_key: &'a str,
    pub phones: &'a [String],
    pub emails: &'a [String],
}

/// Records the known people's index is built from: each gives its
/// candidate's fields, or nothing when it cannot be recognized in a chat.
pub trait KnownSource: Sync {
    fn known(&self) -> Option<KnownRef<'_>>;
}

impl KnownSource for KnownPerson {
    fn known(&self) -> Option<KnownRef<'_>> {
        Some(KnownRef {
            candidate_id: &self.candidate_id,
            name: &self.name,
            name_key: &self.name_key,
            phones: &self.phones,
            emails: &self.emails,
        })
    }
}

/// Whom an event is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonRef {
    /// A known candidate, by `candidate_id`.
    Known(String),
    /// A chat-only person, by index into [`Extraction::leads`].
    Lead(usize),
}

/// What an event says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatEventKind {
    /// The person was named (or identified by phone/email) in the message.
    Mention,
    /// A decision about the person: `decision`.
    Decision,
    /// Why the process ended or will end: `reason`.
    RejectionReason,
    /// What the interviewers thought: `strengths`, `concerns`.
    Evaluation,
    /// The person's salary expectation: `salary`, `salary_raw`.
    Salary,
    /// An interview date and time: `interview_at`, `round`.
    InterviewScheduled,
    /// The result of trying to reach the person: `contact`.
    Contact,
    /// New phones, emails or a WeChat id for a known person.
    ContactDetails,
    /// The person asked not to be contacted again.
    OptOut,
}

impl ChatEventKind {
    /// Stable snake_case codes, in declaration order.
    pub const CODES: &'static [&'static str] = &[
        "mention",
        "decision",
        "rejection_reason",
        "evaluation",
        "salary",
        "interview_scheduled",
        "contact",
        "contact_details",
        "opt_out",
    ];

    /// Every kind, in [`ChatEventKind::CODES`] order.
    pub const ALL: [ChatEventKind; 9] = [
        ChatEventKind::Mention,
        ChatEventKind::Decision,
        ChatEventKind::RejectionReason,
        ChatEventKind::Evaluation,
        ChatEventKind::Salary,
        ChatEventKind::InterviewScheduled,
        ChatEventKind::Contact,
        ChatEventKind::ContactDetails,
        ChatEventKind::OptOut,
    ];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<ChatEventKind> {
        let index = Self::CODES.iter().position(|c| *c == code)?;
        Some(Self::ALL[index])
    }
}

/// The result of a call or message to the candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactResult {
    /// Got through (已电话联系, 聊过了).
    Reached,
    /// Nobody answered (没接, 打不通, 关机).
    NoAnswer,
    /// Answered but could not talk (不方便, 在开会).
    Busy,
    /// The number is wrong or out of service (空号, 停机).
    Invalid,
}

impl ContactResult {
    /// Stable codes, as used in the `contact` phrase table.
    pub const CODES: &'static [&'static str] = &["reached", "no_answer", "busy", "invalid"];

    const ALL: [ContactResult; 4] = [
        ContactResult::Reached,
        ContactResult::NoAnswer,
        ContactResult::Busy,
        ContactResult::Invalid,
    ];

    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        Self::CODES[self as usize]
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<ContactResult> {
        let index = Self::CODES.iter().position(|c| *c == code)?;
        Some(Self::ALL[index])
    }
}

/// One fact about one person, from one sentence of one message.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatEvent {
    /// Whom the fact is about.
    pub person: PersonRef,
    /// Time of the message.
    pub at: NaiveDateTime,
    /// What kind of fact; says which of the fields below are filled.
    pub kind: ChatEventKind,
    /// For [`ChatEventKind::Decision`].
    pub decision: Option<Outcome>,
    /// For [`ChatEventKind::RejectionReason`].
    pub reason: Option<(RejectionType, ReasonCode)>,
    /// For [`ChatEventKind::Evaluation`]: labels as in the `evaluations` table.
    pub strengths: Vec<String>,
    /// For [`ChatEventKind::Evaluation`].
    pub concerns: Vec<String>,
    /// For [`ChatEventKind::Salary`]: the expectation as monthly CNY.
    pub salary: Option<Salary>,
    /// For [`ChatEventKind::Salary`]: the amount as written (matching form).
    pub salary_raw: Option<String>,
    /// For [`ChatEventKind::InterviewScheduled`]: resolved against the message
    /// time; 00:00 when the message gave a date but no clock time.
    pub interview_at: Option<NaiveDateTime>,
    /// For [`ChatEventKind::InterviewScheduled`]: round 1–3 when named (一面, 复试, 终面).
    pub round: Option<u8>,
    /// For [`ChatEventKind::Contact`].
    pub contact: Option<ContactResult>,
    /// For [`ChatEventKind::ContactDetails`]: phones (E.164) not yet known.
    pub phones: Vec<String>,
    /// For [`ChatEventKind::ContactDetails`]: emails not yet known.
    pub emails: Vec<String>,
    /// For [`ChatEventKind::ContactDetails`]: a WeChat id.
    pub wechat: Option<String>,
    /// Display name of the sender.
    pub said_by: Option<String>,
    /// 0–1, see the module documentation.
    pub confidence: f32,
    /// Source line of the message.
    pub line: usize,
    /// The sentence the fact was read from, as written.
    pub text: String,
}

impl ChatEvent {
    /// An event of `kind` with every detail field empty.
    pub(crate) fn new(person: PersonRef, kind: ChatEventKind, message: &Message) -> ChatEvent {
        ChatEvent {
            person,
            at: message.at,
            kind,
            decision: None,
            reason: None,
            strengths: Vec::new(),
            concerns: Vec::new(),
            salary: None,
            salary_raw: None,
            interview_at: None,
            round: None,
            contact: None,
            phones: Vec::new(),
            emails: Vec::new(),
            wechat: None,
            said_by: message.sender.clone(),
            confidence: 0.0,
            line: message.line,
            text: String::new(),
        }
    }
}

/// A person known only from the chat: someone's phone, email or WeChat id
/// was posted while no known candidate was being discussed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lead {
    /// A name written next to the contact details, when one was found.
    pub name: Option<String>,
    /// Phones in E.164.
    pub phones: Vec<String>,
    /// Normalized emails.
    pub emails: Vec<String>,
    /// WeChat id.
    pub wechat: Option<String>,
    /// Source line of the message that created the lead.
    pub line: usize,
}

/// A name or short form that fits several people (or none that is active);
/// facts next to it are not attributed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmbiguousMention {
    /// Source line of the message.
    pub line: usize,
    /// The sentence, as written.
    pub text: String,
    /// The name or short form, in matching form (`小张`, `张伟`, `zhang`).
    pub mention: String,
    /// The first [`AMBIGUOUS_NAMED`] candidate ids it could mean, sorted.
    pub candidates: Vec<String>,
    /// How many more candidates it could mean.
    pub others: usize,
}

/// Candidates named in an [`AmbiguousMention`]; more are counted. A common
/// name can be shared by thousands of candidates.
pub const AMBIGUOUS_NAMED: usize = 10;

/// Counters for a data-quality report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtractionStats {
    /// Messages given.
    pub messages: usize,
    /// System notices, recalls and media that were not read.
    pub skipped: usize,
    /// Messages that produced at least one event.
    pub with_events: usize,
    /// Events produced.
    pub events: usize,
    /// Mentions resolved through a short form or a shared name.
    pub resolved_by_context: usize,
    /// Facts dropped because their clause named an ambiguous person.
    pub facts_unattributed: usize,
}

/// Everything one extraction produces.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extraction {
    /// Events in message order.
    pub events: Vec<ChatEvent>,
    /// Chat-only people; [`PersonRef::Lead`] indexes this list.
    pub leads: Vec<Lead>,
    /// Mentions that were reported instead of guessed.
    pub ambiguous: Vec<AmbiguousMention>,
    /// Counters.
    pub stats: ExtractionStats,
}

/// Reads candidate events from `messages` (in chat order; several chats may
/// be mixed, they are told apart by platform and chat name). `people` are the
/// known candidates, `region` the default region for phones written without
/// a country code (`CN`).
pub fn extract(
    messages: &[Message],
    people: &[KnownPerson],
    phrases: &Phrases,
    region: &str,
) -> Extraction {
    extract_with(
        messages,
        &KnownIndex::new(people, phrases, region),
        phrases,
        region,
    )
}

/// Known people indexed for [`extract_with`]: built once (names in matching
/// form, phones and emails normalized) and shared by every chat file of a
/// run, instead of once per file.
#[derive(Debug)]
pub struct KnownIndex(people::Index);

impl KnownIndex {
    /// Indexes `people` (any [`KnownSource`]: [`KnownPerson`]s, or the
    /// dataset's person records without copying them).
    pub fn new<T: KnownSource>(people: &[T], phrases: &Phrases, region: &str) -> KnownIndex {
        KnownIndex(people::Index::new(people, phrases, region))
    }
}

/// [`extract`] against an index built beforehand with the same `phrases`
/// and `region`.
pub fn extract_with(
    messages: &[Message],
    known: &KnownIndex,
    phrases: &Phrases,
    region: &str,
) -> Extraction {
    let mut engine = engine::Engine::new(messages, &known.0, phrases, region);
    for message in messages {
        engine.message(message);
    }
    engine.finish()
}

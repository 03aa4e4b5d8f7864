//! The records normalization produces: one struct per canonical table row.
//!
//! These are plain data. Ids are derived from where a record came from (file,
//! sheet, row), so the same input always yields the same ids, and a record's
//! id does not move when other files are added to the pipeline.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A code from one of the program's own vocabularies (`female`,
/// `bachelor`, a field name…). An alias rather than `&'static str` in field
/// types so that serde does not try to borrow it when a cache entry is
/// decoded (see [`crate::cache::shared`]).
pub type Code = &'static str;

/// The file and sheet a record came from, with its source: shared by every
/// record of the sheet (see [`Origin`]).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Source label: `source[2]`.
    pub source: Arc<str>,
    /// Path relative to the pipeline root.
    pub file: Arc<str>,
    pub sheet: Option<Arc<str>>,
}

/// Where a record came from: its [`Location`] (read its fields through
/// the origin: `origin.file`) and its row.
///
/// The location is one shared block per sheet, so an origin costs a
/// pointer and a row number (16 bytes, `None` included) instead of three
/// shared strings (56): it is on every record, millions of them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub at: Arc<Location>,
    /// 1-based sheet row or CSV line.
    pub row: u32,
}

impl std::ops::Deref for Origin {
    type Target = Location;
    fn deref(&self) -> &Location {
        &self.at
    }
}

impl Location {
    pub fn new(source: Arc<str>, file: Arc<str>, sheet: Option<Arc<str>>) -> Arc<Location> {
        Arc::new(Location {
            source,
            file,
            sheet,
        })
    }
}

impl Origin {
    /// An origin with a location of its own; records of one sheet should
    /// share one [`Location`] instead (`Origin { at: at.clone(), row }`).
    pub fn new(source: Arc<str>, file: Arc<str>, sheet: Option<Arc<str>>, row: u32) -> Origin {
        Origin {
            at: Location::new(source, file, sheet),
            row,
        }
    }

    /// `file › sheet › row 12`, for messages.
    pub fn describe(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{} › {} › row {}", self.file, s, self.row),
            None => format!("{} › row {}", self.file, self.row),
        }
    }
}

/// An origin as it is stored: its four fields, as before locations were
/// shared.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Origin")]
struct OriginFields {
    #[serde(deserialize_with = "crate::cache::shared")]
    source: Arc<str>,
    #[serde(deserialize_with = "crate::cache::shared")]
    file: Arc<str>,
    #[serde(deserialize_with = "crate::cache::shared")]
    sheet: Option<Arc<str>>,
    row: u32,
}

impl Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        OriginFields {
            source: self.source.clone(),
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: self.row,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Origin {
    /// The records of one cache entry share their locations again.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Origin, D::Error> {
        let f = OriginFields::deserialize(d)?;
        Ok(Origin {
            at: crate::cache::shared_location(Location {
                source: f.source,
                file: f.file,
                sheet: f.sheet,
            }),
            row: f.row,
        })
    }
}

/// A short stable id: `prefix` + the first 12 hex digits of SHA-256 over the
/// parts, separated by NUL so `("ab","c")` and `("a","bc")` differ.
pub fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(prefix.len() + 12);
    out.push_str(prefix);
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in &digest[..6] {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// A record's unmapped source columns: header label → value, in label
/// order, like a sorted map. The labels are shared between the records of
/// a table (one allocation per column, not per record), and a record
/// without such columns allocates nothing. It serializes as a map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extra(Vec<(Arc<str>, Box<str>)>);

impl Extra {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn get(&self, label: &str) -> Option<&str> {
        self.find(label).ok().map(|i| &*self.0[i].1)
    }

    pub fn contains_key(&self, label: &str) -> bool {
        self.find(label).is_ok()
    }

    /// Sets `label` to `value`, replacing an earlier value of the label.
    pub fn insert(&mut self, label: impl Into<Arc<str>>, value: impl Into<Box<str>>) {
        let label = label.into();
        let value = value.into();
        match self.find(&label) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (label, value)),
        }
    }

    /// The labels and values, in label order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.0.iter().map(|(k, v)| (&**k, &**v))
    }

    /// The shared label of `label`, for inserting it elsewhere without a
    /// new allocation.
    pub fn label(&self, label: &str) -> Option<&Arc<str>> {
        self.find(label).ok().map(|i| &self.0[i].0)
    }

    /// Frees the room kept for further columns.
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    fn find(&self, label: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| (**k).cmp(label))
    }

    /// Heap blocks for memory accounting: the list, then each value.
    fn heap_blocks(&self, f: &mut dyn FnMut(&'static str, usize)) {
        f(
            "extra",
            self.0.capacity() * std::mem::size_of::<(Arc<str>, Box<str>)>(),
        );
        for (_, v) in &self.0 {
            f("extra", v.len());
        }
    }
}

impl<K: Into<Arc<str>>, V: Into<Box<str>>> FromIterator<(K, V)> for Extra {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Extra {
        let mut out = Extra::default();
        for (k, v) in iter {
            out.insert(k, v);
        }
        out
    }
}

impl serde::Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Extra, D::Error> {
        let map = BTreeMap::<String, String>::deserialize(d)?;
        Ok(map.into_iter().collect())
    }
}

/// The fields of a person that most source rows leave empty: masked
/// phones, province, address and postcode, job title, skills, salary months
/// and talent-pool tags. A [`PersonRecord`] holds them behind one pointer
/// that is only allocated when one of them is set, so that a record without
/// them does not carry their empty values (a fifth of its size, when a
/// million-record run holds every record at once).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonDetails {
    /// Masked or partial numbers (`138****8000`): kept, never used as keys.
    pub phones_raw: Vec<String>,
    pub province: Option<Box<str>>,
    pub address: Option<Box<str>>,
    pub postcode: Option<Box<str>>,
    pub current_title: Option<Box<str>>,
    pub skills: Vec<String>,
    pub salary_months: Option<i32>,
    /// Talent-pool tag codes read from evaluation comments (`sales-strong`…).
    pub tags: Vec<String>,
}

/// What [`PersonRecord::details`] gives for a record without details.
const NO_DETAILS: &PersonDetails = &PersonDetails {
    phones_raw: Vec::new(),
    province: None,
    address: None,
    postcode: None,
    current_title: None,
    skills: Vec::new(),
    salary_months: None,
    tags: Vec::new(),
};

impl PersonDetails {
    /// True when no field is set.
    pub fn is_empty(&self) -> bool {
        self == NO_DETAILS
    }

    /// The details as a [`PersonRecord`] holds them: `None` when empty.
    pub fn boxed(self) -> Option<Box<PersonDetails>> {
        (!self.is_empty()).then(|| Box::new(self))
    }
}

/// One person as one source row describes them.
///
/// Its single texts are boxed strings: a record is built once and its texts
/// are not grown afterwards, so the capacity a `String` would carry (a
/// third of its inline size) is left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub record_id: String,
    pub candidate_id: String,
    pub priority: i32,
    pub origin: Option<Origin>,
    pub name: Option<Box<str>>,
    pub name_key: Option<Box<str>>,
    pub name_latin: Option<Box<str>>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub gender: Option<Code>,
    pub birth_date: Option<NaiveDate>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub wechat: Option<Box<str>>,
    pub id_number: Option<Box<str>>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub id_type: Option<Code>,
    pub city: Option<Box<str>>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub education: Option<Code>,
    pub education_rank: Option<i32>,
    pub school: Option<Box<str>>,
    pub major: Option<Box<str>>,
    pub years_experience: Option<f64>,
    pub current_company: Option<Box<str>>,
    pub salary_min: Option<f64>,
    pub salary_max: Option<f64>,
    pub salary_negotiable: bool,
    pub salary_raw: Option<Box<str>>,
    pub source_channel: Option<Box<str>>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub latest_status: Option<Code>,
    pub last_contact_at: Option<NaiveDate>,
    /// The person asked not to be contacted again.
    pub do_not_contact: bool,
    pub notes: Vec<String>,
    /// Unmapped source columns: header label → value.
    pub extra: Extra,
    /// Positions this record applied to with the dates seen for them
    /// (applied, interviewed, decided): `(position key, date)`, sorted.
    /// Filled just before resolution, where an interview-sheet row with
    /// nothing but a name is matched to its application by it.
    /// The position keys are shared between records (one allocation per
    /// position, not per record).
    #[serde(deserialize_with = "crate::cache::shared")]
    pub applied: Vec<(Arc<str>, NaiveDate)>,
    /// The fields most rows leave empty, `None` when all of them are: read
    /// them with [`PersonRecord::details`], set them with
    /// [`PersonRecord::details_mut`].
    pub details: Option<Box<PersonDetails>>,
}

impl PersonRecord {
    /// Masked phones, address, title, skills, tags…; all empty when the
    /// record has none of them.
    pub fn details(&self) -> &PersonDetails {
        self.details.as_deref().unwrap_or(NO_DETAILS)
    }

    /// The details, to set them (allocated on first use).
    pub fn details_mut(&mut self) -> &mut PersonDetails {
        self.details.get_or_insert_with(Box::default)
    }

    /// Replaces the details; empty ones take no allocation.
    pub fn set_details(&mut self, details: PersonDetails) {
        self.details = details.boxed();
    }

    /// Frees the room its lists and their strings keep for growing (its
    /// single texts are boxed and hold only their bytes): a record that is
    /// done being built holds only its values.
    pub fn shrink_to_fit(&mut self) {
        for list in [&mut self.phones, &mut self.emails, &mut self.notes] {
            shrink_list(list);
        }
        self.extra.shrink_to_fit();
        self.applied.shrink_to_fit();
        if self.details.as_ref().is_some_and(|d| d.is_empty()) {
            self.details = None;
        }
        if let Some(d) = &mut self.details {
            for list in [&mut d.phones_raw, &mut d.skills, &mut d.tags] {
                shrink_list(list);
            }
        }
    }

    /// Calls `f(group, bytes)` for every heap block the record owns alone
    /// (not its shared strings), grouped for memory accounting.
    pub fn heap_blocks(&self, f: &mut dyn FnMut(&'static str, usize)) {
        fn opt(f: &mut dyn FnMut(&'static str, usize), g: &'static str, s: &Option<Box<str>>) {
            if let Some(s) = s {
                f(g, s.len());
            }
        }
        fn list(f: &mut dyn FnMut(&'static str, usize), g: &'static str, v: &[String], cap: usize) {
            f(g, cap * std::mem::size_of::<String>());
            for s in v {
                f(g, s.capacity());
            }
        }
        f("ids", self.record_id.capacity());
        f("ids", self.candidate_id.capacity());
        opt(f, "name and its keys", &self.name);
        opt(f, "name and its keys", &self.name_key);
        opt(f, "name and its keys", &self.name_latin);
        let d = self.details();
        list(f, "phones, e-mails", &self.phones, self.phones.capacity());
        list(f, "phones, e-mails", &d.phones_raw, d.phones_raw.capacity());
        list(f, "phones, e-mails", &self.emails, self.emails.capacity());
        for (g, s) in [
            ("wechat, id number", &self.wechat),
            ("wechat, id number", &self.id_number),
            ("city, province, address", &self.city),
            ("city, province, address", &d.province),
            ("city, province, address", &d.address),
            ("city, province, address", &d.postcode),
            ("school, major, company, title", &self.school),
            ("school, major, company, title", &self.major),
            ("school, major, company, title", &self.current_company),
            ("school, major, company, title", &d.current_title),
            ("salary text, channel", &self.salary_raw),
            ("salary text, channel", &self.source_channel),
        ] {
            opt(f, g, s);
        }
        list(f, "skills, tags, notes", &d.skills, d.skills.capacity());
        list(f, "skills, tags, notes", &d.tags, d.tags.capacity());
        list(f, "skills, tags, notes", &self.notes, self.notes.capacity());
        self.extra.heap_blocks(f);
        f(
            "applied",
            self.applied.capacity() * std::mem::size_of::<(Arc<str>, NaiveDate)>(),
        );
        if self.details.is_some() {
            f("details (the block)", std::mem::size_of::<PersonDetails>());
        }
    }

    /// Calls `f(address, bytes)` for every shared string the record points
    /// to, so that each can be counted once.
    pub fn shared_blocks(&self, f: &mut dyn FnMut(*const u8, usize)) {
        // An `Arc<str>` block holds two counters before the text.
        if let Some(o) = &self.origin {
            f(
                Arc::as_ptr(&o.at).cast(),
                16 + std::mem::size_of::<Location>(),
            );
            let mut arc = |s: &Arc<str>| f(s.as_ptr(), 16 + s.len());
            arc(&o.source);
            arc(&o.file);
            if let Some(s) = &o.sheet {
                arc(s);
            }
        }
        let mut arc = |s: &Arc<str>| f(s.as_ptr(), 16 + s.len());
        for (k, _) in &self.applied {
            arc(k);
        }
        for (k, _) in &self.extra.0 {
            arc(k);
        }
    }
}

/// Frees the room a list of strings and its strings keep for growing.
fn shrink_list(list: &mut Vec<String>) {
    list.shrink_to_fit();
    for s in list.iter_mut() {
        s.shrink_to_fit();
    }
}

/// One application of a person to a position.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRecord {
    pub application_id: String,
    pub record_id: String,
    pub candidate_id: String,
    pub origin: Option<Origin>,
    pub position: Option<String>,
    pub position_id: Option<String>,
    pub department: Option<String>,
    pub applied_at: Option<NaiveDate>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub stage: Option<Code>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub status: Option<Code>,
    pub status_raw: Option<String>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub rejection_type: Option<Code>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub rejection_reason: Option<Code>,
    pub rejection_reason_raw: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDate>,
    pub onboard_at: Option<NaiveDate>,
    pub source_channel: Option<String>,
}

/// One interview evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRecord {
    pub evaluation_id: String,
    pub application_id: String,
    pub candidate_id: String,
    pub origin: Option<Origin>,
    pub round: Option<i32>,
    pub interviewer: Option<String>,
    pub department: Option<String>,
    pub at: Option<NaiveDateTime>,
    pub technical: Option<f64>,
    pub business: Option<f64>,
    pub communication: Option<f64>,
    pub teamwork: Option<f64>,
    pub culture: Option<f64>,
    pub overall: Option<f64>,
    pub comment: Option<String>,
    /// Weighted score out of 10 with the position's evaluation weights.
    pub composite: Option<f64>,
    /// Highest minus lowest composite among the application's interviewers.
    pub panel_spread: Option<f64>,
}

/// One dated entry on a candidate's timeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub event_id: String,
    pub candidate_id: String,
    pub origin: Option<Origin>,
    pub at: Option<NaiveDateTime>,
    /// `applied`, `interviewed`, `decision`, `onboarded`, `chat_decision`…
    #[serde(deserialize_with = "crate::cache::shared")]
    pub kind: Code,
    pub text: String,
    /// Who said it (chat events).
    pub said_by: Option<String>,
    /// How sure the extraction is, 0–1 (chat events; rows from sheets are facts).
    pub confidence: Option<f64>,
    /// What the event carries, as JSON (decision, reason, salary, time…).
    pub detail: Option<String>,
}

/// One contact with a candidate, from any source (contact log, returned
/// recall workbook, chat): what recall's cooldown, consent and outcome
/// checks read. The same contact is also an event on the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactRecord {
    pub candidate_id: String,
    pub event_id: String,
    /// When it happened; `None` when the source did not say (a returned
    /// recall row without `outcome_at`): such a contact closes a list but
    /// starts no cooldown.
    pub at: Option<NaiveDateTime>,
    pub result: Option<crate::rules::contact::ContactOutcome>,
    /// The position the contact was about (recall outcomes, logs with a
    /// position column).
    pub position_id: Option<String>,
    pub position: Option<String>,
    /// Where it was recorded: the kind of its event (`contact` for a
    /// contact log, `recall_outcome` for a returned recall workbook,
    /// `chat_contact` for a chat).
    #[serde(deserialize_with = "crate::cache::shared")]
    pub kind: Code,
    /// The re-interview agreed on, when the source says.
    pub reinterview_at: Option<NaiveDateTime>,
}

/// A candidate on a recall list, as a returned recall workbook shows:
/// every linked row, whether or not HR filled in its outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecallListing {
    pub candidate_id: String,
    pub position_id: Option<String>,
    /// When the list was written (its `listed_at` column); `None` for a
    /// workbook without that column.
    pub listed_at: Option<NaiveDate>,
    pub origin: Origin,
}

/// One position from a positions sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PositionRecord {
    pub position_id: String,
    pub origin: Option<Origin>,
    pub title: String,
    pub department: Option<String>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub job_family: Option<Code>,
    pub required_skills: Vec<String>,
    pub nice_skills: Vec<String>,
    pub min_years: Option<f64>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub education_min: Option<Code>,
    pub city: Option<String>,
    pub budget_min: Option<f64>,
    pub budget_max: Option<f64>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub status: Option<Code>,
    pub opened_at: Option<NaiveDate>,
    pub headcount: Option<i32>,
    /// Evaluation weights as JSON (`{"technical":0.4,…}`).
    pub weights: Option<String>,
    /// Other titles the same position goes by (an English sheet's `Sales
    /// Manager` for `销售经理`); applications under any of them link here.
    pub aliases: Vec<String>,
}

/// One chat message, normalized, with the line it came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageRecord {
    pub message_id: String,
    pub origin: Option<Origin>,
    pub platform: String,
    pub chat_name: Option<String>,
    pub chat_kind: String,
    /// Local time in the chat's time zone.
    pub at: Option<NaiveDateTime>,
    pub sender: Option<String>,
    pub sender_id: Option<String>,
    pub is_system: bool,
    /// `text`, `image`, `recall`…
    pub kind: String,
    pub text: String,
}

/// Whether a quarantine entry stands for a whole row or one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    Row,
    Value,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Row => "row",
            Level::Value => "value",
        }
    }
}

/// A value or row that was not accepted, with where it was and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QuarantineEntry {
    #[serde(deserialize_with = "crate::cache::shared")]
    pub source: Arc<str>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub file: Arc<str>,
    #[serde(deserialize_with = "crate::cache::shared")]
    pub sheet: Option<Arc<str>>,
    pub row: u32,
    /// `C (手机号)`, or empty for a whole row.
    pub column: String,
    pub level: Level,
    pub value: String,
    pub reason: String,
}

/// Everything normalization produced, for all sources.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Dataset {
    pub persons: Vec<PersonRecord>,
    pub applications: Vec<ApplicationRecord>,
    pub evaluations: Vec<EvaluationRecord>,
    pub events: Vec<EventRecord>,
    pub positions: Vec<PositionRecord>,
    pub messages: Vec<MessageRecord>,
    pub quarantine: Vec<QuarantineEntry>,
    pub lineage: crate::lineage::Lineage,
    /// Contact history (also on the timeline as events).
    pub contacts: Vec<ContactRecord>,
    /// Who was on the recall lists HR returned.
    pub recall_listings: Vec<RecallListing>,
}

/// Applications and evaluations grouped by candidate id.
pub type ByCandidate<'a> = (
    foldhash::HashMap<&'a str, Vec<&'a ApplicationRecord>>,
    foldhash::HashMap<&'a str, Vec<&'a EvaluationRecord>>,
);

impl Dataset {
    /// Each candidate's applications and evaluations, in dataset order.
    pub fn by_candidate(&self) -> ByCandidate<'_> {
        // The two maps are independent: built side by side.
        rayon::join(
            || {
                let mut apps: foldhash::HashMap<&str, Vec<&ApplicationRecord>> = Default::default();
                for a in &self.applications {
                    apps.entry(a.candidate_id.as_str()).or_default().push(a);
                }
                apps
            },
            || {
                let mut evals: foldhash::HashMap<&str, Vec<&EvaluationRecord>> = Default::default();
                for e in &self.evaluations {
                    evals.entry(e.candidate_id.as_str()).or_default().push(e);
                }
                evals
            },
        )
    }

    /// Each candidate's latest dated contact on or before `as_of` (contact
    /// logs, chats, returned recall workbooks).
    pub fn last_contacts(&self, as_of: NaiveDate) -> foldhash::HashMap<&str, NaiveDate> {
        let mut out: foldhash::HashMap<&str, NaiveDate> = Default::default();
        for c in &self.contacts {
            if let Some(d) = c.at.map(|t| t.date()).filter(|d| *d <= as_of) {
                let e = out.entry(c.candidate_id.as_str()).or_insert(d);
                *e = (*e).max(d);
            }
        }
        out
    }

    /// Appends another dataset's records.
    /// Makes room for the records of `parts`, so that extending by them
    /// copies each record once instead of regrowing (and re-faulting) the
    /// vectors again and again.
    pub fn reserve_for<'a>(&mut self, parts: impl Iterator<Item = &'a Dataset> + Clone) {
        let total = |f: fn(&Dataset) -> usize| parts.clone().map(f).sum::<usize>();
        self.persons.reserve(total(|d| d.persons.len()));
        self.applications.reserve(total(|d| d.applications.len()));
        self.evaluations.reserve(total(|d| d.evaluations.len()));
        self.events.reserve(total(|d| d.events.len()));
        self.positions.reserve(total(|d| d.positions.len()));
        self.messages.reserve(total(|d| d.messages.len()));
        self.quarantine.reserve(total(|d| d.quarantine.len()));
        self.lineage
            .reserve(total(|d| d.lineage.len()), total(|d| d.lineage.text_len()));
        self.contacts.reserve(total(|d| d.contacts.len()));
    }

    /// The parts one after the other, as [`Dataset::reserve_for`] and
    /// [`Dataset::extend`] in turn would join them; the tables are copied
    /// side by side, each part's rows freed as they are copied.
    pub fn concat(parts: Vec<Dataset>) -> Dataset {
        /// One table's lists joined; a single non-empty list is moved.
        fn join<T: Send>(lists: Vec<Vec<T>>) -> Vec<T> {
            if lists.iter().filter(|l| !l.is_empty()).count() <= 1 {
                return lists
                    .into_iter()
                    .find(|l| !l.is_empty())
                    .unwrap_or_default();
            }
            let mut out = Vec::with_capacity(lists.iter().map(Vec::len).sum());
            for list in lists {
                out.extend(list);
            }
            out
        }
        let mut persons = Vec::with_capacity(parts.len());
        let mut applications = Vec::with_capacity(parts.len());
        let mut evaluations = Vec::with_capacity(parts.len());
        let mut events = Vec::with_capacity(parts.len());
        let mut positions = Vec::with_capacity(parts.len());
        let mut messages = Vec::with_capacity(parts.len());
        let mut quarantine = Vec::with_capacity(parts.len());
        let mut lineages = Vec::with_capacity(parts.len());
        let mut contacts = Vec::with_capacity(parts.len());
        let mut recall_listings = Vec::with_capacity(parts.len());
        for part in parts {
            persons.push(part.persons);
            applications.push(part.applications);
            evaluations.push(part.evaluations);
            events.push(part.events);
            positions.push(part.positions);
            messages.push(part.messages);
            quarantine.push(part.quarantine);
            lineages.push(part.lineage);
            contacts.push(part.contacts);
            recall_listings.push(part.recall_listings);
        }
        let mut out = Dataset::default();
        let Dataset {
            persons: o_persons,
            applications: o_applications,
            evaluations: o_evaluations,
            events: o_events,
            positions: o_positions,
            messages: o_messages,
            quarantine: o_quarantine,
            lineage: o_lineage,
            contacts: o_contacts,
            recall_listings: o_recall_listings,
        } = &mut out;
        rayon::scope(|s| {
            s.spawn(move |_| {
                let rows = lineages.iter().map(|l| l.len()).sum();
                let text = lineages.iter().map(|l| l.text_len()).sum();
                o_lineage.reserve(rows, text);
                for l in lineages {
                    o_lineage.append(l);
                }
            });
            s.spawn(move |_| *o_persons = join(persons));
            s.spawn(move |_| *o_events = join(events));
            s.spawn(move |_| *o_applications = join(applications));
            s.spawn(move |_| *o_evaluations = join(evaluations));
            s.spawn(move |_| {
                *o_positions = join(positions);
                *o_messages = join(messages);
                *o_quarantine = join(quarantine);
                *o_contacts = join(contacts);
                *o_recall_listings = join(recall_listings);
            });
        });
        out
    }

    pub fn extend(&mut self, other: Dataset) {
        self.persons.extend(other.persons);
        self.applications.extend(other.applications);
        self.evaluations.extend(other.evaluations);
        self.events.extend(other.events);
        self.positions.extend(other.positions);
        self.messages.extend(other.messages);
        self.quarantine.extend(other.quarantine);
        self.lineage.append(other.lineage);
        self.contacts.extend(other.contacts);
        self.recall_listings.extend(other.recall_listings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A part with `n` rows in each table, its text tagged with `tag`.
    fn part(tag: &str, n: usize) -> Dataset {
        let mut d = Dataset::default();
        let file: Arc<str> = Arc::from(format!("{tag}.xlsx").as_str());
        let column: Arc<str> = Arc::from("B (姓名)");
        for i in 0..n {
            let id = format!("{tag}{i}");
            d.persons.push(PersonRecord {
                record_id: id.clone(),
                name: Some(id.as_str().into()),
                ..Default::default()
            });
            d.applications.push(ApplicationRecord {
                application_id: id.clone(),
                ..Default::default()
            });
            d.events.push(EventRecord {
                event_id: id.clone(),
                ..Default::default()
            });
            d.quarantine.push(QuarantineEntry {
                source: Arc::from(tag),
                file: file.clone(),
                sheet: None,
                row: i as u32,
                column: String::new(),
                level: Level::Row,
                value: id.clone(),
                reason: String::new(),
            });
            d.lineage.push_one(
                "candidate",
                Arc::from(id.as_str()),
                "name",
                &id,
                &file,
                &None,
                i as u32,
                &column,
            );
        }
        d
    }

    #[test]
    fn concat_joins_parts_as_extend_does() {
        for sizes in [vec![], vec![3], vec![0, 2, 0], vec![2, 0, 5, 1]] {
            let parts = || -> Vec<Dataset> {
                sizes
                    .iter()
                    .enumerate()
                    .map(|(k, &n)| part(&format!("p{k}-"), n))
                    .collect()
            };
            let mut one_by_one = Dataset::default();
            let all = parts();
            one_by_one.reserve_for(all.iter());
            for p in all {
                one_by_one.extend(p);
            }
            let joined = Dataset::concat(parts());
            assert_eq!(
                format!("{:?}", joined.persons),
                format!("{:?}", one_by_one.persons)
            );
            assert_eq!(
                format!("{:?}", joined.applications),
                format!("{:?}", one_by_one.applications)
            );
            assert_eq!(
                format!("{:?}", joined.events),
                format!("{:?}", one_by_one.events)
            );
            assert_eq!(
                format!("{:?}", joined.quarantine),
                format!("{:?}", one_by_one.quarantine)
            );
            assert_eq!(joined.lineage, one_by_one.lineage);
            assert_eq!(joined.lineage.len(), sizes.iter().sum::<usize>());
        }
    }

    #[test]
    fn stable_ids_depend_on_every_part_and_its_boundaries() {
        let a = stable_id("R", &["ab", "c"]);
        assert_eq!(a.len(), 13);
        assert_eq!(a, stable_id("R", &["ab", "c"]));
        assert_ne!(a, stable_id("R", &["a", "bc"]));
        assert!(a.starts_with('R'));
    }
}

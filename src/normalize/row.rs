//! One candidate row: cells → person, application, evaluation and events,
//! with quarantine and lineage for every value.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;

use super::Context;
use super::cells;
use crate::columns::Field;
use crate::ingest::header::Column;
use crate::ingest::{Cell, RawRow, RawTable};
use crate::lineage::Lineage;
use crate::model::{
    ApplicationRecord, Dataset, EvaluationRecord, EventRecord, Level, Origin, PersonDetails,
    PersonRecord, QuarantineEntry, stable_id,
};
use crate::rules::{self, Reject};

/// What became of a row.
pub enum Outcome {
    Kept { values_quarantined: u64 },
    Quarantined,
}

/// Collects a row's accepted values and refusals as they are read.
pub(super) struct RowReader<'a> {
    pub table: &'a RawTable,
    pub origin: Origin,
    pub quarantine: Vec<QuarantineEntry>,
    /// (entity, field, end of the value in `values`, column) — entity ids
    /// are filled in at the end; a value starts where the one before ends.
    pub lineage: Vec<(&'static str, Field, usize, Arc<str>)>,
    /// The kept values, one after the other.
    pub values: String,
}

impl<'a> RowReader<'a> {
    pub fn new(table: &'a RawTable, origin: Origin) -> Self {
        RowReader {
            table,
            origin,
            quarantine: Vec::new(),
            lineage: Vec::new(),
            values: String::new(),
        }
    }

    /// `C (手机号)`: the sheet column and its header label (the table's
    /// shared copy).
    pub fn column_label(&self, col: &Column) -> Arc<str> {
        let pos = self
            .table
            .header
            .columns
            .iter()
            .position(|c| c.index == col.index)
            .unwrap_or(0);
        self.table
            .column_labels
            .get(pos)
            .cloned()
            .unwrap_or_else(|| Arc::from(col.label.as_str()))
    }

    pub fn refuse(&mut self, col: &Column, cell: &Cell, reject: &Reject) {
        self.quarantine.push(QuarantineEntry {
            source: self.origin.source.clone(),
            file: self.origin.file.clone(),
            sheet: self.origin.sheet.clone(),
            row: self.origin.row,
            column: self.column_label(col).to_string(),
            level: Level::Value,
            value: cell.as_text(),
            reason: reject.reason.clone(),
        });
    }

    pub fn keep(
        &mut self,
        entity: &'static str,
        col: &Column,
        field: Field,
        value: impl AsRef<str>,
    ) {
        let column = self.column_label(col);
        self.values.push_str(value.as_ref());
        self.lineage
            .push((entity, field, self.values.len(), column));
    }

    /// Cells that can never be values: Excel errors and text that lost bytes
    /// in decoding. Returns the usable text otherwise.
    pub fn usable<'c>(&mut self, col: &Column, cell: &'c Cell) -> Option<Cow<'c, str>> {
        match cell {
            Cell::Error(e) => {
                self.refuse(
                    col,
                    cell,
                    &Reject::new(format!("Excel error value {e} in the cell")),
                );
                None
            }
            Cell::Text(t) if t.contains('\u{FFFD}') => {
                self.refuse(
                    col,
                    cell,
                    &Reject::new("bytes that are not valid in the file's encoding"),
                );
                None
            }
            Cell::Text(t) => Some(Cow::Borrowed(t.trim())),
            _ => Some(Cow::Owned(cell.as_text())),
        }
    }

    /// The row's non-empty cells in mapped, not ignored columns, each with
    /// its column's position, field and text; cells that cannot be used
    /// (Excel errors, undecodable bytes) are refused on the way.
    pub fn mapped_cells<'t>(
        &mut self,
        table: &'t RawTable,
        raw: &'t RawRow,
    ) -> Vec<(usize, &'t Column, &'t Cell, Field, String)> {
        let mut out = Vec::new();
        for (i, col) in table.header.columns.iter().enumerate() {
            let Some(cell) = raw.cells.get(col.index) else {
                continue;
            };
            if cell.is_empty() || col.ignored {
                continue;
            }
            let Some(field) = col.field else { continue };
            if let Some(text) = self.usable(col, cell) {
                out.push((i, col, cell, field, text.into_owned()));
            }
        }
        out
    }

    /// Adds the row's lineage rows to `out`; `ids` gives the id of each
    /// entity, made once per entity and shared by its rows.
    pub fn write_lineage(&self, ids: &dyn Fn(&'static str) -> Arc<str>, out: &mut Lineage) {
        let mut shared: Vec<(&'static str, u32)> = Vec::with_capacity(3);
        let mut start = 0;
        for (entity, field, end, column) in &self.lineage {
            let value = &self.values[start..*end];
            start = *end;
            let id = match shared.iter().find(|(e, _)| e == entity) {
                Some((_, id)) => *id,
                None => {
                    let id = out.id(ids(entity));
                    shared.push((entity, id));
                    id
                }
            };
            let place = out.place(
                entity,
                field.name(),
                &self.origin.file,
                &self.origin.sheet,
                column,
            );
            out.push(place, id, self.origin.row, value);
        }
    }

    /// Quarantines the whole row, with every non-empty cell as its value.
    pub fn quarantine_row(&mut self, raw: &RawRow, reason: &str) -> QuarantineEntry {
        let value = self
            .table
            .header
            .columns
            .iter()
            .filter_map(|c| {
                let cell = raw.cells.get(c.index)?;
                (!cell.is_empty()).then(|| format!("{}={}", c.label, cell.as_text()))
            })
            .collect::<Vec<_>>()
            .join("; ");
        QuarantineEntry {
            source: self.origin.source.clone(),
            file: self.origin.file.clone(),
            sheet: self.origin.sheet.clone(),
            row: self.origin.row,
            column: String::new(),
            level: Level::Row,
            value,
            reason: reason.to_string(),
        }
    }
}

const CANDIDATE: &str = "candidate";
const APPLICATION: &str = "application";
const EVALUATION: &str = "evaluation";

/// Normalizes one candidate row into `out`.
pub fn candidate(
    table: &RawTable,
    raw: &RawRow,
    origin: Origin,
    ctx: &Context,
    labels: &[Arc<str>],
    out: &mut Dataset,
) -> Outcome {
    let s = ctx.settings;
    let vocab = &s.vocab;
    let mut r = RowReader::new(table, origin.clone());
    let sheet = origin.sheet.as_deref().unwrap_or("");
    let row_text = origin.row.to_string();
    let key: [&str; 3] = [&origin.file, sheet, &row_text];
    // The record, candidate, application and evaluation ids share one
    // digest of the row's location (`stable_id` hashes the parts only).
    let hex = stable_id("", &key);
    let id = |prefix: char| {
        let mut s = String::with_capacity(1 + hex.len());
        s.push(prefix);
        s.push_str(&hex);
        s
    };
    let mut p = PersonRecord {
        record_id: id('R'),
        candidate_id: id('C'),
        priority: ctx.priority,
        origin: Some(origin.clone()),
        ..Default::default()
    };
    let mut a = ApplicationRecord {
        application_id: id('A'),
        record_id: p.record_id.clone(),
        candidate_id: p.candidate_id.clone(),
        origin: Some(origin.clone()),
        ..Default::default()
    };
    let mut e = EvaluationRecord {
        evaluation_id: id('V'),
        application_id: a.application_id.clone(),
        candidate_id: p.candidate_id.clone(),
        origin: Some(origin.clone()),
        ..Default::default()
    };
    // The record's rarely filled fields, boxed into it once the row is read.
    let mut details = PersonDetails::default();
    let (mut has_app, mut has_eval) = (false, false);
    let mut noted_onboard: Option<(NaiveDate, &Column)> = None;
    let (mut family, mut given) = (None::<String>, None::<String>);
    let mut outcome = None;
    let mut id_derived: Option<(Option<NaiveDate>, Option<&'static str>)> = None;

    for (ci, col) in table.header.columns.iter().enumerate() {
        let Some(cell) = raw.cells.get(col.index) else {
            continue;
        };
        if cell.is_empty() || col.ignored {
            continue;
        }
        let Some(field) = col.field else {
            let label = unique_label(&p.extra, &labels[ci]);
            p.extra.insert(label, cell.as_text());
            continue;
        };
        let Some(text) = r.usable(col, cell) else {
            continue;
        };
        // The cleaned text, for the fields that read it.
        let clean = if reads_clean(field) {
            rules::text::nfkc_clean(&text)
        } else {
            String::new()
        };
        match field {
            Field::Name => {
                if p.name.is_some() {
                    let clean = rules::text::nfkc_clean(&text);
                    p.extra.insert(unique_label(&p.extra, &labels[ci]), clean);
                    continue;
                }
                match rules::name::normalize_name(&text, vocab) {
                    Ok(n) => {
                        r.keep(CANDIDATE, col, field, &n.display);
                        p.name = Some(n.display.into());
                        p.name_key = Some(n.key.into());
                        p.name_latin = n.latin_key.map(Into::into);
                    }
                    Err(x) => r.refuse(col, cell, &x),
                }
            }
            Field::FamilyName => family = Some(clean),
            Field::GivenName => given = Some(clean),
            Field::Gender => match rules::gender::parse_gender(&text, vocab) {
                Ok(g) => {
                    r.keep(CANDIDATE, col, field, g.code());
                    p.gender = Some(g.code());
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            Field::BirthDate => match cells::date(cell, s.day_first) {
                Ok(d) => {
                    r.keep(CANDIDATE, col, field, d.to_string());
                    p.birth_date = Some(d);
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            Field::Phone => {
                let phones = rules::phone::normalize_phones(&text, &s.region);
                for n in phones.numbers {
                    if !p.phones.contains(&n) {
                        r.keep(CANDIDATE, col, field, &n);
                        p.phones.push(n);
                    }
                }
                details.phones_raw.extend(phones.masked);
                for (value, x) in phones.rejected {
                    r.refuse(col, &Cell::Text(value), &x);
                }
            }
            Field::Email => {
                let found = rules::email::split_emails(&text);
                for m in found.emails {
                    if !p.emails.contains(&m) {
                        r.keep(CANDIDATE, col, field, &m);
                        p.emails.push(m);
                    }
                }
                for (value, x) in found.rejected {
                    r.refuse(col, &Cell::Text(value), &x);
                }
            }
            Field::Wechat => {
                r.keep(CANDIDATE, col, field, &clean);
                p.wechat = Some(clean.into());
            }
            Field::IdNumber => match rules::idcard::parse_id_number(&text) {
                Ok(id) => {
                    r.keep(CANDIDATE, col, field, &id.value);
                    p.id_type = Some(id_kind(id.kind));
                    p.id_number = Some(id.value.into());
                    id_derived = Some((id.birth_date, id.gender.map(|g| g.code())));
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            Field::City => {
                let city = rules::address::normalize_city(&text);
                r.keep(CANDIDATE, col, field, &city);
                p.city = Some(city.into());
            }
            Field::Address => {
                let addr = rules::address::parse_address(&text);
                r.keep(CANDIDATE, col, field, &addr.text);
                details.postcode = details.postcode.take().or(addr.postcode.map(Into::into));
                details.province = details.province.take().or(addr.province.map(Into::into));
                if p.city.is_none() {
                    p.city = addr.city.map(Into::into);
                }
                details.address = Some(addr.text.into());
            }
            Field::Postcode => {
                if clean.len() == 6 && clean.chars().all(|c| c.is_ascii_digit()) {
                    r.keep(CANDIDATE, col, field, &clean);
                    details.postcode = Some(clean.into());
                } else {
                    r.refuse(col, cell, &Reject::new("not a postcode: expected 6 digits"));
                }
            }
            Field::Education => match rules::education::parse_education(&text, vocab) {
                Ok(ed) => {
                    r.keep(CANDIDATE, col, field, ed.level.code());
                    p.education = Some(ed.level.code());
                    p.education_rank = Some(ed.level as i32);
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            Field::School => set_text(&mut r, col, field, clean, &mut p.school),
            Field::Major => set_text(&mut r, col, field, clean, &mut p.major),
            Field::CurrentCompany => set_text(&mut r, col, field, clean, &mut p.current_company),
            Field::CurrentTitle => set_text(&mut r, col, field, clean, &mut details.current_title),
            Field::YearsExperience => match rules::experience::parse_years(&text) {
                Ok(y) => {
                    let v = y.min as f64;
                    r.keep(CANDIDATE, col, field, crate::output::format_float(v));
                    p.years_experience = Some(v);
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            Field::Skills => {
                for skill in cells::list(&text) {
                    if !details.skills.contains(&skill) {
                        r.keep(CANDIDATE, col, field, &skill);
                        details.skills.push(skill);
                    }
                }
            }
            Field::ExpectedSalary => {
                p.salary_raw = Some(clean.as_str().into());
                match rules::salary::parse_salary(&text, col.unit_hint.as_deref()) {
                    Ok(sal) => {
                        r.keep(CANDIDATE, col, field, &clean);
                        p.salary_min = sal.min.map(f64::round);
                        p.salary_max = sal.max.map(f64::round);
                        details.salary_months = sal.months.map(i32::from);
                        p.salary_negotiable = sal.negotiable;
                    }
                    Err(x) => r.refuse(col, cell, &x),
                }
            }
            Field::SourceChannel => {
                r.keep(CANDIDATE, col, field, &clean);
                a.source_channel = Some(clean.clone());
                p.source_channel = Some(clean.into());
            }
            Field::Notes => {
                if noted_onboard.is_none() {
                    noted_onboard = onboard_date_in_note(&clean, s.day_first).map(|d| (d, col));
                }
                r.keep(CANDIDATE, col, field, &clean);
                p.notes.push(clean.clone());
                p.extra.insert(unique_label(&p.extra, &labels[ci]), clean);
            }
            Field::Age => {
                p.extra.insert(unique_label(&p.extra, &labels[ci]), clean);
            }
            // Application fields.
            Field::Position => {
                has_app = true;
                set_text(&mut r, col, field, clean, &mut a.position);
            }
            Field::Department => {
                has_app = true;
                e.department = Some(clean.clone());
                set_text(&mut r, col, field, clean, &mut a.department);
            }
            Field::AppliedAt | Field::DecidedAt | Field::OnboardAt => {
                match cells::date(cell, s.day_first) {
                    Ok(d) => {
                        has_app = true;
                        r.keep(APPLICATION, col, field, d.to_string());
                        match field {
                            Field::AppliedAt => a.applied_at = Some(d),
                            Field::DecidedAt => a.decided_at = Some(d),
                            _ => a.onboard_at = Some(d),
                        }
                    }
                    Err(x) => r.refuse(col, cell, &x),
                }
            }
            Field::Status => {
                a.status_raw = Some(clean.clone());
                has_app = true;
                match rules::status::parse_status(&text, vocab) {
                    Ok(st) => {
                        r.keep(APPLICATION, col, field, st.outcome.code());
                        a.stage = st.stage.map(|s| s.code());
                        a.status = Some(st.outcome.code());
                        outcome = Some(st.outcome);
                        if e.round.is_none() {
                            e.round = st.round.map(i32::from);
                        }
                    }
                    Err(x) => r.refuse(col, cell, &x),
                }
            }
            Field::RejectionReason => {
                has_app = true;
                let reason = rules::reason::classify_reason(&text, vocab);
                r.keep(APPLICATION, col, field, reason.code.code());
                a.rejection_type = Some(reason.kind.code());
                a.rejection_reason = Some(reason.code.code());
                a.rejection_reason_raw = Some(clean);
            }
            Field::DecidedBy => {
                has_app = true;
                set_text(&mut r, col, field, clean, &mut a.decided_by);
            }
            // Evaluation fields.
            Field::Interviewer => {
                has_eval = true;
                r.keep(EVALUATION, col, field, &clean);
                e.interviewer = Some(clean);
            }
            Field::InterviewAt => match cells::datetime(cell, s.day_first) {
                Ok(d) => {
                    has_eval = true;
                    r.keep(EVALUATION, col, field, d.to_string());
                    e.at = Some(d);
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            Field::InterviewRound => {
                let round = match cell {
                    Cell::Number(n) if n.fract() == 0.0 && (1.0..=20.0).contains(n) => {
                        Some(*n as i32)
                    }
                    _ => rules::status::parse_status(&text, vocab)
                        .ok()
                        .and_then(|s| s.round.map(i32::from)),
                };
                match round {
                    Some(n) => {
                        has_eval = true;
                        r.keep(EVALUATION, col, field, n.to_string());
                        e.round = Some(n);
                    }
                    None => r.refuse(
                        col,
                        cell,
                        &Reject::new("not an interview round: expected 1, 2, 一面, 二面, 终面…"),
                    ),
                }
            }
            Field::ScoreTechnical
            | Field::ScoreBusiness
            | Field::ScoreCommunication
            | Field::ScoreTeamwork
            | Field::ScoreCulture
            | Field::ScoreOverall => match cells::score(cell) {
                Ok(v) => {
                    has_eval = true;
                    r.keep(EVALUATION, col, field, crate::output::format_float(v));
                    let slot = match field {
                        Field::ScoreTechnical => &mut e.technical,
                        Field::ScoreBusiness => &mut e.business,
                        Field::ScoreCommunication => &mut e.communication,
                        Field::ScoreTeamwork => &mut e.teamwork,
                        Field::ScoreCulture => &mut e.culture,
                        _ => &mut e.overall,
                    };
                    *slot = Some(v);
                }
                Err(x) => r.refuse(col, cell, &x),
            },
            Field::Comment => {
                has_eval = true;
                r.keep(EVALUATION, col, field, &clean);
                e.comment = Some(match e.comment.take() {
                    Some(prev) => format!("{prev}\n{clean}"),
                    None => clean,
                });
            }
            // Position-sheet and contact-log fields in a candidate sheet
            // carry no meaning for a person; keep them visible rather than
            // dropping them.
            Field::PositionId
            | Field::JobFamily
            | Field::RequiredSkills
            | Field::NiceSkills
            | Field::MinYears
            | Field::EducationMin
            | Field::Budget
            | Field::PositionStatus
            | Field::OpenedAt
            | Field::Headcount
            | Field::Weights
            | Field::TitleAliases
            | Field::CandidateId
            | Field::ContactAt
            | Field::ContactChannel
            | Field::ContactedBy
            | Field::ContactResult
            | Field::ReinterviewAt
            | Field::ReinterviewBy
            | Field::ListedAt => {
                p.extra.insert(unique_label(&p.extra, &labels[ci]), clean);
            }
        }
    }

    if p.name.is_none() && (family.is_some() || given.is_some()) {
        let joined = rules::name::split_name_parts(
            family.as_deref().unwrap_or(""),
            given.as_deref().unwrap_or(""),
        );
        if let Ok(n) = rules::name::normalize_name(&joined, vocab) {
            p.name = Some(n.display.into());
            p.name_key = Some(n.key.into());
            p.name_latin = n.latin_key.map(Into::into);
        }
    }
    if let Some((birth, gender)) = id_derived {
        p.birth_date = p.birth_date.or(birth);
        p.gender = p.gender.or(gender);
    }

    let identified = p.name.is_some()
        || !p.phones.is_empty()
        || !p.emails.is_empty()
        || p.wechat.is_some()
        || p.id_number.is_some();
    if !identified {
        let q = r.quarantine_row(
            raw,
            "no usable name, phone, email, WeChat or id number: the row cannot be tied to a person",
        );
        out.quarantine.push(q);
        return Outcome::Quarantined;
    }

    p.latest_status = outcome.map(|o| o.code());
    // A hire whose sheet has no onboarding column but a note such as
    // `2019.07.29入职`: the note gives the date, with the note's cell as
    // its lineage.
    if let Some((d, col)) = noted_onboard
        && a.onboard_at.is_none()
        && a.status == Some("hired")
    {
        a.onboard_at = Some(d);
        r.keep(APPLICATION, col, Field::OnboardAt, d.to_string());
    }
    if has_eval {
        has_app = true;
    }
    let name = p
        .name
        .as_deref()
        .map(str::to_string)
        .unwrap_or_else(|| p.phones.first().cloned().unwrap_or_default());
    let events = timeline(&p, has_app.then_some(&a), has_eval.then_some(&e), &name);
    let ids = |entity: &'static str| match entity {
        APPLICATION => Arc::from(a.application_id.as_str()),
        EVALUATION => Arc::from(e.evaluation_id.as_str()),
        _ => Arc::from(p.candidate_id.as_str()),
    };
    r.write_lineage(&ids, &mut out.lineage);
    let values_quarantined = r.quarantine.len() as u64;
    out.quarantine.append(&mut r.quarantine);
    out.events.extend(events);
    if has_app {
        out.applications.push(a);
    }
    if has_eval {
        out.evaluations.push(e);
    }
    p.set_details(details);
    p.shrink_to_fit();
    out.persons.push(p);
    Outcome::Kept { values_quarantined }
}

/// Whether a candidate field reads its cell's cleaned text (NFKC, single
/// spaces); the others parse the cell's text themselves.
fn reads_clean(field: Field) -> bool {
    !matches!(
        field,
        Field::Name
            | Field::Gender
            | Field::BirthDate
            | Field::Phone
            | Field::Email
            | Field::IdNumber
            | Field::City
            | Field::Address
            | Field::Education
            | Field::YearsExperience
            | Field::Skills
            | Field::AppliedAt
            | Field::DecidedAt
            | Field::OnboardAt
            | Field::InterviewAt
            | Field::InterviewRound
            | Field::ScoreTechnical
            | Field::ScoreBusiness
            | Field::ScoreCommunication
            | Field::ScoreTeamwork
            | Field::ScoreCulture
            | Field::ScoreOverall
    )
}

/// Sets a text field (a person's boxed text or an application's string);
/// a second, different value is appended after `; `.
fn set_text<T: AsRef<str> + From<String>>(
    r: &mut RowReader,
    col: &Column,
    field: Field,
    value: String,
    slot: &mut Option<T>,
) {
    r.keep(entity_of(field), col, field, &value);
    match slot {
        Some(prev) if prev.as_ref() != value => {
            *prev = T::from(format!("{}; {value}", prev.as_ref()));
        }
        Some(_) => {}
        None => *slot = Some(T::from(value)),
    }
}

fn entity_of(field: Field) -> &'static str {
    match field {
        Field::Position | Field::Department | Field::DecidedBy => APPLICATION,
        _ => CANDIDATE,
    }
}

/// `label`, or `label#2`, `label#3`… when a sheet repeats a header.
fn unique_label(extra: &crate::model::Extra, label: &Arc<str>) -> Arc<str> {
    if !extra.contains_key(label) {
        return label.clone();
    }
    (2..)
        .map(|n| format!("{label}#{n}"))
        .find(|l| !extra.contains_key(l))
        .map(Arc::from)
        .expect("some suffix is free")
}

/// Dated events a row implies: applied, interviewed, decision, onboarded.
fn timeline(
    p: &PersonRecord,
    a: Option<&ApplicationRecord>,
    e: Option<&EvaluationRecord>,
    name: &str,
) -> Vec<EventRecord> {
    let mut out = Vec::new();
    let origin = p.origin.clone();
    let o = origin.as_ref().expect("rows have an origin");
    let sheet = o.sheet.as_deref().unwrap_or("");
    let row = o.row.to_string();
    let mut push = |kind: &'static str, at: chrono::NaiveDateTime, text: String| {
        out.push(EventRecord {
            event_id: stable_id("E", &[&o.file, sheet, &row, kind]),
            candidate_id: p.candidate_id.clone(),
            origin: origin.clone(),
            at: Some(at),
            kind,
            text,
            ..Default::default()
        });
    };
    let midnight = chrono::NaiveTime::MIN;
    if let Some(a) = a {
        let position = a.position.as_deref().unwrap_or("a position");
        if let Some(d) = a.applied_at {
            let via = a
                .source_channel
                .as_deref()
                .map(|c| format!(" via {c}"))
                .unwrap_or_default();
            push(
                "applied",
                d.and_time(midnight),
                format!("{name} applied for {position}{via}"),
            );
        }
        if let Some(d) = a.decided_at {
            let status = a.status.unwrap_or("decided");
            let reason = a
                .rejection_reason_raw
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            push(
                "decision",
                d.and_time(midnight),
                format!("{position}: {status}{reason}"),
            );
        }
        if let Some(d) = a.onboard_at {
            push(
                "onboarded",
                d.and_time(midnight),
                format!("{name} joined as {position}"),
            );
        }
    }
    if let Some(e) = e
        && let Some(at) = e.at
    {
        let round = e.round.map(|r| format!(" round {r}")).unwrap_or_default();
        let with = e
            .interviewer
            .as_deref()
            .map(|i| format!(" with {i}"))
            .unwrap_or_default();
        let comment = e
            .comment
            .as_deref()
            .map(|c| format!(": {c}"))
            .unwrap_or_default();
        push(
            "interviewed",
            at,
            format!("Interview{round}{with}{comment}"),
        );
    }
    out
}

fn id_kind(kind: rules::idcard::IdKind) -> &'static str {
    match kind {
        rules::idcard::IdKind::CnResident => "cn_resident",
        rules::idcard::IdKind::CnResident15 => "cn_resident_15",
        rules::idcard::IdKind::Other => "other",
    }
}

/// The onboarding date a note states (`2019.07.29入职`, `2024-03-01 已到岗`):
/// a full date directly followed by 入职 or 到岗. Notes that only plan one
/// (`预计…入职`) or give no full date say nothing.
fn onboard_date_in_note(note: &str, day_first: bool) -> Option<NaiveDate> {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(\d{4}\s*[./\-年]\s*\d{1,2}\s*[./\-月]\s*\d{1,2}\s*日?)\s*(?:已\s*)?(?:入职|到岗)",
        )
        .expect("valid pattern")
    });
    if note.contains("预计") || note.contains("计划") {
        return None;
    }
    let m = RE.captures(note)?;
    let opts = crate::rules::date::DateOptions {
        day_first,
        ..Default::default()
    };
    let parsed = crate::rules::date::parse_date(m.get(1)?.as_str(), &opts).ok()?;
    (parsed.precision == crate::rules::date::DatePrecision::Day).then_some(parsed.date)
}

#[cfg(test)]
mod onboard_tests {
    use super::*;

    #[test]
    fn onboarding_dates_come_from_notes_that_state_them() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(
            onboard_date_in_note("2019.07.29入职", false),
            d(2019, 7, 29)
        );
        assert_eq!(
            onboard_date_in_note("已于2024-03-01 已到岗，试用期3个月", false),
            d(2024, 3, 1)
        );
        assert_eq!(
            onboard_date_in_note("2021年5月6日入职", false),
            d(2021, 5, 6)
        );
        assert_eq!(onboard_date_in_note("预计2024.08.01入职", false), None);
        assert_eq!(onboard_date_in_note("2024年8月入职", false), None);
        assert_eq!(onboard_date_in_note("内推人：何磊", false), None);
    }
}

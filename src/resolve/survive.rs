//! Survivorship: the one record that stands for an entity, field by field.
//!
//! Each field has a [`Rule`]:
//! - [`Rule::SourcePriority`]: the value from the member with the highest
//!   source `priority`; ties go to the most complete value, then to record
//!   order.
//! - [`Rule::MostComplete`]: the longest or most informative value (for
//!   names a Hanzi display beats a romanization, for education the highest
//!   level, for years of experience the largest); ties go to priority, then
//!   record order.
//! - [`Rule::MostRecent`]: the value from the member with the latest
//!   `last_contact_at` (the record's own date; records without one come
//!   last); ties go to priority, then record order.
//! - [`Rule::KeepAll`]: for list fields, every value of every member,
//!   deduplicated, members taken by priority (highest first) then record
//!   order, values in their record's order. On a single-valued field it is
//!   not meaningful; [`ResolveOptions::validate`](super::ResolveOptions::validate)
//!   reports it and the field's default rule is used.
//!
//! "Record order" is ascending record id, so the result never depends on
//! input order. The survivor's `record_id` and `origin` are those of its
//! smallest member, its `priority` the highest, and `do_not_contact` is set
//! when any member asked not to be contacted. Fields that belong together travel together: the name with
//! its keys, the id number with its type, the city with its province, the
//! address with its postcode, the education level with its rank, and all
//! salary parts. Every member value that is not the surviving one is kept
//! as a [`Conflict`], so lineage loses nothing. Source-specific `extra`
//! columns are merged by label in the KeepAll member order; a label with
//! differing values keeps the first and reports the others as conflicts of
//! field `extra.<label>`.

use std::borrow::Cow;
use std::cmp::Reverse;

use chrono::Datelike;

use serde::Deserialize;

use super::names::is_han;
use super::options::SurvivorshipOverrides;
use crate::model::PersonRecord;

/// How one field's surviving value is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The member with the latest `last_contact_at` wins.
    MostRecent,
    /// The longest or most informative value wins.
    MostComplete,
    /// The member with the highest source priority wins.
    SourcePriority,
    /// Every value of every member, deduplicated (list fields only).
    KeepAll,
}

/// One value that lost survivorship, with the record it came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Conflict {
    /// The entity's candidate id.
    pub candidate_id: String,
    /// Field name (`name`, `phones`, `extra.年龄`…).
    pub field: String,
    /// The value as text.
    pub value: String,
    /// The record that held it.
    pub record_id: String,
}

/// A field, or a group of fields that travel together, of the survivor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SurvivorField {
    /// `name` with `name_key` and `name_latin`.
    Name,
    /// `gender`.
    Gender,
    /// `birth_date`.
    BirthDate,
    /// `phones`.
    Phones,
    /// `phones_raw`.
    PhonesRaw,
    /// `emails`.
    Emails,
    /// `wechat`.
    Wechat,
    /// `id_number` with `id_type`.
    IdNumber,
    /// `city` with `province`.
    City,
    /// `address` with `postcode`.
    Address,
    /// `education` with `education_rank`.
    Education,
    /// `school`.
    School,
    /// `major`.
    Major,
    /// `years_experience`.
    YearsExperience,
    /// `current_company`.
    CurrentCompany,
    /// `current_title`.
    CurrentTitle,
    /// `skills`.
    Skills,
    /// `salary_min`, `salary_max`, `salary_months`, `salary_negotiable`, `salary_raw`.
    Salary,
    /// `source_channel`.
    SourceChannel,
    /// `latest_status`.
    LatestStatus,
    /// `last_contact_at`.
    LastContactAt,
    /// `notes`.
    Notes,
}

use SurvivorField as F;

impl SurvivorField {
    /// Every survivorship field.
    pub const ALL: [SurvivorField; 22] = [
        F::Name,
        F::Gender,
        F::BirthDate,
        F::Phones,
        F::PhonesRaw,
        F::Emails,
        F::Wechat,
        F::IdNumber,
        F::City,
        F::Address,
        F::Education,
        F::School,
        F::Major,
        F::YearsExperience,
        F::CurrentCompany,
        F::CurrentTitle,
        F::Skills,
        F::Salary,
        F::SourceChannel,
        F::LatestStatus,
        F::LastContactAt,
        F::Notes,
    ];

    /// The field's name in configuration and conflicts.
    pub fn name(self) -> &'static str {
        match self {
            F::Name => "name",
            F::Gender => "gender",
            F::BirthDate => "birth_date",
            F::Phones => "phones",
            F::PhonesRaw => "phones_raw",
            F::Emails => "emails",
            F::Wechat => "wechat",
            F::IdNumber => "id_number",
            F::City => "city",
            F::Address => "address",
            F::Education => "education",
            F::School => "school",
            F::Major => "major",
            F::YearsExperience => "years_experience",
            F::CurrentCompany => "current_company",
            F::CurrentTitle => "current_title",
            F::Skills => "skills",
            F::Salary => "salary",
            F::SourceChannel => "source_channel",
            F::LatestStatus => "latest_status",
            F::LastContactAt => "last_contact_at",
            F::Notes => "notes",
        }
    }

    /// True for list fields, where [`Rule::KeepAll`] applies.
    pub fn is_multi(self) -> bool {
        matches!(
            self,
            F::Phones | F::PhonesRaw | F::Emails | F::Skills | F::Notes
        )
    }

    /// The rule used when none is configured: keep-all for lists; source
    /// priority for identity (name, gender, birth date, id number);
    /// most complete for education, school and major; most recent for
    /// everything that changes over a career (contact ids, city, address,
    /// employer, title, experience, salary, status, channel).
    pub fn default_rule(self) -> Rule {
        match self {
            _ if self.is_multi() => Rule::KeepAll,
            F::Name | F::Gender | F::BirthDate | F::IdNumber => Rule::SourcePriority,
            F::Education | F::School | F::Major => Rule::MostComplete,
            _ => Rule::MostRecent,
        }
    }

    /// True when the record has the field, or any field of its group.
    fn present(self, r: &PersonRecord) -> bool {
        match self {
            F::Name => r.name.is_some() || r.name_key.is_some() || r.name_latin.is_some(),
            F::IdNumber => r.id_number.is_some() || r.id_type.is_some(),
            F::City => r.city.is_some() || r.details().province.is_some(),
            F::Address => r.details().address.is_some() || r.details().postcode.is_some(),
            F::Education => r.education.is_some() || r.education_rank.is_some(),
            F::Salary => {
                r.salary_min.is_some()
                    || r.salary_max.is_some()
                    || r.details().salary_months.is_some()
                    || r.salary_raw.is_some()
                    || r.salary_negotiable
            }
            _ if self.is_multi() => !self.values(r).is_empty(),
            _ => self.value(r).is_some(),
        }
    }

    /// The single value of the field as text, `None` when absent; borrowed
    /// where the record holds it as text (this runs for every member and
    /// field of every merged entity).
    fn value(self, r: &PersonRecord) -> Option<Cow<'_, str>> {
        fn s(v: &Option<Box<str>>) -> Option<Cow<'_, str>> {
            v.as_deref().map(Cow::Borrowed)
        }
        let owned = |v: Option<String>| v.map(Cow::Owned);
        match self {
            F::Name => s(&r.name),
            F::Gender => r.gender.map(Cow::Borrowed),
            F::BirthDate => owned(r.birth_date.map(|d| d.to_string())),
            F::Wechat => s(&r.wechat),
            F::IdNumber => s(&r.id_number),
            F::City => s(&r.city),
            F::Address => s(&r.details().address),
            F::Education => r.education.map(Cow::Borrowed),
            F::School => s(&r.school),
            F::Major => s(&r.major),
            F::YearsExperience => owned(r.years_experience.map(|y| y.to_string())),
            F::CurrentCompany => s(&r.current_company),
            F::CurrentTitle => s(&r.details().current_title),
            F::Salary => owned(salary_text(r)),
            F::SourceChannel => s(&r.source_channel),
            F::LatestStatus => r.latest_status.map(Cow::Borrowed),
            F::LastContactAt => owned(r.last_contact_at.map(|d| d.to_string())),
            F::Phones | F::PhonesRaw | F::Emails | F::Skills | F::Notes => {
                owned(Some(self.values(r).join("; ")).filter(|v| !v.is_empty()))
            }
        }
    }

    /// The values of a list field (empty for single-valued fields).
    fn values(self, r: &PersonRecord) -> &[String] {
        match self {
            F::Phones => &r.phones,
            F::PhonesRaw => &r.details().phones_raw,
            F::Emails => &r.emails,
            F::Skills => &r.details().skills,
            F::Notes => &r.notes,
            _ => &[],
        }
    }

    /// How complete or informative the value is; larger is better.
    fn completeness(self, r: &PersonRecord) -> i64 {
        let len = |v: &Option<Box<str>>| v.as_deref().map_or(0, |s| s.chars().count() as i64);
        match self {
            F::Name => {
                let hanzi = r.name.as_deref().is_some_and(|n| n.chars().any(is_han));
                i64::from(hanzi) * 1000 + len(&r.name)
            }
            F::Education => r.education_rank.map_or(0, i64::from) + 1,
            F::YearsExperience => r.years_experience.map_or(0, |y| (y * 100.0) as i64),
            F::Salary => [
                r.salary_min.is_some(),
                r.salary_max.is_some(),
                r.details().salary_months.is_some(),
                r.salary_raw.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count() as i64,
            _ if self.is_multi() => self.values(r).len() as i64,
            _ => self.value(r).map_or(0, |v| v.chars().count().max(1) as i64),
        }
    }

    /// Copies the field (group) from `from` into `to`.
    fn copy(self, from: &PersonRecord, to: &mut PersonRecord) {
        match self {
            F::Name => {
                to.name = from.name.clone();
                to.name_key = from.name_key.clone();
                to.name_latin = from.name_latin.clone();
            }
            F::Gender => to.gender = from.gender,
            F::BirthDate => to.birth_date = from.birth_date,
            F::Phones => to.phones = from.phones.clone(),
            F::PhonesRaw => to.details_mut().phones_raw = from.details().phones_raw.clone(),
            F::Emails => to.emails = from.emails.clone(),
            F::Wechat => to.wechat = from.wechat.clone(),
            F::IdNumber => {
                to.id_number = from.id_number.clone();
                to.id_type = from.id_type;
            }
            F::City => {
                to.city = from.city.clone();
                to.details_mut().province = from.details().province.clone();
            }
            F::Address => {
                let (from, to) = (from.details(), to.details_mut());
                to.address = from.address.clone();
                to.postcode = from.postcode.clone();
            }
            F::Education => {
                to.education = from.education;
                to.education_rank = from.education_rank;
            }
            F::School => to.school = from.school.clone(),
            F::Major => to.major = from.major.clone(),
            F::YearsExperience => to.years_experience = from.years_experience,
            F::CurrentCompany => to.current_company = from.current_company.clone(),
            F::CurrentTitle => {
                to.details_mut().current_title = from.details().current_title.clone()
            }
            F::Skills => to.details_mut().skills = from.details().skills.clone(),
            F::Salary => {
                to.salary_min = from.salary_min;
                to.salary_max = from.salary_max;
                to.details_mut().salary_months = from.details().salary_months;
                to.salary_negotiable = from.salary_negotiable;
                to.salary_raw = from.salary_raw.clone();
            }
            F::SourceChannel => to.source_channel = from.source_channel.clone(),
            F::LatestStatus => to.latest_status = from.latest_status,
            F::LastContactAt => to.last_contact_at = from.last_contact_at,
            F::Notes => to.notes = from.notes.clone(),
        }
    }

    fn set_values(self, to: &mut PersonRecord, values: Vec<String>) {
        match self {
            F::Phones => to.phones = values,
            F::PhonesRaw => to.details_mut().phones_raw = values,
            F::Emails => to.emails = values,
            F::Skills => to.details_mut().skills = values,
            F::Notes => to.notes = values,
            _ => {}
        }
    }
}

/// The salary as text: the raw cell if kept, else `min-max×months`.
fn salary_text(r: &PersonRecord) -> Option<String> {
    if let Some(raw) = &r.salary_raw {
        return Some(raw.to_string());
    }
    if r.salary_min.is_none() && r.salary_max.is_none() && !r.salary_negotiable {
        return None;
    }
    let n = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let months = r
        .details()
        .salary_months
        .map(|m| format!("×{m}"))
        .unwrap_or_default();
    let negotiable = if r.salary_negotiable {
        " negotiable"
    } else {
        ""
    };
    Some(format!(
        "{}-{}{months}{negotiable}",
        n(r.salary_min),
        n(r.salary_max)
    ))
}

/// Builds the surviving record of one entity from its members (sorted by
/// record id) and returns it with the conflicts, in field then member order.
pub fn survive(
    candidate_id: &str,
    members: &[&PersonRecord],
    rules: &SurvivorshipOverrides,
) -> (PersonRecord, Vec<Conflict>) {
    if let [only] = members {
        return (single((*only).clone(), candidate_id, rules), Vec::new());
    }
    survive_merged(candidate_id, members, rules)
}

/// The surviving record of a one-member entity, taking the record: every
/// field is its own and nothing conflicts; only keep-all lists are
/// deduplicated, as the general path does.
pub fn single(
    mut record: PersonRecord,
    candidate_id: &str,
    rules: &SurvivorshipOverrides,
) -> PersonRecord {
    record.candidate_id = candidate_id.to_string();
    for f in SurvivorField::ALL {
        if f.is_multi() && rules.rule(f) == Rule::KeepAll {
            let values = f.values(&record);
            let repeats = values
                .iter()
                .enumerate()
                .any(|(i, v)| values[..i].contains(v));
            if repeats {
                let mut seen: Vec<String> = Vec::new();
                for v in values {
                    if !seen.contains(v) {
                        seen.push(v.clone());
                    }
                }
                f.set_values(&mut record, seen);
            }
        }
    }
    record
}

/// The general survivorship path, for any number of members.
pub(super) fn survive_merged(
    candidate_id: &str,
    members: &[&PersonRecord],
    rules: &SurvivorshipOverrides,
) -> (PersonRecord, Vec<Conflict>) {
    let Some(first) = members.first() else {
        return (PersonRecord::default(), Vec::new());
    };
    // Start from the representative (smallest record id): every field group
    // below is overwritten from the member its rule picks, and a field this
    // module does not know about keeps the representative's value instead
    // of being dropped.
    let mut out = PersonRecord {
        candidate_id: candidate_id.to_string(),
        priority: members.iter().map(|m| m.priority).max().unwrap_or(0),
        // A do-not-contact request on any record binds the person.
        do_not_contact: members.iter().any(|m| m.do_not_contact),
        ..(*first).clone()
    };
    let mut conflicts = Vec::new();
    let mut conflict = |field: &str, value: String, record: &PersonRecord| {
        conflicts.push(Conflict {
            candidate_id: candidate_id.to_string(),
            field: field.to_string(),
            value,
            record_id: record.record_id.clone(),
        })
    };
    // KeepAll order: priority (highest first), then record order.
    let mut by_priority: Vec<(usize, &PersonRecord)> =
        members.iter().copied().enumerate().collect();
    by_priority.sort_by_key(|(i, m)| (Reverse(m.priority), *i));

    for f in SurvivorField::ALL {
        let rule = rules.rule(f);
        if f.is_multi() && rule == Rule::KeepAll {
            let mut all: Vec<String> = Vec::new();
            for (_, m) in &by_priority {
                for v in f.values(m) {
                    if !all.contains(v) {
                        all.push(v.clone());
                    }
                }
            }
            f.set_values(&mut out, all);
            continue;
        }
        // Sort key per rule, smaller is better; the last component is the
        // member's position in record order.
        let rank = |i: usize, m: &PersonRecord| -> (i64, i64, usize) {
            let priority = -i64::from(m.priority);
            let complete = -f.completeness(m);
            match rule {
                Rule::MostRecent => {
                    let date = m
                        .last_contact_at
                        .map_or(i64::MAX, |d| -i64::from(d.num_days_from_ce()));
                    (date, priority, i)
                }
                Rule::MostComplete => (complete, priority, i),
                Rule::SourcePriority | Rule::KeepAll => (priority, complete, i),
            }
        };
        let Some((_, chosen)) = members
            .iter()
            .enumerate()
            .filter(|(_, m)| f.present(m))
            .min_by_key(|(i, m)| rank(*i, m))
        else {
            continue;
        };
        let chosen = *chosen;
        f.copy(chosen, &mut out);
        let kept_value = f.value(chosen);
        for m in members {
            if std::ptr::eq(*m, chosen) {
                continue;
            }
            if f.is_multi() {
                let kept = f.values(chosen);
                for v in f.values(m) {
                    if !kept.contains(v) {
                        conflict(f.name(), v.clone(), m);
                    }
                }
            } else if let Some(v) = f.value(m)
                && Some(&v) != kept_value.as_ref()
            {
                conflict(f.name(), v.into_owned(), m);
            }
        }
    }

    let mut extra = crate::model::Extra::default();
    for (_, m) in &by_priority {
        for (label, value) in m.extra.iter() {
            match extra.get(label) {
                None => {
                    let shared = m.extra.label(label).expect("the member's own label");
                    extra.insert(shared.clone(), value);
                }
                Some(kept) if kept != value => {
                    conflict(&format!("extra.{label}"), value.to_string(), m)
                }
                Some(_) => {}
            }
        }
    }
    extra.shrink_to_fit();
    out.extra = extra;
    // Every member's applications stay with the person.
    let mut applied: Vec<(std::sync::Arc<str>, chrono::NaiveDate)> = members
        .iter()
        .flat_map(|m| m.applied.iter().cloned())
        .collect();
    applied.sort();
    applied.dedup();
    out.applied = applied;
    out.shrink_to_fit();
    (out, conflicts)
}

//! The conditions behind a recall list: which rules fire for a candidate,
//! and the standing conditions on the person (reachable, not opted out,
//! not hired or in process, not contacted within the cooldown), with the
//! contact history read as of the run's date.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{RecallRule, RecallSettings};
use crate::model::{ApplicationRecord, Dataset, PersonRecord, PositionRecord};

/// How long an application, or an agreement to interview, keeps someone
/// "in process" and off the lists.
const IN_PROCESS_DAYS: i64 = 90;

/// One candidate's contact history up to the as-of date.
#[derive(Debug, Default)]
pub(super) struct History<'a> {
    /// The latest dated contact on or before the as-of date.
    pub(super) last: Option<NaiveDate>,
    /// Joined, or agreed to an interview within [`IN_PROCESS_DAYS`]: off
    /// every list.
    pub(super) closed: bool,
    /// (position id, position title, when) of positions declined.
    declined: Vec<(Option<&'a str>, Option<&'a str>, Option<NaiveDate>)>,
}

impl<'a> History<'a> {
    /// Every candidate's history from the dataset's contact records.
    /// Contacts after `as_of` have not happened yet for this run; an
    /// undated outcome (a returned recall row without `outcome_at`) counts
    /// for what it decides, but starts no cooldown.
    pub(super) fn as_of(data: &'a Dataset, as_of: NaiveDate) -> BTreeMap<&'a str, History<'a>> {
        use crate::rules::contact::ContactOutcome as O;
        let mut out: BTreeMap<&str, History> = BTreeMap::new();
        for c in &data.contacts {
            let date = c.at.map(|t| t.date());
            if date.is_some_and(|d| d > as_of) {
                continue;
            }
            let h = out.entry(c.candidate_id.as_str()).or_default();
            h.last = h.last.max(date);
            let recent = date.is_none_or(|d| (as_of - d).num_days() < IN_PROCESS_DAYS);
            match c.result {
                Some(O::Joined) => h.closed = true,
                Some(O::AgreedToInterview) if recent => h.closed = true,
                Some(O::Declined) if c.position_id.is_some() || c.position.is_some() => h
                    .declined
                    .push((c.position_id.as_deref(), c.position.as_deref(), date)),
                _ => {}
            }
        }
        out
    }

    /// Whether the candidate declined this position since it was (re)opened:
    /// a decline from before a reopening does not speak for the new opening.
    pub(super) fn declined(&self, pos: &PositionRecord) -> bool {
        self.declined.iter().any(|(id, title, when)| {
            let same = match id {
                Some(id) => *id == pos.position_id,
                None => *title == Some(pos.title.as_str()),
            };
            let this_opening = match (when, pos.opened_at) {
                (Some(d), Some(opened)) => *d >= opened,
                _ => true,
            };
            same && this_opening
        })
    }
}

/// Standing conditions on the person: reachable, not opted out, not hired
/// or in process, not contacted within the cooldown.
pub(super) fn eligible_person(
    p: &PersonRecord,
    apps: &[&ApplicationRecord],
    last_contact: Option<NaiveDate>,
    s: &RecallSettings,
    as_of: NaiveDate,
) -> bool {
    if p.do_not_contact || p.latest_status == Some("lead") {
        return false;
    }
    // Hired, or still in an application process that started recently.
    let in_process = |a: &&ApplicationRecord| {
        a.status == Some("in_progress")
            && a.applied_at
                .is_some_and(|d| (as_of - d).num_days() < IN_PROCESS_DAYS)
    };
    if apps
        .iter()
        .any(|a| a.status == Some("hired") || in_process(a))
    {
        return false;
    }
    if p.phones.is_empty() && p.emails.is_empty() && p.wechat.is_none() {
        return false;
    }
    match last_contact {
        Some(d) => (as_of - d).num_days() >= s.cooldown_days,
        None => true,
    }
}

pub(super) fn rule_fires(
    r: &RecallRule,
    rejected: &[&&ApplicationRecord],
    best_eval: Option<f64>,
    tags: &[crate::score::Tag],
) -> bool {
    let mut checks: Vec<bool> = Vec::new();
    // Reason and type describe one rejection, so under `all` they must hold
    // together on the same application, not on two different ones.
    if !r.reasons.is_empty() || !r.types.is_empty() {
        let reason_ok = |a: &ApplicationRecord| {
            r.reasons.is_empty()
                || a.rejection_reason
                    .is_some_and(|c| r.reasons.iter().any(|x| x == c))
        };
        let type_ok = |a: &ApplicationRecord| {
            r.types.is_empty()
                || a.rejection_type
                    .is_some_and(|c| r.types.iter().any(|x| x == c))
        };
        let hit = if r.mode.as_deref() == Some("any") {
            rejected.iter().any(|a| {
                (!r.reasons.is_empty() && reason_ok(a)) || (!r.types.is_empty() && type_ok(a))
            })
        } else {
            rejected.iter().any(|a| reason_ok(a) && type_ok(a))
        };
        checks.push(hit);
    }
    if let Some(min) = r.min_evaluation {
        checks.push(best_eval.is_some_and(|e| e >= min));
    }
    if !r.tags.is_empty() {
        checks.push(tags.iter().any(|t| r.tags.contains(&t.code)));
    }
    match r.mode.as_deref() {
        Some("any") => checks.iter().any(|c| *c),
        _ => !checks.is_empty() && checks.iter().all(|c| *c),
    }
}

//! Recruiting metrics over applications: the stage funnel per position with
//! conversion rates, time to hire, source effectiveness, offer acceptance,
//! rejection reasons by stage and type (see [`super::rejections`]), and
//! cost per hire by channel.
//!
//! Legacy sheets record where an application *ended*, not every step it
//! passed, so the funnel counts an application at every step up to the
//! furthest one the data shows ([`furthest_step`]). All rates are fractions
//! 0–1 and `None` when their denominator is zero.

use foldhash::{HashMap, HashMapExt, HashSet};
use std::borrow::Borrow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::describe::DurationSummary;
use super::interviewers::{InterviewerConsistency, interviewer_consistency};
use super::rejections::{RejectionBreakdown, rejections_of};
use super::{Records, UNKNOWN};
use crate::model::{ApplicationRecord, EvaluationRecord};
use crate::rules::text::nfkc_clean;

/// A funnel step, in pipeline order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelStep {
    /// The application exists.
    Applied,
    /// It passed the resume screen.
    Screened,
    /// The candidate was interviewed.
    Interviewed,
    /// An offer was made.
    Offered,
    /// The candidate joined.
    Hired,
}

/// The furthest funnel step an application reached, from its stage, status,
/// dates, rejection reason and evaluations:
///
/// - stage `hired`, status `hired` or an onboarding date → hired;
/// - stage `offer`, or the rejection reason `offer_declined` → offered;
/// - stage `interview`, or any evaluation → interviewed, except a no-show
///   (`no_show` reason, no evaluation), which only passed the screen;
/// - stage `applied`/`screening` with status `passed`, or status `passed`
///   without a stage → screened;
/// - anything else (in screening, rejected at screening, no data) → applied.
///
/// Reaching a step counts the application at every earlier step too.
pub fn furthest_step(app: &ApplicationRecord, has_evaluation: bool) -> FunnelStep {
    let passed = app.status == Some("passed");
    let mut step = match app.stage {
        Some("hired") => FunnelStep::Hired,
        Some("offer") => FunnelStep::Offered,
        Some("interview") if app.rejection_reason == Some("no_show") && !has_evaluation => {
            FunnelStep::Screened
        }
        Some("interview") => FunnelStep::Interviewed,
        Some("applied" | "screening") | None if passed => FunnelStep::Screened,
        _ => FunnelStep::Applied,
    };
    if has_evaluation {
        step = step.max(FunnelStep::Interviewed);
    }
    if app.rejection_reason == Some("offer_declined") {
        step = step.max(FunnelStep::Offered);
    }
    if app.status == Some("hired") || app.onboard_at.is_some() {
        step = FunnelStep::Hired;
    }
    step
}

/// Applications counted at each step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FunnelCounts {
    /// Every application.
    pub applied: usize,
    /// Passed the screen or got further.
    pub screened: usize,
    /// Interviewed or got further.
    pub interviewed: usize,
    /// Offered or hired.
    pub offered: usize,
    /// Hired.
    pub hired: usize,
}

impl FunnelCounts {
    fn add(&mut self, step: FunnelStep) {
        self.applied += 1;
        self.screened += usize::from(step >= FunnelStep::Screened);
        self.interviewed += usize::from(step >= FunnelStep::Interviewed);
        self.offered += usize::from(step >= FunnelStep::Offered);
        self.hired += usize::from(step >= FunnelStep::Hired);
    }
}

/// Step-to-step conversion rates (0–1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Conversions {
    /// screened / applied (简历通过率).
    pub screened_of_applied: Option<f64>,
    /// interviewed / screened.
    pub interviewed_of_screened: Option<f64>,
    /// offered / interviewed.
    pub offered_of_interviewed: Option<f64>,
    /// hired / offered (入职率).
    pub hired_of_offered: Option<f64>,
    /// hired / applied (总体转化率).
    pub hired_of_applied: Option<f64>,
}

/// `num / den`, or `None` when `den` is zero.
pub(crate) fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Conversions {
    /// The conversions of a set of counts.
    pub fn of(c: &FunnelCounts) -> Conversions {
        Conversions {
            screened_of_applied: ratio(c.screened, c.applied),
            interviewed_of_screened: ratio(c.interviewed, c.screened),
            offered_of_interviewed: ratio(c.offered, c.interviewed),
            hired_of_offered: ratio(c.hired, c.offered),
            hired_of_applied: ratio(c.hired, c.applied),
        }
    }
}

/// The funnel of one position (or of everything).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FunnelRow {
    /// Position id, else the cleaned title, else `(unknown)`; `all` for the total.
    pub key: String,
    /// First title seen for the position.
    pub position: Option<String>,
    /// First department seen for the position.
    pub department: Option<String>,
    /// Counts per step.
    pub counts: FunnelCounts,
    /// Conversion rates.
    pub conversions: Conversions,
}

/// The funnel overall and per position.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FunnelReport {
    /// Every application.
    pub total: FunnelRow,
    /// Per position, by key, `(unknown)` last.
    pub positions: Vec<FunnelRow>,
}

/// Each application paired with its furthest step, computed in parallel.
pub(super) fn steps<'a, A: Records<ApplicationRecord>, E: Records<EvaluationRecord>>(
    applications: &'a [A],
    evaluations: &[E],
) -> Vec<(&'a ApplicationRecord, FunnelStep)> {
    let evaluated: HashSet<&str> = evaluations
        .iter()
        .map(|e| e.borrow().application_id.as_str())
        .collect();
    applications
        .par_iter()
        .map(|a| {
            let a = a.borrow();
            (
                a,
                furthest_step(a, evaluated.contains(a.application_id.as_str())),
            )
        })
        .collect()
}

/// A cleaned, non-empty label, or `(unknown)`.
fn label(raw: Option<&str>) -> String {
    raw.map(nfkc_clean)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| UNKNOWN.to_string())
}

/// Groups items by the [`label`] of their raw key, `(unknown)` sorted
/// last, each group's items in their input order.
///
/// Items are gathered by raw key first and each distinct raw key is
/// cleaned once: a million applications name a few hundred positions.
fn grouped<'k, T>(items: impl Iterator<Item = (Option<&'k str>, T)>) -> Vec<(String, Vec<T>)> {
    let mut by_raw: HashMap<Option<&'k str>, Vec<(usize, T)>> = HashMap::new();
    for (i, (raw, item)) in items.enumerate() {
        by_raw.entry(raw).or_default().push((i, item));
    }
    // (unknown last, label) → the raw keys' items, each with its position.
    type Parts<T> = Vec<Vec<(usize, T)>>;
    let mut map: BTreeMap<(bool, String), Parts<T>> = BTreeMap::new();
    for (raw, items) in by_raw {
        let key = label(raw);
        map.entry((key == UNKNOWN, key)).or_default().push(items);
    }
    map.into_iter()
        .map(|((_, k), parts)| {
            let mut items: Vec<(usize, T)> = parts.into_iter().flatten().collect();
            items.sort_unstable_by_key(|(i, _)| *i);
            (k, items.into_iter().map(|(_, t)| t).collect())
        })
        .collect()
}

fn funnel_row(key: String, apps: &[(&ApplicationRecord, FunnelStep)]) -> FunnelRow {
    let mut counts = FunnelCounts::default();
    for (_, step) in apps {
        counts.add(*step);
    }
    let first = |f: fn(&ApplicationRecord) -> Option<&String>| {
        apps.iter()
            .find_map(|(a, _)| f(a).map(|s| nfkc_clean(s)).filter(|s| !s.is_empty()))
    };
    FunnelRow {
        key,
        position: first(|a| a.position.as_ref()),
        department: first(|a| a.department.as_ref()),
        conversions: Conversions::of(&counts),
        counts,
    }
}

/// The funnel over all applications and per position, positions in parallel.
pub fn funnel<A: Records<ApplicationRecord>, E: Records<EvaluationRecord>>(
    applications: &[A],
    evaluations: &[E],
) -> FunnelReport {
    funnel_of(&steps(applications, evaluations))
}

/// [`funnel`] of applications with their furthest steps.
fn funnel_of(steps: &[(&ApplicationRecord, FunnelStep)]) -> FunnelReport {
    let groups = grouped(
        steps
            .iter()
            .map(|&(a, s)| (a.position_id.as_deref().or(a.position.as_deref()), (a, s))),
    );
    let positions = groups
        .into_par_iter()
        .map(|(key, apps)| funnel_row(key, &apps))
        .collect();
    let mut total = funnel_row("all".to_string(), steps);
    total.position = None;
    total.department = None;
    FunnelReport { total, positions }
}

/// Days from application to onboarding, over applications with both dates.
/// An onboarding date before the application date is a data error and is
/// counted in `excluded`.
pub fn time_to_hire<A: Borrow<ApplicationRecord>>(applications: &[A]) -> DurationSummary {
    let mut days = Vec::new();
    let mut excluded = 0;
    for a in applications.iter().map(Borrow::borrow) {
        if let (Some(applied), Some(onboard)) = (a.applied_at, a.onboard_at) {
            let d = (onboard - applied).num_days();
            if d < 0 {
                excluded += 1;
            } else {
                days.push(d as f64);
            }
        }
    }
    DurationSummary::from_values("days", &days, excluded)
}

/// Results of one source channel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceRow {
    /// The channel as cleaned text, or `(unknown)`.
    pub channel: String,
    /// Applications from the channel.
    pub applicants: usize,
    /// Of those, interviewed or further.
    pub interviews: usize,
    /// Offered or hired.
    pub offers: usize,
    /// Hired.
    pub hires: usize,
    /// hires / applicants.
    pub hire_rate: Option<f64>,
}

/// Applicants, interviews, offers and hires per source channel, channels in
/// parallel, sorted by channel with `(unknown)` last.
pub fn source_effectiveness<A: Records<ApplicationRecord>, E: Records<EvaluationRecord>>(
    applications: &[A],
    evaluations: &[E],
) -> Vec<SourceRow> {
    sources_of(&steps(applications, evaluations))
}

/// [`source_effectiveness`] of applications with their furthest steps.
fn sources_of(steps: &[(&ApplicationRecord, FunnelStep)]) -> Vec<SourceRow> {
    let groups = grouped(steps.iter().map(|&(a, s)| (a.source_channel.as_deref(), s)));
    groups
        .into_par_iter()
        .map(|(channel, steps)| {
            let mut c = FunnelCounts::default();
            steps.iter().for_each(|&s| c.add(s));
            SourceRow {
                channel,
                applicants: c.applied,
                interviews: c.interviewed,
                offers: c.offered,
                hires: c.hired,
                hire_rate: ratio(c.hired, c.applied),
            }
        })
        .collect()
}

/// Offers and how they ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct OfferAcceptance {
    /// Applications that reached the offer step.
    pub offers: usize,
    /// Hired, or status `passed` at the offer stage (接受offer).
    pub accepted: usize,
    /// Not accepted and ended by the candidate: status `declined`, reason
    /// `offer_declined` or rejection type `candidate_declined`.
    pub declined: usize,
    /// Neither yet (open offers, withdrawn by us, no data).
    pub pending: usize,
    /// accepted / (accepted + declined); open offers are not in the
    /// denominator because their answer is not known yet.
    pub rate: Option<f64>,
}

/// Offer acceptance rate = accepted / (accepted + declined).
pub fn offer_acceptance<A: Records<ApplicationRecord>, E: Records<EvaluationRecord>>(
    applications: &[A],
    evaluations: &[E],
) -> OfferAcceptance {
    offers_of(&steps(applications, evaluations))
}

/// [`offer_acceptance`] of applications with their furthest steps.
fn offers_of(steps: &[(&ApplicationRecord, FunnelStep)]) -> OfferAcceptance {
    let mut out = OfferAcceptance::default();
    for &(a, step) in steps {
        if step < FunnelStep::Offered {
            continue;
        }
        out.offers += 1;
        if step == FunnelStep::Hired || (a.stage == Some("offer") && a.status == Some("passed")) {
            out.accepted += 1;
        } else if a.status == Some("declined")
            || a.rejection_reason == Some("offer_declined")
            || a.rejection_type == Some("candidate_declined")
        {
            out.declined += 1;
        } else {
            out.pending += 1;
        }
    }
    out.rate = ratio(out.accepted, out.accepted + out.declined);
    out
}

/// Spending and results of one channel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostRow {
    /// Channel as in [`SourceRow::channel`].
    pub channel: String,
    /// Spend on the channel; `None` when not given.
    pub cost: Option<f64>,
    /// Applications from the channel.
    pub applicants: usize,
    /// Hires from the channel.
    pub hires: usize,
    /// cost / applicants (成本/简历).
    pub cost_per_applicant: Option<f64>,
    /// cost / hires (成本/入职); `None` without hires.
    pub cost_per_hire: Option<f64>,
}

/// Cost per applicant and per hire for every channel with applications or
/// a cost. Channel names match after NFKC and lowercasing, so `BOSS直聘`
/// and `boss直聘` are one channel. Channels with a cost but no applications
/// are listed with zero applicants so unproductive spend is visible.
pub fn cost_per_hire(sources: &[SourceRow], costs: &BTreeMap<String, f64>) -> Vec<CostRow> {
    let key = |s: &str| nfkc_clean(s).to_lowercase();
    let per = |cost: Option<f64>, n: usize| cost.filter(|_| n > 0).map(|c| c / n as f64);
    let mut costs_by_key: BTreeMap<String, (&str, f64)> = costs
        .iter()
        .map(|(channel, &cost)| (key(channel), (channel.as_str(), cost)))
        .collect();
    let mut rows: Vec<CostRow> = sources
        .iter()
        .map(|s| {
            let cost = costs_by_key.remove(&key(&s.channel)).map(|(_, c)| c);
            CostRow {
                channel: s.channel.clone(),
                cost,
                applicants: s.applicants,
                hires: s.hires,
                cost_per_applicant: per(cost, s.applicants),
                cost_per_hire: per(cost, s.hires),
            }
        })
        .collect();
    rows.extend(costs_by_key.into_values().map(|(channel, cost)| CostRow {
        channel: nfkc_clean(channel),
        cost: Some(cost),
        applicants: 0,
        hires: 0,
        cost_per_applicant: None,
        cost_per_hire: None,
    }));
    rows
}

/// Every recruiting metric in one serializable value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RecruitingReport {
    /// Funnel overall and per position.
    pub funnel: FunnelReport,
    /// Application to onboarding, in days.
    pub time_to_hire: DurationSummary,
    /// Per source channel.
    pub sources: Vec<SourceRow>,
    /// Offer outcomes.
    pub offer_acceptance: OfferAcceptance,
    /// Rejection reasons by stage and type.
    pub rejections: RejectionBreakdown,
    /// Score spread in interview panels and per-interviewer deviation.
    pub interviewers: InterviewerConsistency,
    /// Cost per applicant and hire by channel.
    pub costs: Vec<CostRow>,
}

/// Computes every recruiting metric, independent parts in parallel.
///
/// The records may be owned or borrowed (`&[ApplicationRecord]` or
/// `&[&ApplicationRecord]`), so a report over a period filters references
/// instead of copying the records.
pub fn recruiting_report<A: Records<ApplicationRecord>, E: Records<EvaluationRecord>>(
    applications: &[A],
    evaluations: &[E],
    costs: &BTreeMap<String, f64>,
) -> RecruitingReport {
    recruiting(applications, evaluations, costs, true)
}

/// [`recruiting_report`] without the panel figures (`interviewers` left
/// empty), for a caller that groups panels its own way: the management
/// report regroups them across application records, once for all scopes.
pub fn recruiting_figures<A: Records<ApplicationRecord>, E: Records<EvaluationRecord>>(
    applications: &[A],
    evaluations: &[E],
    costs: &BTreeMap<String, f64>,
) -> RecruitingReport {
    recruiting(applications, evaluations, costs, false)
}

fn recruiting<A: Records<ApplicationRecord>, E: Records<EvaluationRecord>>(
    applications: &[A],
    evaluations: &[E],
    costs: &BTreeMap<String, f64>,
    panels: bool,
) -> RecruitingReport {
    // Every application's furthest step, once for all the figures.
    let steps = steps(applications, evaluations);
    let ((funnel, sources), (interviewers, (rejections, offer))) = rayon::join(
        || rayon::join(|| funnel_of(&steps), || sources_of(&steps)),
        || {
            rayon::join(
                || {
                    if panels {
                        interviewer_consistency(evaluations)
                    } else {
                        InterviewerConsistency::default()
                    }
                },
                || (rejections_of(&steps), offers_of(&steps)),
            )
        },
    );
    RecruitingReport {
        costs: cost_per_hire(&sources, costs),
        time_to_hire: time_to_hire(applications),
        funnel,
        sources,
        offer_acceptance: offer,
        rejections,
        interviewers,
    }
}

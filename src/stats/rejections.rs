//! Rejection reasons by the stage the application ended at and by who ended
//! it (we rejected / the candidate declined / other), following the
//! two-level taxonomy of [`crate::rules::reason`]. Odoo keeps the last stage
//! of a refused application for this "lost cases" analysis; here the
//! recorded stage plays that role.

use std::collections::BTreeMap;

use serde::Serialize;

use super::funnel::{FunnelStep, furthest_step, steps};
use super::{Records, UNKNOWN};
use crate::model::{ApplicationRecord, EvaluationRecord};

/// How often one reason was given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReasonCount {
    /// Reason code, or `unspecified`.
    pub reason: String,
    /// Applications.
    pub count: usize,
}

/// Rejection reasons under one stage or type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReasonGroup {
    /// Stage code or rejection type code, or `(unknown)`.
    pub key: String,
    /// Applications in the group.
    pub total: usize,
    /// Most frequent first, ties by code.
    pub reasons: Vec<ReasonCount>,
}

/// Rejections broken down by the stage they happened at and by who ended
/// the process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RejectionBreakdown {
    /// Pipeline order: applied, screening, interview, offer, then `(unknown)`.
    pub by_stage: Vec<ReasonGroup>,
    /// we_rejected, candidate_declined, other, then `(unknown)`.
    pub by_type: Vec<ReasonGroup>,
}

const STAGE_ORDER: &[&str] = &["applied", "screening", "interview", "offer", "hired"];
const TYPE_ORDER: &[&str] = &["we_rejected", "candidate_declined", "other"];

/// Counts rejection reasons for every application that ended without a hire
/// and has a reason or a `rejected`/`declined` status. Applications without
/// a reason are counted as `unspecified`; a missing type is taken from the
/// status (rejected → we_rejected, declined → candidate_declined). The stage
/// is the application's recorded stage, i.e. where it ended.
pub fn rejection_reasons(applications: &[ApplicationRecord]) -> RejectionBreakdown {
    rejection_reasons_with::<_, EvaluationRecord>(applications, &[])
}

/// [`rejection_reasons`], where an application without a recorded stage is
/// put at the furthest step its data shows (an evaluation means it got to
/// the interview; a reason about the interview — its performance, culture
/// fit, a no-show — puts it at the interview, a declined offer at the
/// offer): legacy sheets record an outcome and a reason but rarely the
/// stage.
pub fn rejection_reasons_with<A: Records<ApplicationRecord>, E: Records<EvaluationRecord>>(
    applications: &[A],
    evaluations: &[E],
) -> RejectionBreakdown {
    rejections_of(&steps(applications, evaluations))
}

/// [`rejection_reasons_with`] of applications with their furthest steps
/// (see [`steps`]).
pub(super) fn rejections_of(steps: &[(&ApplicationRecord, FunnelStep)]) -> RejectionBreakdown {
    type Counts<'a> = BTreeMap<(usize, &'a str), BTreeMap<&'a str, usize>>;
    let mut by_stage: Counts = BTreeMap::new();
    let mut by_type: Counts = BTreeMap::new();
    for &(a, furthest) in steps {
        let ended = matches!(a.status, Some("rejected" | "declined"));
        if furthest_step(a, false) == FunnelStep::Hired || !(ended || a.rejection_reason.is_some())
        {
            continue;
        }
        let reason = a.rejection_reason.unwrap_or("unspecified");
        let kind = a.rejection_type.or(match a.status {
            Some("rejected") => Some("we_rejected"),
            Some("declined") => Some("candidate_declined"),
            _ => None,
        });
        let stage = a.stage.or_else(|| {
            // A reason about the interview says the application got there.
            let implied = match a.rejection_reason {
                Some("interview_performance" | "culture_fit" | "no_show") => {
                    FunnelStep::Interviewed
                }
                Some("offer_declined") => FunnelStep::Offered,
                _ => FunnelStep::Applied,
            };
            let step = furthest.max(implied);
            Some(match step {
                FunnelStep::Applied => "applied",
                FunnelStep::Screened => "screening",
                FunnelStep::Interviewed => "interview",
                FunnelStep::Offered => "offer",
                FunnelStep::Hired => "hired",
            })
        });
        for (map, order, key) in [
            (&mut by_stage, STAGE_ORDER, stage),
            (&mut by_type, TYPE_ORDER, kind),
        ] {
            let key = key.unwrap_or(UNKNOWN);
            let rank = order.iter().position(|k| *k == key).unwrap_or(order.len());
            *map.entry((rank, key))
                .or_default()
                .entry(reason)
                .or_default() += 1;
        }
    }
    let finish = |map: Counts| {
        map.into_iter()
            .map(|((_, key), reasons)| {
                let key = key.to_string();
                let mut reasons: Vec<ReasonCount> = reasons
                    .into_iter()
                    .map(|(reason, count)| ReasonCount {
                        reason: reason.to_string(),
                        count,
                    })
                    .collect();
                reasons.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
                ReasonGroup {
                    key,
                    total: reasons.iter().map(|r| r.count).sum(),
                    reasons,
                }
            })
            .collect()
    };
    RejectionBreakdown {
        by_stage: finish(by_stage),
        by_type: finish(by_type),
    }
}

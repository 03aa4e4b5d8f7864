//! Interviewer consistency: how far apart the scores of one interview panel
//! are, and whether an interviewer scores systematically above or below the
//! rest of the panels they sit on.
//!
//! A panel is the set of interviewers who evaluated one application; only
//! applications with at least two distinct interviewers form one. When an
//! interviewer evaluated the same application more than once (two rounds),
//! their scores per dimension are averaged first, so every person has one
//! voice per panel. A dimension is compared only where at least two panel
//! members scored it.
//!
//! An interviewer's deviation on one panel dimension is their score minus the
//! panel mean (their own score included, so a two-person panel splits its gap
//! evenly). The mean signed deviation shows leniency (> 0) or severity (< 0);
//! the mean absolute deviation shows how far from consensus they usually are.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::describe::{mean, sample_sd};
use crate::model::EvaluationRecord;
use crate::rules::text::nfkc_clean;

/// The scored dimensions of an evaluation, with their report names.
pub const DIMENSIONS: [&str; 6] = [
    "technical",
    "business",
    "communication",
    "teamwork",
    "culture",
    "overall",
];

fn scores(e: &EvaluationRecord) -> [Option<f64>; 6] {
    [
        e.technical,
        e.business,
        e.communication,
        e.teamwork,
        e.culture,
        e.overall,
    ]
}

/// The spread of one dimension on one panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DimensionSpread {
    /// One of [`DIMENSIONS`].
    pub dimension: &'static str,
    /// Interviewers who scored it.
    pub n: usize,
    /// Panel mean.
    pub mean: f64,
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
    /// max − min.
    pub spread: f64,
    /// Sample standard deviation of the interviewers' scores.
    pub sd: f64,
}

/// One application's panel.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PanelSpread {
    /// The application evaluated.
    pub application_id: String,
    /// Distinct interviewers, sorted.
    pub interviewers: Vec<String>,
    /// Dimensions scored by two or more of them, in [`DIMENSIONS`] order.
    pub dimensions: Vec<DimensionSpread>,
    /// The largest spread over the dimensions; `None` when none compares.
    pub max_spread: Option<f64>,
}

/// One interviewer's deviation from the panels they sat on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InterviewerBias {
    /// Interviewer name, NFKC-cleaned.
    pub interviewer: String,
    /// Panels (applications) counted.
    pub panels: usize,
    /// Dimension scores compared.
    pub scores: usize,
    /// Mean of (own score − panel mean).
    pub mean_deviation: f64,
    /// Mean of |own score − panel mean|.
    pub mean_abs_deviation: f64,
}

/// Panel spreads and per-interviewer deviations.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct InterviewerConsistency {
    /// Panels by application id.
    pub panels: Vec<PanelSpread>,
    /// Interviewers by name.
    pub interviewers: Vec<InterviewerBias>,
}

/// One panel's spreads and each member's (dimension) deviations.
type PanelResult = (PanelSpread, Vec<(String, Vec<f64>)>);

fn panel(application_id: &str, evaluations: &[&EvaluationRecord]) -> Option<PanelResult> {
    // A panel needs two interviewers, so two evaluations at least: most
    // applications have one, and are passed over without reading it.
    if evaluations.len() < 2 {
        return None;
    }
    // interviewer → per dimension the scores they gave on this application.
    let mut by_person: BTreeMap<String, [Vec<f64>; 6]> = BTreeMap::new();
    for e in evaluations {
        let Some(name) = e.interviewer.as_deref().map(nfkc_clean) else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let slots = by_person.entry(name).or_default();
        for (slot, score) in slots.iter_mut().zip(scores(e)) {
            slot.extend(score.filter(|s| s.is_finite()));
        }
    }
    if by_person.len() < 2 {
        return None;
    }
    // interviewer → per dimension their averaged score.
    let voices: Vec<(String, [Option<f64>; 6])> = by_person
        .into_iter()
        .map(|(name, slots)| (name, slots.map(|s| mean(&s))))
        .collect();
    let mut dimensions = Vec::new();
    let mut deviations: Vec<(String, Vec<f64>)> = voices
        .iter()
        .map(|(n, _)| (n.clone(), Vec::new()))
        .collect();
    for (d, dimension) in DIMENSIONS.iter().enumerate() {
        let given: Vec<(usize, f64)> = voices
            .iter()
            .enumerate()
            .filter_map(|(i, (_, v))| v[d].map(|s| (i, s)))
            .collect();
        if given.len() < 2 {
            continue;
        }
        let values: Vec<f64> = given.iter().map(|&(_, s)| s).collect();
        let m = mean(&values)?;
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for &(i, s) in &given {
            deviations[i].1.push(s - m);
        }
        dimensions.push(DimensionSpread {
            dimension,
            n: values.len(),
            mean: m,
            min,
            max,
            spread: max - min,
            sd: sample_sd(&values)?,
        });
    }
    let max_spread = dimensions.iter().map(|d| d.spread).reduce(f64::max);
    let spread = PanelSpread {
        application_id: application_id.to_string(),
        interviewers: voices.into_iter().map(|(n, _)| n).collect(),
        dimensions,
        max_spread,
    };
    Some((spread, deviations))
}

/// Panel spreads for every application with two or more interviewers, and
/// each interviewer's mean deviation from their panels. Panels are computed
/// in parallel; output is sorted by application id and interviewer name.
pub fn interviewer_consistency<E: super::Records<EvaluationRecord>>(
    evaluations: &[E],
) -> InterviewerConsistency {
    panel_consistency(
        evaluations
            .iter()
            .map(std::borrow::Borrow::borrow)
            .map(|e: &EvaluationRecord| (e.application_id.as_str(), e)),
    )
}

/// [`interviewer_consistency`] with each evaluation's panel given beside
/// it instead of read from its application id, for panels regrouped across
/// application records. Evaluations keep their given order within a panel.
pub fn panel_consistency<'a>(
    keyed: impl IntoIterator<Item = (&'a str, &'a EvaluationRecord)>,
) -> InterviewerConsistency {
    let mut by_app: foldhash::HashMap<&str, Vec<&EvaluationRecord>> = Default::default();
    for (key, e) in keyed {
        by_app.entry(key).or_default().push(e);
    }
    let mut apps: Vec<(&str, Vec<&EvaluationRecord>)> = by_app.into_iter().collect();
    apps.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
    let results: Vec<PanelResult> = apps
        .par_iter()
        .filter_map(|(app, evals)| panel(app, evals))
        .collect();
    drop(apps);
    // interviewer → (panels, deviations)
    let mut people: BTreeMap<String, (usize, Vec<f64>)> = BTreeMap::new();
    let mut panels = Vec::with_capacity(results.len());
    for (spread, deviations) in results {
        for (name, devs) in deviations {
            if devs.is_empty() {
                continue;
            }
            let entry = people.entry(name).or_default();
            entry.0 += 1;
            entry.1.extend(devs);
        }
        panels.push(spread);
    }
    let interviewers = people
        .into_iter()
        .map(|(interviewer, (panels, devs))| {
            let abs: Vec<f64> = devs.iter().map(|d| d.abs()).collect();
            InterviewerBias {
                interviewer,
                panels,
                scores: devs.len(),
                mean_deviation: mean(&devs).unwrap_or(0.0),
                mean_abs_deviation: mean(&abs).unwrap_or(0.0),
            }
        })
        .collect();
    InterviewerConsistency {
        panels,
        interviewers,
    }
}

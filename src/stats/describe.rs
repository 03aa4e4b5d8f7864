//! Descriptive statistics for survey scores and durations: n, mean, sample
//! standard deviation, 95 % confidence interval of the mean, median and
//! percentiles, per-point distribution, top-2-box, NPS, response rate, and
//! the time from the last interview to the decision notice.
//!
//! Everything is a pure function of its input. Non-finite values are
//! ignored; empty input gives `None` figures rather than zeros so a report
//! can tell "no data" from "zero".
//!
//! The confidence interval uses Student's t with n − 1 degrees of freedom.
//! Its critical value comes from a table for df ≤ 30, where survey groups
//! usually are and where every approximation is weakest, and from the
//! Cornish–Fisher expansion beyond; see [`t_critical_95`].

use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::survey::{Polarity, Question, Scale, SurveyResponse};
use crate::model::EvaluationRecord;

/// t_{0.975} for df = 1..=30, to 10 significant digits, from inverting the
/// Student t distribution function (regularized incomplete beta) in
/// 30-digit arithmetic.
const T975: [f64; 30] = [
    12.70620474,
    4.302652730,
    3.182446305,
    2.776445105,
    2.570581836,
    2.446911851,
    2.364624252,
    2.306004135,
    2.262157163,
    2.228138852,
    2.200985160,
    2.178812830,
    2.160368656,
    2.144786688,
    2.131449546,
    2.119905299,
    2.109815578,
    2.100922040,
    2.093024054,
    2.085963447,
    2.079613845,
    2.073873068,
    2.068657610,
    2.063898562,
    2.059538553,
    2.055529439,
    2.051830516,
    2.048407142,
    2.045229642,
    2.042272456,
];

/// The standard normal 0.975 quantile.
const Z975: f64 = 1.959_963_984_540_054;

/// The two-sided 95 % critical value of Student's t with `df` degrees of
/// freedom (the 0.975 quantile); `None` for df = 0.
///
/// df ≤ 30 reads the table above. Beyond, the Cornish–Fisher expansion of
/// the t quantile around the normal one (Abramowitz & Stegun 26.7.5, terms
/// to 1/df⁴) is used. Checked against exact quantiles, its error is below
/// 3·10⁻⁸ for every df > 30 (2.6·10⁻⁸ at df = 31, 7·10⁻¹¹ at df = 100),
/// far below the 3-decimal precision of any report, while at df = 3 the
/// same expansion would be off by 0.004 — which is why small df use the table.
pub fn t_critical_95(df: usize) -> Option<f64> {
    match df {
        0 => None,
        1..=30 => Some(T975[df - 1]),
        _ => {
            let (z, v) = (Z975, df as f64);
            let z2 = z * z;
            let g1 = z * (z2 + 1.0) / 4.0;
            let g2 = z * ((5.0 * z2 + 16.0) * z2 + 3.0) / 96.0;
            let g3 = z * (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) / 384.0;
            let g4 =
                z * ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) / 92160.0;
            Some(z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v))
        }
    }
}

/// A closed interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// Location and spread of a sample.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Number of finite values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: Option<f64>,
    /// Sample standard deviation (n − 1 denominator); needs n ≥ 2.
    pub sd: Option<f64>,
    /// mean ± t_{0.975, n−1} · sd / √n; needs n ≥ 2.
    pub ci95: Option<Interval>,
    /// The 50th percentile (see [`percentile`]).
    pub median: Option<f64>,
}

fn finite(values: &[f64]) -> Vec<f64> {
    values.iter().copied().filter(|v| v.is_finite()).collect()
}

/// The arithmetic mean of the finite values.
pub fn mean(values: &[f64]) -> Option<f64> {
    let v = finite(values);
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The sample standard deviation (n − 1 denominator) of the finite values.
pub fn sample_sd(values: &[f64]) -> Option<f64> {
    let v = finite(values);
    let m = mean(&v)?;
    (v.len() >= 2).then(|| {
        let ss: f64 = v.iter().map(|x| (x - m) * (x - m)).sum();
        (ss / (v.len() - 1) as f64).sqrt()
    })
}

/// The 95 % confidence interval of the mean, mean ± t_{0.975, n−1}·sd/√n.
/// `None` below two values: one value says nothing about the spread.
pub fn ci95_mean(values: &[f64]) -> Option<Interval> {
    let v = finite(values);
    let (m, sd) = (mean(&v)?, sample_sd(&v)?);
    let half = t_critical_95(v.len() - 1)? * sd / (v.len() as f64).sqrt();
    Some(Interval {
        low: m - half,
        high: m + half,
    })
}

/// The `p`-quantile (0 ≤ p ≤ 1) by linear interpolation between order
/// statistics: with the values sorted as x₀ … x_{n−1}, h = (n − 1)·p and
/// the result is x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋+1 − x_⌊h⌋). This is Hyndman–Fan
/// type 7, Excel's PERCENTILE.INC and NumPy's default, so the figures
/// match what a manager gets by recomputing in a spreadsheet. For 1…10 it
/// gives p90 = 9.1. `None` for empty input or p outside [0, 1].
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut v = finite(values);
    if v.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    Some(v[lo] + (h - lo as f64) * (v[hi] - v[lo]))
}

/// The median: [`percentile`] at 0.5 (the middle value, or the mean of the
/// two middle values).
pub fn median(values: &[f64]) -> Option<f64> {
    percentile(values, 0.5)
}

/// n, mean, sd, 95 % CI and median of the finite values.
pub fn summarize(values: &[f64]) -> Summary {
    let v = finite(values);
    Summary {
        n: v.len(),
        mean: mean(&v),
        sd: sample_sd(&v),
        ci95: ci95_mean(&v),
        median: median(&v),
    }
}

/// How many answers gave one scale point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PointCount {
    /// The scale point.
    pub point: u8,
    /// Answers giving it.
    pub count: usize,
}

/// Counts per point of `scale`, every point listed (zeros included) in
/// ascending order; values that are not a point of the scale are not counted.
pub fn distribution(scores: &[f64], scale: Scale) -> Vec<PointCount> {
    let Some((lo, hi)) = scale.bounds() else {
        return Vec::new();
    };
    (lo..=hi)
        .map(|point| PointCount {
            point,
            count: scores.iter().filter(|&&s| s == f64::from(point)).count(),
        })
        .collect()
}

/// Percentage (0–100) of five-point answers that are 4 or 5 ("agree" or
/// "strongly agree"); `None` for no answers.
pub fn top2box_pct(scores: &[f64]) -> Option<f64> {
    let v = finite(scores);
    let top = v.iter().filter(|&&s| s >= 4.0).count();
    (!v.is_empty()).then(|| 100.0 * top as f64 / v.len() as f64)
}

/// Net Promoter Score of 0–10 answers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Nps {
    /// Answers counted.
    pub n: usize,
    /// 9–10.
    pub promoters: usize,
    /// 7–8.
    pub passives: usize,
    /// 0–6.
    pub detractors: usize,
    /// % promoters − % detractors, from −100 to 100.
    pub score: f64,
}

/// NPS of 0–10 answers: promoters 9–10, passives 7–8, detractors 0–6,
/// score = 100·(promoters − detractors)/n. All promoters give 100, all
/// detractors −100; no answers give `None`. Values off the 0–10 scale are
/// not counted.
pub fn nps(scores: &[f64]) -> Option<Nps> {
    let v: Vec<f64> = scores
        .iter()
        .copied()
        .filter(|&s| Scale::Nps0to10.accepts(s))
        .collect();
    if v.is_empty() {
        return None;
    }
    let promoters = v.iter().filter(|&&s| s >= 9.0).count();
    let detractors = v.iter().filter(|&&s| s <= 6.0).count();
    Some(Nps {
        n: v.len(),
        promoters,
        passives: v.len() - promoters - detractors,
        detractors,
        score: 100.0 * (promoters as f64 - detractors as f64) / v.len() as f64,
    })
}

/// Surveys sent and answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ResponseRate {
    /// Distinct response ids with a send time.
    pub sent: usize,
    /// Of those, the ones answered.
    pub answered: usize,
    /// answered / sent (0–1); `None` when nothing was sent.
    pub rate: Option<f64>,
}

/// Response rate = answered / sent, counted per distinct `response_id`
/// (a survey is one send however many questions it has). A survey is sent
/// when any of its records has `sent_at`, and answered when any has
/// `answered_at`, a score or a comment. Answers without a recorded send
/// (an open link) count in neither figure, so the rate stays within 0–1.
pub fn response_rate(responses: &[SurveyResponse]) -> ResponseRate {
    let mut by_id: HashMap<&str, (bool, bool)> = HashMap::new();
    for r in responses {
        let entry = by_id.entry(r.response_id.as_str()).or_default();
        entry.0 |= r.sent_at.is_some();
        entry.1 |= r.answered_at.is_some() || r.score.is_some() || r.comment.is_some();
    }
    let sent = by_id.values().filter(|(s, _)| *s).count();
    let answered = by_id.values().filter(|(s, a)| *s && *a).count();
    ResponseRate {
        sent,
        answered,
        rate: (sent > 0).then(|| answered as f64 / sent as f64),
    }
}

/// Median and 90th percentile of a set of durations.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DurationSummary {
    /// `hours` or `days`.
    pub unit: &'static str,
    /// Durations counted.
    pub n: usize,
    /// [`median`].
    pub median: Option<f64>,
    /// [`percentile`] at 0.9.
    pub p90: Option<f64>,
    /// Pairs left out because the end came before the start.
    pub excluded: usize,
}

impl DurationSummary {
    /// Summarizes `values` measured in `unit`.
    pub fn from_values(unit: &'static str, values: &[f64], excluded: usize) -> DurationSummary {
        DurationSummary {
            unit,
            n: finite(values).len(),
            median: median(values),
            p90: percentile(values, 0.9),
            excluded,
        }
    }
}

/// Hours from interview to decision notice, per application with a notice
/// time in `notices` (application id → when the notice went out). The
/// interview is the latest evaluation of that application at or before the
/// notice, i.e. the round the notice decided. Applications without a dated
/// interview are skipped; those whose every interview is after the notice
/// are counted in `excluded` (a data error, not a negative duration).
pub fn interview_to_notice(
    evaluations: &[EvaluationRecord],
    notices: &BTreeMap<&str, NaiveDateTime>,
) -> DurationSummary {
    // Per noticed application: whether it has a dated interview, and its
    // latest one up to the notice. Only those applications are kept, not
    // every evaluation's.
    let mut latest: HashMap<&str, (NaiveDateTime, bool, Option<NaiveDateTime>)> = notices
        .iter()
        .map(|(&app, &notice)| (app, (notice, false, None)))
        .collect();
    for e in evaluations {
        if let Some(at) = e.at
            && let Some((notice, dated, before)) = latest.get_mut(e.application_id.as_str())
        {
            *dated = true;
            if at <= *notice {
                *before = (*before).max(Some(at));
            }
        }
    }
    let mut hours = Vec::new();
    let mut excluded = 0;
    for (app, &notice) in notices {
        match latest[app] {
            (_, false, _) => {}
            (_, true, Some(t)) => hours.push((notice - t).num_seconds() as f64 / 3600.0),
            (_, true, None) => excluded += 1,
        }
    }
    DurationSummary::from_values("hours", &hours, excluded)
}

/// The figures for one scored question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionStats {
    /// [`Question::id`].
    pub question_id: String,
    /// Answer scale.
    pub scale: Scale,
    /// Which end is good.
    pub polarity: Polarity,
    /// n, mean, sd, 95 % CI, median of the valid scores.
    pub summary: Summary,
    /// Counts per scale point.
    pub distribution: Vec<PointCount>,
    /// % answering 4–5 (five-point questions only).
    pub top2_box_pct: Option<f64>,
    /// NPS (0–10 questions only).
    pub nps: Option<Nps>,
    /// Scores off the question's scale, left out of every figure.
    pub invalid: usize,
}

/// Statistics for one question over its scores. Scores that are not a
/// whole point of the question's scale are counted as invalid and left out.
pub fn question_stats(question: &Question, scores: &[f64]) -> QuestionStats {
    let valid: Vec<f64> = scores
        .iter()
        .copied()
        .filter(|&s| question.scale.accepts(s))
        .collect();
    QuestionStats {
        question_id: question.id.clone(),
        scale: question.scale,
        polarity: question.polarity,
        summary: summarize(&valid),
        distribution: distribution(&valid, question.scale),
        top2_box_pct: (question.scale == Scale::Likert5)
            .then(|| top2box_pct(&valid))
            .flatten(),
        nps: (question.scale == Scale::Nps0to10)
            .then(|| nps(&valid))
            .flatten(),
        invalid: scores.len() - valid.len(),
    }
}

//! The match score of one candidate for one position: six components, each
//! in 0–1, combined with [`ScoreWeights`] into a total out of 100, with the
//! hard-requirement screening beside it.
//!
//! Missing data is neutral, not bad: a component the records cannot inform
//! (no years given, no salary given, never interviewed, no skills listed) is
//! 0.5, so sources that lack a column neither sink nor lift a candidate. A
//! requirement the position does not state is met (1.0).
//!
//! The total is `100 · Σ wᵢ·cᵢ / Σ wᵢ` rounded to four decimals; rounding
//! keeps hand-checked totals exact and differences below 10⁻⁴ are noise that
//! the candidate-id tie-break orders instead.

use chrono::NaiveDate;

use super::profile::{CandidateProfile, PositionNeeds};
use super::screen::{ScreenFlags, Screening, screening};
use super::skills::{SkillId, SkillSet};
use super::weights::ScoreWeights;
use crate::model::PositionRecord;
use crate::rules::education::Education;

/// Share of the skills component carried by nice-to-have coverage when the
/// position lists nice-to-have skills; the rest is must-have coverage.
pub const NICE_SHARE: f64 = 0.2;

/// Loss of the education component per level below the required one.
pub const EDUCATION_STEP: f64 = 0.25;

/// Relative excess of the salary expectation over the budget at which the
/// salary component reaches 0 (`0.5` = 50 % above the top of the budget).
pub const SALARY_CEILING: f64 = 0.5;

/// Days after which the recency component halves.
pub const RECENCY_HALF_LIFE_DAYS: f64 = 365.0;

/// Score of a component the records cannot inform.
pub const NEUTRAL: f64 = 0.5;

/// The six components, each in 0–1.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Breakdown {
    /// See [`skills_fit`].
    pub skills: f64,
    /// See [`experience_fit`].
    pub experience: f64,
    /// See [`education_fit`].
    pub education: f64,
    /// See [`salary_fit`].
    pub salary_fit: f64,
    /// See [`evaluation_fit`].
    pub evaluation: f64,
    /// See [`recency_fit`].
    pub recency: f64,
}

impl Breakdown {
    /// The components in [`ScoreWeights::fields`] order.
    pub fn values(&self) -> [f64; 6] {
        [
            self.skills,
            self.experience,
            self.education,
            self.salary_fit,
            self.evaluation,
            self.recency,
        ]
    }

    /// `100 · Σ wᵢ·cᵢ` with normalized weights, rounded to four decimals.
    pub fn total(&self, normalized: &[f64; 6]) -> f64 {
        let sum: f64 = self
            .values()
            .iter()
            .zip(normalized)
            .map(|(c, w)| c * w)
            .sum();
        (sum * 100.0 * 1e4).round() / 1e4
    }
}

/// A candidate's score for one position.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchScore {
    /// 0–100.
    pub total: f64,
    /// The components the total is made of.
    pub breakdown: Breakdown,
    /// Hard requirements, judged separately: a candidate who fails one still
    /// has a total, so a recruiter can see how close they came.
    pub screening: Screening,
}

/// Skills: must-have coverage `r = |required ∩ has| / |required|`,
/// nice-to-have coverage `n = |nice ∩ has| / |nice|`, combined as
/// `(1 − NICE_SHARE)·r + NICE_SHARE·n` when the position lists nice-to-have
/// skills and `r` alone otherwise. Nice-to-have skills are a bonus: they
/// separate candidates with the same must-haves, and a candidate with every
/// must-have and no extras still scores 0.8. `r = 1` when nothing is
/// required; neutral when the candidate lists no skills at all.
pub fn skills_fit(has: &SkillSet, required: &[SkillId], nice: &[SkillId]) -> f64 {
    if has.is_empty() {
        return NEUTRAL;
    }
    let coverage = |ids: &[SkillId]| {
        let met = ids.iter().filter(|id| has.contains(**id)).count();
        met as f64 / ids.len() as f64
    };
    let r = if required.is_empty() {
        1.0
    } else {
        coverage(required)
    };
    if nice.is_empty() {
        r
    } else {
        (1.0 - NICE_SHARE) * r + NICE_SHARE * coverage(nice)
    }
}

/// Experience: `min(1, years / min_years)`, a saturating ratio — more years
/// than asked add nothing, fewer scale down linearly. 1 when the position
/// asks for none, neutral when the candidate's years are unknown.
pub fn experience_fit(years: Option<f64>, min_years: Option<f64>) -> f64 {
    match (years, min_years) {
        (_, None) => 1.0,
        (_, Some(m)) if m <= 0.0 => 1.0,
        (None, Some(_)) => NEUTRAL,
        (Some(y), Some(m)) => (y / m).min(1.0),
    }
}

/// Education: 1 at or above the required level, minus [`EDUCATION_STEP`]
/// per level below it (associate for bachelor 0.75, high school 0.5, floor
/// 0). 1 when nothing is required, neutral when the level is unknown.
pub fn education_fit(has: Option<Education>, needs: Option<Education>) -> f64 {
    match (has, needs) {
        (_, None) => 1.0,
        (None, Some(_)) => NEUTRAL,
        (Some(h), Some(n)) if h >= n => 1.0,
        (Some(h), Some(n)) => {
            let gap = (n as usize - h as usize) as f64;
            (1.0 - EDUCATION_STEP * gap).max(0.0)
        }
    }
}

/// Salary: whether the expectation overlaps the budget. The expectation's
/// low end `e` (its high end when only that is known) is compared with the
/// budget's top `b` (its low end when only that is known):
///
/// - `e ≤ b`: the ranges overlap, 1. An expectation below the budget is not
///   penalized; experience and education judge seniority.
/// - `e > b`: `max(0, 1 − (e − b) / b / SALARY_CEILING)`, falling linearly to
///   0 at 50 % above the budget. The decay is gradual because a small gap
///   often closes in negotiation (bonus, 13th month, title); at +50 % offers
///   practically never close.
///
/// No expectation, or no budget: neutral. A negotiable expectation (`面议`)
/// is neutral too — it says the candidate will move toward the budget but
/// not how far — and a stated expectation marked negotiable never scores
/// below neutral.
pub fn salary_fit(
    expect_min: Option<f64>,
    expect_max: Option<f64>,
    negotiable: bool,
    budget_min: Option<f64>,
    budget_max: Option<f64>,
) -> f64 {
    let expectation = expect_min.or(expect_max);
    let budget = budget_max.or(budget_min).filter(|b| *b > 0.0);
    let fit = match (expectation, budget) {
        (Some(e), Some(b)) if e <= b => 1.0,
        (Some(e), Some(b)) => (1.0 - (e - b) / b / SALARY_CEILING).max(0.0),
        _ => NEUTRAL,
    };
    if negotiable { fit.max(NEUTRAL) } else { fit }
}

/// Evaluation: the mean past interview score out of 10, divided by 10 and
/// clamped to 0–1. Neutral for a candidate never scored.
pub fn evaluation_fit(score_out_of_ten: Option<f64>) -> f64 {
    score_out_of_ten.map_or(NEUTRAL, |s| (s / 10.0).clamp(0.0, 1.0))
}

/// Recency: `0.5^(days / RECENCY_HALF_LIFE_DAYS)` since the latest contact
/// or application — exponential decay with a one-year half-life, because a
/// candidate's situation (job, salary, willingness to move) drifts steadily
/// and a year-old contact is about half as likely to still hold. 1 for a
/// date on or after `as_of`; neutral (one half-life) when no date is known.
pub fn recency_fit(last: Option<NaiveDate>, as_of: NaiveDate) -> f64 {
    match last {
        None => NEUTRAL,
        Some(d) => {
            let days = (as_of - d).num_days();
            if days <= 0 {
                1.0
            } else {
                (-(days as f64) / RECENCY_HALF_LIFE_DAYS).exp2()
            }
        }
    }
}

/// The candidate-only components (evaluation, recency), computed once per
/// candidate when scoring in bulk.
pub(crate) fn candidate_parts(c: &CandidateProfile, as_of: NaiveDate) -> (f64, f64) {
    (
        evaluation_fit(c.evaluation),
        recency_fit(c.last_activity, as_of),
    )
}

/// The breakdown of one pair from its candidate-only parts.
pub(crate) fn breakdown(
    c: &CandidateProfile,
    p: &PositionNeeds,
    (evaluation, recency): (f64, f64),
) -> Breakdown {
    Breakdown {
        skills: skills_fit(&c.skills, &p.required, &p.nice),
        experience: experience_fit(c.years_experience, p.min_years),
        education: education_fit(c.education, p.education_min),
        salary_fit: salary_fit(
            c.salary_min,
            c.salary_max,
            c.salary_negotiable,
            p.budget_min,
            p.budget_max,
        ),
        evaluation,
        recency,
    }
}

/// Scores one candidate for one position. The position's skills are resolved
/// through the table the candidate's skills were resolved with.
///
/// # Panics
///
/// When `weights` fail [`ScoreWeights::validate`].
pub fn score_one(
    candidate: &CandidateProfile,
    position: &PositionRecord,
    weights: &ScoreWeights,
    as_of: NaiveDate,
) -> MatchScore {
    let needs = PositionNeeds::new(position, candidate.skills.table());
    let breakdown = breakdown(candidate, &needs, candidate_parts(candidate, as_of));
    MatchScore {
        total: breakdown.total(&weights.normalized()),
        screening: screening(candidate, &needs, &breakdown),
        breakdown,
    }
}

/// The total and screening flags of one pair, as bulk scoring stores them.
pub(crate) fn score_pair(
    c: &CandidateProfile,
    p: &PositionNeeds,
    parts: (f64, f64),
    normalized: &[f64; 6],
) -> (f64, ScreenFlags) {
    let b = breakdown(c, p, parts);
    (b.total(normalized), ScreenFlags::of(c, p, &b))
}

#[cfg(test)]
mod tests;

//! Match scores in a run: every resolved candidate against every open or
//! reopened position, scored by [`crate::score`] in parallel, the best `top`
//! per position kept in the `matches` table with the breakdown and the
//! screening result.
//!
//! Scoring runs after resolution and chat linking, outside polars, on plain
//! records: it is a pure function per pair, and rayon runs it over all pairs
//! on its own pool (polars' pool stays free for the table work).

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::model::Dataset;
use crate::score::{CandidateProfile, Scales, ScoreWeights, SkillTable, is_open, score_all};

/// `[score]` in a pipeline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScoreSettings {
    /// Component weights of the 0–100 match score.
    pub weights: ScoreWeights,
    /// Rows kept per position in the `matches` table, best first.
    pub top: usize,
}

impl Default for ScoreSettings {
    fn default() -> Self {
        ScoreSettings {
            weights: ScoreWeights::default(),
            top: 50,
        }
    }
}

/// One kept candidate × position score.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchEntry {
    pub position_id: String,
    pub title: String,
    pub candidate_id: String,
    pub name: String,
    pub rank: u32,
    pub score: f64,
    pub skills: f64,
    pub experience: f64,
    pub education: f64,
    pub salary_fit: f64,
    pub evaluation: f64,
    pub recency: f64,
    pub screening_passed: bool,
    pub screening_failed: String,
}

/// Scores the dataset's candidates against its open positions.
pub fn score(data: &Dataset, settings: &ScoreSettings, as_of: NaiveDate) -> Vec<MatchEntry> {
    let positions: Vec<_> = data
        .positions
        .iter()
        .filter(|p| is_open(p))
        .cloned()
        .collect();
    if positions.is_empty() || data.persons.is_empty() {
        return Vec::new();
    }
    let table = Arc::new(SkillTable::builtin());
    let scales = Scales::detect(data.evaluations.iter());
    let (apps, evals) = data.by_candidate();
    let profiles: Vec<CandidateProfile> = data
        .persons
        .iter()
        .map(|p| {
            let id = p.candidate_id.as_str();
            CandidateProfile::from_records(
                p,
                apps.get(id).map_or(&[][..], Vec::as_slice),
                evals.get(id).map_or(&[][..], Vec::as_slice),
                &scales,
                &table,
            )
        })
        .collect();
    let rows = score_all(&profiles, &positions, &settings.weights, as_of);
    let mut out = Vec::new();
    let mut rank = 0;
    let mut current = u32::MAX;
    for row in rows {
        if row.position != current {
            current = row.position;
            rank = 0;
        }
        rank += 1;
        if rank as usize > settings.top {
            continue;
        }
        let m = row.detail(&profiles, &positions, &settings.weights, as_of);
        let pos = &positions[row.position as usize];
        let person = &data.persons[row.candidate as usize];
        out.push(MatchEntry {
            position_id: pos.position_id.clone(),
            title: pos.title.clone(),
            candidate_id: person.candidate_id.clone(),
            name: person.name.clone().unwrap_or_default(),
            rank,
            score: m.total,
            skills: m.breakdown.skills,
            experience: m.breakdown.experience,
            education: m.breakdown.education,
            salary_fit: m.breakdown.salary_fit,
            evaluation: m.breakdown.evaluation,
            recency: m.breakdown.recency,
            screening_passed: m.screening.passed,
            screening_failed: m.screening.failed.join("; "),
        });
    }
    out
}

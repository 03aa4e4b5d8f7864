//! Match scores in a run: every resolved candidate against every open or
//! reopened position, scored by [`crate::score`] in parallel, the best `top`
//! per position kept in the `matches` table with the breakdown and the
//! screening result.
//!
//! Scoring runs after resolution and chat linking, outside polars, on plain
//! records: it is a pure function per pair, and rayon runs it over all pairs
//! on its own pool (polars' pool stays free for the table work).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

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

/// Fills each evaluation's composite (weighted with its position's
/// evaluation weights) and the spread between the application's
/// interviewers, and each candidate's talent-pool tags from the comments.
pub fn annotate(data: &mut Dataset) {
    let scales = Scales::detect(data.evaluations.iter());
    let weights_of: foldhash::HashMap<&str, BTreeMap<String, f64>> = data
        .positions
        .iter()
        .filter_map(|p| {
            Some((
                p.position_id.as_str(),
                crate::score::parse_weights(p.weights.as_deref()?).ok()?,
            ))
        })
        .collect();
    let position_of: foldhash::HashMap<&str, &str> = data
        .applications
        .iter()
        .filter_map(|a| Some((a.application_id.as_str(), a.position_id.as_deref()?)))
        .collect();
    // A panel is everyone who interviewed the candidate for the same
    // position: sheets often hold one row per interviewer, each its own
    // application record.
    let app_position: foldhash::HashMap<&str, Cow<'_, str>> = data
        .applications
        .iter()
        .map(|a| {
            let key = match (&a.position_id, &a.position) {
                (Some(id), _) => Cow::Borrowed(id.as_str()),
                (None, Some(p)) => Cow::Owned(p.to_lowercase()),
                (None, None) => Cow::Borrowed(""),
            };
            (a.application_id.as_str(), key)
        })
        .collect();
    // Panels by (candidate, position), each with its evaluations in record
    // order; every panel is scored on its own, so they are scored in
    // parallel and the results written back by position.
    let mut groups: foldhash::HashMap<(&str, &str), Vec<usize>> = Default::default();
    for (i, e) in data.evaluations.iter().enumerate() {
        // Evaluations without an application (chat verdicts) stand alone.
        let key = if e.application_id.is_empty() {
            e.evaluation_id.as_str()
        } else {
            app_position
                .get(e.application_id.as_str())
                .map_or("", |p| p.as_ref())
        };
        groups
            .entry((e.candidate_id.as_str(), key))
            .or_default()
            .push(i);
    }
    let none = BTreeMap::new();
    let sets: Vec<&Vec<usize>> = groups.values().collect();
    let results: Vec<(usize, Option<f64>, Option<f64>)> = sets
        .par_iter()
        .flat_map_iter(|set| {
            let app = data.evaluations[set[0]].application_id.as_str();
            let weights = position_of
                .get(app)
                .and_then(|p| weights_of.get(p))
                .unwrap_or(&none);
            let evals: Vec<&crate::model::EvaluationRecord> =
                set.iter().map(|&i| &data.evaluations[i]).collect();
            let c = crate::score::composite_with(&evals, weights, &scales);
            set.iter()
                .map(|&i| {
                    let id = &data.evaluations[i].evaluation_id;
                    let value = c
                        .per_evaluation
                        .iter()
                        .find(|(e, _)| e == id)
                        .map(|(_, v)| *v);
                    (
                        i,
                        value,
                        if c.per_evaluation.len() > 1 {
                            c.spread
                        } else {
                            None
                        },
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    drop(sets);
    drop(groups);
    drop(app_position);
    for (i, value, spread) in results {
        data.evaluations[i].composite = value.map(|v| (v * 1000.0).round() / 1000.0);
        data.evaluations[i].panel_spread = spread.map(|v| (v * 1000.0).round() / 1000.0);
    }
    let mut comments: foldhash::HashMap<&str, Vec<&str>> = foldhash::HashMap::default();
    for e in &data.evaluations {
        if let Some(c) = e.comment.as_deref() {
            comments.entry(e.candidate_id.as_str()).or_default().push(c);
        }
    }
    let tags: Vec<Vec<String>> = data
        .persons
        .par_iter()
        .map(|p| {
            comments
                .get(p.candidate_id.as_str())
                .map(|c| {
                    crate::score::tags_for(c)
                        .into_iter()
                        .map(|t| t.code)
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    for (p, t) in data.persons.iter_mut().zip(tags) {
        // A record without tags or other details stays without the box.
        match p.details.as_deref_mut() {
            Some(d) => d.tags = t,
            None if t.is_empty() => {}
            None => p.details_mut().tags = t,
        }
    }
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
    let contacts = data.last_contacts(as_of);
    let profiles: Vec<CandidateProfile> = data
        .persons
        .par_iter()
        .map(|p| {
            let id = p.candidate_id.as_str();
            CandidateProfile::from_records(
                p,
                apps.get(id).map_or(&[][..], Vec::as_slice),
                evals.get(id).map_or(&[][..], Vec::as_slice),
                &scales,
                &table,
                as_of,
            )
            .with_contact(contacts.get(id).copied(), as_of)
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
            name: person.name.as_deref().unwrap_or_default().to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ApplicationRecord, EvaluationRecord};

    fn app(id: &str, candidate: &str, position_id: Option<&str>, title: &str) -> ApplicationRecord {
        ApplicationRecord {
            application_id: id.to_string(),
            candidate_id: candidate.to_string(),
            position_id: position_id.map(str::to_string),
            position: Some(title.to_string()),
            ..Default::default()
        }
    }

    fn eval(id: &str, app: &str, candidate: &str, who: &str, score: f64) -> EvaluationRecord {
        EvaluationRecord {
            evaluation_id: id.to_string(),
            application_id: app.to_string(),
            candidate_id: candidate.to_string(),
            interviewer: Some(who.to_string()),
            technical: Some(score),
            overall: Some(score),
            ..Default::default()
        }
    }

    #[test]
    fn panels_are_one_candidate_and_one_position() {
        let mut data = Dataset {
            applications: vec![
                // One row per interviewer, each its own application.
                app("A1", "C1", Some("P1"), "Analyst"),
                app("A2", "C1", Some("P1"), "Analyst"),
                // No position id: the title in any case.
                app("A3", "C1", None, "Data Analyst"),
                app("A4", "C1", None, "data analyst"),
                // Another candidate for the same position.
                app("A5", "C2", Some("P1"), "Analyst"),
                // Another position of the first candidate.
                app("A6", "C1", Some("P2"), "Designer"),
            ],
            evaluations: vec![
                eval("E1", "A1", "C1", "王", 6.0),
                eval("E2", "A2", "C1", "李", 9.0),
                eval("E3", "A3", "C1", "王", 5.0),
                eval("E4", "A4", "C1", "李", 8.0),
                eval("E5", "A5", "C2", "王", 7.0),
                eval("E6", "A6", "C1", "王", 4.0),
                // Chat verdicts stand alone.
                eval("E7", "", "C1", "王", 3.0),
                eval("E8", "", "C1", "李", 9.0),
            ],
            ..Default::default()
        };
        annotate(&mut data);
        let composite = |i: usize| data.evaluations[i].composite.expect("a composite");
        let spread = |i: usize| data.evaluations[i].panel_spread;
        let diff = |a: usize, b: usize| {
            Some(((composite(a) - composite(b)).abs() * 1000.0).round() / 1000.0)
        };
        assert!(composite(1) > composite(0));
        assert_eq!((spread(0), spread(1)), (diff(1, 0), diff(1, 0)));
        assert_eq!((spread(2), spread(3)), (diff(3, 2), diff(3, 2)));
        assert_ne!(diff(1, 0), None);
        for single in [4, 5, 6, 7] {
            assert_eq!(spread(single), None, "{single}");
        }
    }
}

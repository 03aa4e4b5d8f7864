//! What scoring needs of a candidate and of a position, prepared once.
//!
//! A [`CandidateProfile`] is built from a surviving person record, their
//! applications and their evaluations: skills resolved to a sorted id set,
//! years, education level, salary expectation, the mean past interview score
//! and the latest contact or application date. A [`PositionNeeds`] is the
//! position side: its must-have and nice-to-have skills resolved through the
//! same table, minimum years, minimum education and budget. Building both
//! once is what keeps scoring a million candidates against fifty positions
//! free of per-pair allocation.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::composite::{Scales, composite_with};
use super::skills::{SkillId, SkillSet, SkillTable};
use crate::model::{ApplicationRecord, EvaluationRecord, PersonRecord, PositionRecord};
use crate::rules::education::Education;

/// One candidate as scoring sees them.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateProfile {
    /// The resolved person's id.
    pub candidate_id: String,
    /// Listed skills with their implications; empty when none is listed.
    pub skills: SkillSet,
    /// Years of work experience.
    pub years_experience: Option<f64>,
    /// Highest education level.
    pub education: Option<Education>,
    /// Monthly salary expectation in CNY, low end.
    pub salary_min: Option<f64>,
    /// Monthly salary expectation in CNY, high end.
    pub salary_max: Option<f64>,
    /// The candidate said the salary is negotiable (`面议`).
    pub salary_negotiable: bool,
    /// Mean past interview score out of 10; `None` when never scored.
    pub evaluation: Option<f64>,
    /// The latest contact or application date.
    pub last_activity: Option<NaiveDate>,
}

impl CandidateProfile {
    /// Builds a profile from a surviving person record, their applications
    /// and their evaluations. The evaluation score is the mean over every
    /// evaluation of [`super::composite::evaluation_score`] without position
    /// weights (the plain mean of the scored dimensions, else `overall`),
    /// normalized to 0–10 with `scales`, which should be detected over the
    /// whole dataset.
    ///
    /// The last activity is the latest application or contact on or before
    /// `as_of`: later ones have not happened yet for a run dated `as_of`.
    /// (The person record keeps only the latest contact, so when that is
    /// after `as_of` the applications alone count.)
    pub fn from_records(
        person: &PersonRecord,
        applications: &[&ApplicationRecord],
        evaluations: &[&EvaluationRecord],
        scales: &Scales,
        table: &Arc<SkillTable>,
        as_of: NaiveDate,
    ) -> CandidateProfile {
        let last_activity = applications
            .iter()
            .filter_map(|a| a.applied_at)
            .chain(person.last_contact_at)
            .filter(|d| *d <= as_of)
            .max();
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite() && *v >= 0.0);
        CandidateProfile {
            candidate_id: person.candidate_id.clone(),
            skills: SkillSet::new(table, &person.details().skills),
            years_experience: finite(person.years_experience),
            education: person.education.and_then(Education::from_code),
            salary_min: finite(person.salary_min),
            salary_max: finite(person.salary_max),
            salary_negotiable: person.salary_negotiable,
            evaluation: composite_with(evaluations, &BTreeMap::new(), scales).mean,
            last_activity,
        }
    }

    /// Counts a contact dated on or before `as_of` as activity too (the
    /// person record keeps only the latest contact, which may lie after
    /// `as_of`; the dataset's contact history has every dated one).
    pub fn with_contact(mut self, last_contact: Option<NaiveDate>, as_of: NaiveDate) -> Self {
        if let Some(d) = last_contact.filter(|d| *d <= as_of) {
            self.last_activity = Some(self.last_activity.map_or(d, |a| a.max(d)));
        }
        self
    }
}

/// One position as scoring sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct PositionNeeds {
    /// Must-have skills, without repeats, in the position's order.
    pub required: Vec<SkillId>,
    /// The name each must-have skill is reported under: the table's
    /// canonical name, or the position's spelling when the table does not
    /// know the skill. Parallel to `required`.
    pub required_names: Vec<String>,
    /// Nice-to-have skills not already required, without repeats.
    pub nice: Vec<SkillId>,
    /// Minimum years of experience.
    pub min_years: Option<f64>,
    /// Minimum education level.
    pub education_min: Option<Education>,
    /// Monthly budget in CNY, low end.
    pub budget_min: Option<f64>,
    /// Monthly budget in CNY, high end.
    pub budget_max: Option<f64>,
}

impl PositionNeeds {
    /// Resolves a position's requirements through `table`. Requirements are
    /// not expanded by implication: a position asking for MySQL is not met
    /// by a candidate who lists only SQL.
    pub fn new(position: &PositionRecord, table: &SkillTable) -> PositionNeeds {
        let mut required: Vec<SkillId> = Vec::new();
        let mut required_names: Vec<String> = Vec::new();
        for skill in position
            .required_skills
            .iter()
            .filter_map(|s| table.resolve(s))
        {
            if !required.contains(&skill.id) {
                required.push(skill.id);
                required_names.push(skill.name);
            }
        }
        let mut nice: Vec<SkillId> = Vec::new();
        for skill in position.nice_skills.iter().filter_map(|s| table.resolve(s)) {
            if !nice.contains(&skill.id) && !required.contains(&skill.id) {
                nice.push(skill.id);
            }
        }
        let finite = |v: Option<f64>| v.filter(|v| v.is_finite() && *v >= 0.0);
        PositionNeeds {
            required,
            required_names,
            nice,
            min_years: finite(position.min_years),
            education_min: position.education_min.and_then(Education::from_code),
            budget_min: finite(position.budget_min),
            budget_max: finite(position.budget_max),
        }
    }
}

/// Whether a position takes candidates: `open`, `reopened`, or no status at
/// all (a positions sheet without a status column lists the positions being
/// recruited for).
pub fn is_open(position: &PositionRecord) -> bool {
    matches!(position.status, None | Some("open") | Some("reopened"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, PersonDetails};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn profile_from_records() {
        let person = PersonRecord {
            candidate_id: "C1".into(),
            details: PersonDetails {
                skills: vec!["Golang".into(), "MySQL".into()],
                ..Default::default()
            }
            .boxed(),
            years_experience: Some(4.0),
            education: Some("bachelor"),
            salary_min: Some(15000.0),
            salary_max: Some(20000.0),
            last_contact_at: Some(date(2022, 3, 1)),
            ..Default::default()
        };
        let apps = [
            ApplicationRecord {
                applied_at: Some(date(2024, 5, 20)),
                ..Default::default()
            },
            ApplicationRecord {
                applied_at: Some(date(2021, 1, 2)),
                ..Default::default()
            },
        ];
        let origin = Origin::new(
            Arc::from("s"),
            Arc::from("eval.xlsx"),
            Some(Arc::from("面试评估")),
            2,
        );
        // A 1–5 sheet: 4 and 3 → 8 and 6 (mean 7); overall 4.5 → 9.
        let evals = [
            EvaluationRecord {
                evaluation_id: "E1".into(),
                origin: Some(origin.clone()),
                technical: Some(4.0),
                culture: Some(3.0),
                ..Default::default()
            },
            EvaluationRecord {
                evaluation_id: "E2".into(),
                origin: Some(origin),
                overall: Some(4.5),
                ..Default::default()
            },
        ];
        let scales = Scales::detect(&evals);
        let table = SkillTable::builtin();
        let p = CandidateProfile::from_records(
            &person,
            &apps.iter().collect::<Vec<_>>(),
            &evals.iter().collect::<Vec<_>>(),
            &scales,
            table,
            date(2024, 7, 1),
        );
        assert_eq!(p.candidate_id, "C1");
        assert!(p.skills.meets("Go") && p.skills.meets("SQL"));
        assert_eq!(p.education, Some(Education::Bachelor));
        assert_eq!(p.evaluation, Some(8.0));
        assert_eq!(p.last_activity, Some(date(2024, 5, 20)));
        // Dated before that activity, the run does not see it yet.
        let earlier = CandidateProfile::from_records(
            &person,
            &apps.iter().collect::<Vec<_>>(),
            &evals.iter().collect::<Vec<_>>(),
            &scales,
            table,
            date(2024, 5, 19),
        );
        assert!(earlier.last_activity.is_none_or(|d| d <= date(2024, 5, 19)));
        assert_ne!(earlier.last_activity, Some(date(2024, 5, 20)));
        assert_eq!((p.salary_min, p.salary_max), (Some(15000.0), Some(20000.0)));
    }

    #[test]
    fn needs_resolve_and_deduplicate() {
        let position = PositionRecord {
            required_skills: vec!["Golang".into(), "Go".into(), "SQL".into()],
            nice_skills: vec!["sql".into(), "Redis".into(), "k8s".into(), "Redis".into()],
            min_years: Some(3.0),
            education_min: Some("bachelor"),
            budget_min: Some(20000.0),
            budget_max: Some(35000.0),
            ..Default::default()
        };
        let needs = PositionNeeds::new(&position, SkillTable::builtin());
        assert_eq!(needs.required_names, vec!["Go", "SQL"]);
        assert_eq!(
            needs.required,
            vec![SkillId::of_key("go"), SkillId::of_key("sql")]
        );
        assert_eq!(
            needs.nice,
            vec![SkillId::of_key("redis"), SkillId::of_key("kubernetes")]
        );
        assert_eq!(needs.education_min, Some(Education::Bachelor));
    }

    #[test]
    fn open_statuses() {
        let with = |s| PositionRecord {
            status: s,
            ..Default::default()
        };
        assert!(is_open(&with(Some("open"))));
        assert!(is_open(&with(Some("reopened"))));
        assert!(is_open(&with(None)));
        assert!(!is_open(&with(Some("closed"))));
    }
}

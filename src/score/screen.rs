//! Screening: the position's hard requirements, judged beside the score.
//!
//! A candidate fails a requirement only on evidence: years below the
//! minimum, a known education level below the minimum, a must-have skill
//! missing from a non-empty skill list, or a salary expectation at or beyond
//! the point where the salary component reaches 0 (50 % above the budget,
//! not negotiable). Unknown values never fail: a source without a skills
//! column says nothing about skills, and the score already treats it as
//! neutral. The candidate's city is not screened, because a position's city
//! is where the job is, not a stated requirement, and the city on a record
//! is often an ID-card or phone region rather than where the person lives.

use super::match_score::Breakdown;
use super::profile::{CandidateProfile, PositionNeeds};

/// The requirements a pair failed, as bits; what bulk scoring stores per
/// pair instead of messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ScreenFlags(u8);

impl ScreenFlags {
    /// Fewer years than the position's minimum.
    pub const MIN_YEARS: ScreenFlags = ScreenFlags(1);
    /// Education below the position's minimum.
    pub const EDUCATION: ScreenFlags = ScreenFlags(2);
    /// At least one must-have skill missing.
    pub const SKILLS: ScreenFlags = ScreenFlags(4);
    /// Salary expectation 50 % or more above the budget.
    pub const SALARY: ScreenFlags = ScreenFlags(8);

    const NAMES: [(ScreenFlags, &'static str); 4] = [
        (Self::MIN_YEARS, "min_years"),
        (Self::EDUCATION, "education"),
        (Self::SKILLS, "skills"),
        (Self::SALARY, "salary"),
    ];

    /// The failed requirements of one pair.
    pub fn of(c: &CandidateProfile, p: &PositionNeeds, b: &Breakdown) -> ScreenFlags {
        let mut bits = 0;
        if let (Some(has), Some(needs)) = (c.years_experience, p.min_years)
            && has < needs
        {
            bits |= Self::MIN_YEARS.0;
        }
        if let (Some(has), Some(needs)) = (c.education, p.education_min)
            && has < needs
        {
            bits |= Self::EDUCATION.0;
        }
        if !c.skills.is_empty() && p.required.iter().any(|id| !c.skills.contains(*id)) {
            bits |= Self::SKILLS.0;
        }
        if b.salary_fit == 0.0 {
            bits |= Self::SALARY.0;
        }
        ScreenFlags(bits)
    }

    /// Whether no requirement failed.
    pub fn passed(self) -> bool {
        self.0 == 0
    }

    /// Whether every bit of `other` is set.
    pub fn contains(self, other: ScreenFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The failed requirements by name (`min_years`, `education`, `skills`,
    /// `salary`), in that order.
    pub fn names(self) -> Vec<&'static str> {
        Self::NAMES
            .iter()
            .filter(|(f, _)| self.contains(*f))
            .map(|(_, n)| *n)
            .collect()
    }
}

/// The outcome of screening one candidate for one position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Screening {
    /// No hard requirement failed.
    pub passed: bool,
    /// One message per failure, e.g. `min_years: has 1, needs 3`,
    /// `education: associate < bachelor`, `must-have skill: Go`,
    /// `salary: expects 30000, budget up to 20000`.
    pub failed: Vec<String>,
}

/// Screens one pair and names every failure.
pub fn screening(c: &CandidateProfile, p: &PositionNeeds, b: &Breakdown) -> Screening {
    let flags = ScreenFlags::of(c, p, b);
    let mut failed = Vec::new();
    if flags.contains(ScreenFlags::MIN_YEARS)
        && let (Some(has), Some(needs)) = (c.years_experience, p.min_years)
    {
        failed.push(format!("min_years: has {has}, needs {needs}"));
    }
    if flags.contains(ScreenFlags::EDUCATION)
        && let (Some(has), Some(needs)) = (c.education, p.education_min)
    {
        failed.push(format!("education: {} < {}", has.code(), needs.code()));
    }
    if flags.contains(ScreenFlags::SKILLS) {
        for (id, name) in p.required.iter().zip(&p.required_names) {
            if !c.skills.contains(*id) {
                failed.push(format!("must-have skill: {name}"));
            }
        }
    }
    if flags.contains(ScreenFlags::SALARY) {
        let expects = c.salary_min.or(c.salary_max).unwrap_or_default();
        let budget = p.budget_max.or(p.budget_min).unwrap_or_default();
        failed.push(format!("salary: expects {expects}, budget up to {budget}"));
    }
    Screening {
        passed: flags.passed(),
        failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PositionRecord;
    use crate::rules::education::Education;
    use crate::score::match_score::{breakdown, candidate_parts};
    use crate::score::skills::{SkillSet, SkillTable};
    use chrono::NaiveDate;

    fn position() -> PositionNeeds {
        let record = PositionRecord {
            required_skills: vec!["Go".into(), "SQL".into()],
            min_years: Some(3.0),
            education_min: Some("bachelor"),
            budget_min: Some(20000.0),
            budget_max: Some(30000.0),
            ..Default::default()
        };
        PositionNeeds::new(&record, SkillTable::builtin())
    }

    fn candidate(skills: &[&str]) -> CandidateProfile {
        CandidateProfile {
            candidate_id: "C".into(),
            skills: SkillSet::new(SkillTable::builtin(), skills),
            years_experience: None,
            education: None,
            salary_min: None,
            salary_max: None,
            salary_negotiable: false,
            evaluation: None,
            last_activity: None,
        }
    }

    fn screen(c: &CandidateProfile) -> Screening {
        let p = position();
        let as_of = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let b = breakdown(c, &p, candidate_parts(c, as_of));
        screening(c, &p, &b)
    }

    #[test]
    fn failures_are_named() {
        let cases: Vec<(CandidateProfile, Vec<&str>)> = vec![
            (candidate(&["Golang", "MySQL"]), vec![]),
            (candidate(&["Golang"]), vec!["must-have skill: SQL"]),
            (
                candidate(&["Java"]),
                vec!["must-have skill: Go", "must-have skill: SQL"],
            ),
            (
                CandidateProfile {
                    years_experience: Some(2.5),
                    ..candidate(&["Go", "SQL"])
                },
                vec!["min_years: has 2.5, needs 3"],
            ),
            (
                CandidateProfile {
                    education: Some(Education::Associate),
                    ..candidate(&["Go", "SQL"])
                },
                vec!["education: associate < bachelor"],
            ),
            (
                CandidateProfile {
                    salary_min: Some(45000.0),
                    salary_max: Some(50000.0),
                    ..candidate(&["Go", "SQL"])
                },
                vec!["salary: expects 45000, budget up to 30000"],
            ),
            // 49 % over the budget scores low but is not a hard failure.
            (
                CandidateProfile {
                    salary_min: Some(44700.0),
                    ..candidate(&["Go", "SQL"])
                },
                vec![],
            ),
            // Negotiable never fails on salary.
            (
                CandidateProfile {
                    salary_min: Some(60000.0),
                    salary_negotiable: true,
                    ..candidate(&["Go", "SQL"])
                },
                vec![],
            ),
            // Enough years, a higher degree.
            (
                CandidateProfile {
                    years_experience: Some(3.0),
                    education: Some(Education::Master),
                    ..candidate(&["Go", "SQL"])
                },
                vec![],
            ),
            // Unknown values never fail.
            (candidate(&[]), vec![]),
        ];
        for (c, expected) in cases {
            let got = screen(&c);
            assert_eq!(got.failed, expected, "{c:?}");
            assert_eq!(got.passed, expected.is_empty());
        }
    }

    #[test]
    fn flags_match_messages() {
        let c = CandidateProfile {
            years_experience: Some(1.0),
            salary_min: Some(50000.0),
            ..candidate(&["Go"])
        };
        let p = position();
        let as_of = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let flags = ScreenFlags::of(&c, &p, &breakdown(&c, &p, candidate_parts(&c, as_of)));
        assert_eq!(flags.names(), vec!["min_years", "skills", "salary"]);
        assert!(flags.contains(ScreenFlags::SKILLS));
        assert!(!flags.contains(ScreenFlags::EDUCATION));
        assert!(!flags.passed());
        assert!(ScreenFlags::default().passed());
        assert_eq!(ScreenFlags::default().names(), Vec::<&str>::new());
    }
}

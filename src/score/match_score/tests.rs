//! Hand-computed cases for every component and for whole scores.

use super::*;
use crate::score::skills::SkillTable;
use Education::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn close(got: f64, expected: f64, what: &str) {
    assert!(
        (got - expected).abs() < 1e-12,
        "{what}: got {got}, expected {expected}"
    );
}

fn ids(names: &[&str]) -> Vec<SkillId> {
    let table = SkillTable::builtin();
    names.iter().map(|n| table.resolve(n).unwrap().id).collect()
}

/// (has, required, nice, expected)
type SkillCase = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
    f64,
);
const SKILLS: &[SkillCase] = &[
    (&["Go", "SQL"], &["Go", "SQL"], &[], 1.0),
    (&["Golang"], &["Go", "SQL"], &[], 0.5),
    (&["MySQL"], &["Go", "SQL"], &[], 0.5),
    (&["SQL"], &["MySQL"], &[], 0.0),
    // 0.8 · 1 + 0.2 · 1/2
    (
        &["go", "sql", "Redis"],
        &["Go", "SQL"],
        &["Redis", "k8s"],
        0.9,
    ),
    // 0.8 · 1/2 + 0.2 · 1
    (
        &["Go", "Redis", "k8s"],
        &["Go", "SQL"],
        &["Redis", "Kubernetes"],
        0.6,
    ),
    (&["Excel"], &[], &[], 1.0),
    (&["Excel"], &[], &["Tableau"], 0.8),
    (&["销售经验", "KA"], &["销售", "大客户"], &[], 1.0),
    (&[], &["Go"], &["Redis"], 0.5),
];

#[test]
fn skills_component() {
    for (has, required, nice, expected) in SKILLS {
        let set = SkillSet::new(SkillTable::builtin(), has);
        let got = skills_fit(&set, &ids(required), &ids(nice));
        close(
            got,
            *expected,
            &format!("{has:?} for {required:?} + {nice:?}"),
        );
    }
}

const EXPERIENCE: &[(Option<f64>, Option<f64>, f64)] = &[
    (Some(5.0), Some(3.0), 1.0),
    (Some(3.0), Some(3.0), 1.0),
    (Some(1.5), Some(3.0), 0.5),
    (Some(0.0), Some(2.0), 0.0),
    (None, Some(3.0), 0.5),
    (Some(1.0), None, 1.0),
    (Some(1.0), Some(0.0), 1.0),
];

#[test]
fn experience_component() {
    for (years, min, expected) in EXPERIENCE {
        close(
            experience_fit(*years, *min),
            *expected,
            &format!("{years:?} vs {min:?}"),
        );
    }
}

const EDUCATION: &[(Option<Education>, Option<Education>, f64)] = &[
    (Some(Bachelor), Some(Bachelor), 1.0),
    (Some(Master), Some(Bachelor), 1.0),
    (Some(Associate), Some(Bachelor), 0.75),
    (Some(HighSchool), Some(Bachelor), 0.5),
    (Some(BelowHighSchool), Some(Master), 0.0),
    (Some(BelowHighSchool), Some(Doctorate), 0.0),
    (None, Some(Bachelor), 0.5),
    (Some(Associate), None, 1.0),
];

#[test]
fn education_component() {
    for (has, needs, expected) in EDUCATION {
        close(
            education_fit(*has, *needs),
            *expected,
            &format!("{has:?} vs {needs:?}"),
        );
    }
}

/// (expect min, expect max, negotiable, budget min, budget max, expected)
type SalaryCase = (
    Option<f64>,
    Option<f64>,
    bool,
    Option<f64>,
    Option<f64>,
    f64,
);
const B: (Option<f64>, Option<f64>) = (Some(15000.0), Some(20000.0));
const SALARY: &[SalaryCase] = &[
    (Some(15000.0), Some(15000.0), false, B.0, B.1, 1.0),
    (Some(8000.0), Some(10000.0), false, B.0, B.1, 1.0),
    // 18–25k overlaps 15–20k.
    (Some(18000.0), Some(25000.0), false, B.0, B.1, 1.0),
    // 10 % over: 1 − 0.1 / 0.5
    (Some(22000.0), None, false, B.0, B.1, 0.8),
    (None, Some(22000.0), false, B.0, B.1, 0.8),
    // 25 % over.
    (Some(25000.0), Some(30000.0), false, B.0, B.1, 0.5),
    // 50 % over and beyond.
    (Some(30000.0), None, false, B.0, B.1, 0.0),
    (Some(40000.0), None, false, B.0, B.1, 0.0),
    // 面议 without a number, unknown, and negotiable with a number.
    (None, None, true, B.0, B.1, 0.5),
    (None, None, false, B.0, B.1, 0.5),
    (Some(28000.0), None, true, B.0, B.1, 0.5),
    (Some(16000.0), None, true, B.0, B.1, 1.0),
    // Only a budget floor: 18k is 20 % over 15k.
    (Some(18000.0), None, false, Some(15000.0), None, 0.6),
    // No budget.
    (Some(18000.0), None, false, None, None, 0.5),
];

#[test]
fn salary_component() {
    for (lo, hi, neg, bmin, bmax, expected) in SALARY {
        close(
            salary_fit(*lo, *hi, *neg, *bmin, *bmax),
            *expected,
            &format!("{lo:?}-{hi:?} negotiable={neg} vs {bmin:?}-{bmax:?}"),
        );
    }
}

#[test]
fn evaluation_component() {
    let cases = [
        (Some(8.0), 0.8),
        (Some(10.0), 1.0),
        (Some(12.0), 1.0),
        (Some(0.0), 0.0),
        (None, 0.5),
    ];
    for (score, expected) in cases {
        close(evaluation_fit(score), expected, &format!("{score:?}"));
    }
}

#[test]
fn recency_component() {
    let as_of = date(2024, 6, 30);
    let cases = [
        (Some(date(2024, 6, 30)), 1.0),
        (Some(date(2024, 7, 15)), 1.0),
        // 365 days (the span holds 29 February 2024): one half-life.
        (Some(date(2023, 7, 1)), 0.5),
        (Some(date(2022, 7, 1)), 0.25),
        (None, 0.5),
    ];
    for (last, expected) in cases {
        close(recency_fit(last, as_of), expected, &format!("{last:?}"));
    }
}

fn sales_manager() -> PositionRecord {
    PositionRecord {
        position_id: "POS-05".into(),
        title: "销售经理".into(),
        required_skills: vec!["销售".into(), "大客户".into()],
        nice_skills: vec!["CRM".into(), "团队管理".into()],
        min_years: Some(3.0),
        education_min: Some("bachelor"),
        budget_min: Some(15000.0),
        budget_max: Some(20000.0),
        status: Some("reopened"),
        ..Default::default()
    }
}

fn profile(id: &str, skills: &[&str]) -> CandidateProfile {
    CandidateProfile {
        candidate_id: id.into(),
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

#[test]
fn score_one_hand_computed() {
    let as_of = date(2024, 6, 30);
    let strong = CandidateProfile {
        years_experience: Some(5.0),
        education: Some(Associate),
        salary_min: Some(15000.0),
        salary_max: Some(15000.0),
        evaluation: Some(8.0),
        last_activity: Some(date(2022, 7, 1)),
        ..profile("C1", &["销售经验", "KA", "CRM"])
    };
    let s = score_one(&strong, &sales_manager(), &ScoreWeights::default(), as_of);
    // skills 0.8·1 + 0.2·½ = 0.9, experience 1, education 0.75, salary 1,
    // evaluation 0.8, recency 0.25:
    // 100 · (0.35·0.9 + 0.15 + 0.10·0.75 + 0.15 + 0.15·0.8 + 0.10·0.25) = 83.5
    assert_eq!(s.total, 83.5);
    close(s.breakdown.skills, 0.9, "skills");
    assert_eq!(
        (
            s.breakdown.experience,
            s.breakdown.education,
            s.breakdown.salary_fit
        ),
        (1.0, 0.75, 1.0)
    );
    assert_eq!((s.breakdown.evaluation, s.breakdown.recency), (0.8, 0.25));
    assert_eq!(
        s.screening,
        Screening {
            passed: false,
            failed: vec!["education: associate < bachelor".into()],
        }
    );

    let weak = CandidateProfile {
        years_experience: Some(1.0),
        education: Some(HighSchool),
        salary_min: Some(30000.0),
        ..profile("C2", &["Excel"])
    };
    let s = score_one(&weak, &sales_manager(), &ScoreWeights::default(), as_of);
    // 100 · (0 + 0.15·⅓ + 0.10·0.5 + 0 + 0.15·0.5 + 0.10·0.5) = 22.5
    assert_eq!(s.total, 22.5);
    assert_eq!(
        s.screening.failed,
        vec![
            "min_years: has 1, needs 3",
            "education: high_school < bachelor",
            "must-have skill: 销售",
            "must-have skill: 大客户",
            "salary: expects 30000, budget up to 20000",
        ]
    );
    assert!(!s.screening.passed);

    // Nothing known: every component neutral, nothing failed.
    let blank = CandidateProfile {
        salary_negotiable: true,
        ..profile("C3", &[])
    };
    let s = score_one(&blank, &sales_manager(), &ScoreWeights::default(), as_of);
    assert_eq!(s.total, 50.0);
    assert_eq!(
        s.screening,
        Screening {
            passed: true,
            failed: vec![]
        }
    );
}

#[test]
fn weights_change_the_total_only() {
    let c = CandidateProfile {
        years_experience: Some(1.5),
        ..profile("C1", &["销售", "大客户"])
    };
    let only_skills = ScoreWeights {
        skills: 1.0,
        experience: 0.0,
        education: 0.0,
        salary: 0.0,
        evaluation: 0.0,
        recency: 0.0,
    };
    let as_of = date(2024, 1, 1);
    let a = score_one(&c, &sales_manager(), &only_skills, as_of);
    // Required all met, no nice-to-have: 0.8.
    assert_eq!(a.total, 80.0);
    let b = score_one(&c, &sales_manager(), &ScoreWeights::default(), as_of);
    assert_eq!(a.breakdown, b.breakdown);
    assert_eq!(b.screening.failed, vec!["min_years: has 1.5, needs 3"]);
}

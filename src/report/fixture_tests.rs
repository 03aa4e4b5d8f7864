//! The report model on a small hand-made fixture, every figure checked
//! against a value computed by hand (in the comments), including the
//! suppression rule and the NPS boundaries 6 | 7–8 | 9.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::entities::ResolutionSummary;
use crate::model::{ApplicationRecord, Dataset};
use crate::stats::SurveyResponse;

fn at(d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 6, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn answer(id: &str, app: &str, version: &str, q: &str, score: f64) -> SurveyResponse {
    SurveyResponse {
        response_id: id.into(),
        application_id: Some(app.into()),
        sent_at: Some(at(1, 9)),
        answered_at: Some(at(2, 9)),
        question_id: q.into(),
        score: Some(score),
        template_version: Some(version.into()),
        ..SurveyResponse::default()
    }
}

/// Twelve answered surveys and two unanswered ones:
/// - v1: R1–R5, rejected, recommend 9 10 9 10 9 (all promoters),
/// - v2: R6–R10, rejected, recommend 0 6 6 3 6 (all detractors, 6 included),
/// - v3: R11–R12, hired, recommend 7 8 (passives; a group of two).
///
/// positive_experience: R1–R5 answer 5 4 3 4 5, R6 answers 2.
/// challenging: everyone answers 5 (never in the satisfaction index).
fn fixture() -> (Dataset, Vec<SurveyResponse>) {
    let mut apps = Vec::new();
    let mut surveys = Vec::new();
    let recommend = [9.0, 10.0, 9.0, 10.0, 9.0, 0.0, 6.0, 6.0, 3.0, 6.0, 7.0, 8.0];
    let positive = [5.0, 4.0, 3.0, 4.0, 5.0, 2.0];
    for (i, &r) in recommend.iter().enumerate() {
        let (id, app) = (format!("R{}", i + 1), format!("A{}", i + 1));
        let (version, status) = match i {
            0..5 => ("v1", "rejected"),
            5..10 => ("v2", "rejected"),
            _ => ("v3", "hired"),
        };
        apps.push(ApplicationRecord {
            application_id: app.clone(),
            candidate_id: format!("C{}", i + 1),
            status: Some(status),
            ..ApplicationRecord::default()
        });
        surveys.push(answer(&id, &app, version, "recommend", r));
        surveys.push(answer(&id, &app, version, "challenging", 5.0));
        if let Some(&p) = positive.get(i) {
            surveys.push(answer(&id, &app, version, "positive_experience", p));
        }
    }
    surveys[0].comment = Some("<script>alert(1)</script>通知很及时".into());
    let r11 = surveys.iter().position(|r| r.response_id == "R11").unwrap();
    surveys[r11].comment = Some("只有两个人的组，不能列出".into());
    for id in ["R13", "R14"] {
        surveys.push(SurveyResponse {
            response_id: id.into(),
            sent_at: Some(at(1, 9)),
            question_id: "recommend".into(),
            ..SurveyResponse::default()
        });
    }
    let data = Dataset {
        applications: apps,
        ..Dataset::default()
    };
    (data, surveys)
}

fn model(data: &Dataset, surveys: &[SurveyResponse], lang: Lang) -> ReportModel {
    let settings = ReportSettings {
        language: lang,
        ..ReportSettings::default()
    };
    build(&ReportInput {
        data,
        surveys,
        recall: &[],
        counts: &[],
        resolution: &ResolutionSummary::default(),
        settings: &settings,
        pipeline: "p.toml",
        as_of: NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
    })
}

fn table<'a>(m: &'a ReportModel, id: &str) -> &'a Table {
    m.tables()
        .map(|(_, t)| t)
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no table {id}"))
}

/// The displayed cells of the row whose first cells are `key`.
fn row(t: &Table, key: &[&str]) -> Vec<String> {
    t.rows
        .iter()
        .find(|r| r.iter().zip(key).all(|(v, k)| v.display == *k))
        .unwrap_or_else(|| panic!("no row {key:?} in {}", t.id))
        .iter()
        .map(|v| v.display.clone())
        .collect()
}

fn figure(m: &ReportModel, id: &str) -> String {
    m.figures
        .iter()
        .find(|f| f.id == id)
        .unwrap()
        .value
        .display
        .clone()
}

#[test]
fn survey_figures_match_hand_computed_values() {
    let (data, surveys) = fixture();
    let m = model(&data, &surveys, Lang::En);
    // The report month is June (as of 1 July): all twelve answers are in it.
    assert_eq!(m.period, "2024-06");
    assert_eq!(figure(&m, "month_responses"), "12");
    // Sent 14, answered 12: 12/14 = 85.714 %.
    assert_eq!(figure(&m, "response_rate"), "85.7%");
    // Promoters 5, passives 2 (7 and 8), detractors 5 (0, 6, 6, 3, 6):
    // (5 − 5)/12 = 0.
    assert_eq!(figure(&m, "nps"), "0");
    let overview = table(&m, "survey_overview");
    // R1–R12 name an application of the dataset; R13 and R14 are anonymous.
    assert_eq!(
        row(overview, &["Surveys linked to an application"])[1],
        "12"
    );
    assert_eq!(
        row(overview, &["Application id matches no application"])[1],
        "0"
    );
    assert_eq!(row(overview, &["Anonymous surveys"])[1], "2");
    assert_eq!(row(overview, &["Promoters (9–10)"])[1], "5");
    assert_eq!(row(overview, &["Passives (7–8)"])[1], "2");
    assert_eq!(row(overview, &["Detractors (0–6)"])[1], "5");
    // positive_experience 5 4 3 4 5 2: mean 23/6 = 3.8333; sd √(6.8333/5)
    // = 1.16905; half-width t(5) 2.570582 × 1.16905/√6 = 1.22684, so the
    // CI is 2.6065–5.0602; median 4; top-2-box 4/6 = 66.7 %.
    let q = row(
        table(&m, "survey_questions"),
        &["Overall, my interviewing experience was a positive one."],
    );
    assert_eq!(
        q[2..13],
        [
            "6", "3.83", "2.61", "5.06", "4.0", "66.7%", "0", "1", "1", "2", "2"
        ]
    );
    // "Challenging" (all 5s) is listed, marked, and not in satisfaction:
    // the index is the positive_experience mean alone.
    let c = row(
        table(&m, "survey_questions"),
        &["Overall, I found the interview process to be challenging."],
    );
    assert_eq!(c[1], "Interview (not in satisfaction)");
    assert_eq!(c[3], "5.00");
    assert_eq!(figure(&m, "satisfaction"), "3.83");
    // Groups: v1 all promoters +100, v2 all detractors −100, v3 (two
    // respondents) suppressed below the minimum of five.
    let groups = table(&m, "survey_groups");
    assert_eq!(row(groups, &["Notice template", "v1"])[5], "+100");
    assert_eq!(row(groups, &["Notice template", "v2"])[5], "-100");
    let v3 = row(groups, &["Notice template", "v3"]);
    assert_eq!(v3[2], "<5");
    assert_eq!(v3[5], MISSING);
    assert_eq!(v3[6], "Suppressed (fewer than 5)");
    assert_eq!(row(groups, &["Outcome", "Rejected"])[2], "10");
    assert_eq!(row(groups, &["Outcome", "Hired"])[2], "<5");
    // Comments only from groups at or above the minimum.
    let comments: Vec<&str> = table(&m, "survey_comments")
        .rows
        .iter()
        .map(|r| r[2].display.as_str())
        .collect();
    assert_eq!(comments, ["<script>alert(1)</script>通知很及时"]);
    // The NPS distribution lists every point 0–10.
    let nps = table(&m, "survey_nps");
    assert_eq!(nps.rows.len(), 11);
    assert_eq!(row(nps, &["6"])[1], "3");
    assert_eq!(row(nps, &["9"])[1], "3");
}

#[test]
fn html_and_xlsx_are_written_from_the_model_and_escape_comments() {
    let (data, surveys) = fixture();
    let m = model(&data, &surveys, Lang::Zh);
    let html = html::render(&m).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;通知很及时"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("data-figure=\"nps\""));
    let bytes = xlsx::workbook(&m).unwrap();
    assert_eq!(bytes, xlsx::workbook(&m).unwrap(), "same model, same bytes");
}

#[test]
fn no_surveys_and_no_records_give_missing_figures_not_zeros() {
    let m = model(&Dataset::default(), &[], Lang::Zh);
    assert_eq!(figure(&m, "nps"), MISSING);
    assert_eq!(figure(&m, "response_rate"), MISSING);
    assert_eq!(figure(&m, "hire_rate"), MISSING);
    assert_eq!(figure(&m, "applications"), "0");
    assert!(table(&m, "survey_questions").rows.is_empty());
    html::render(&m).unwrap();
    xlsx::workbook(&m).unwrap();
}

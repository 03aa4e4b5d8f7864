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

fn dated(
    id: &str,
    applied: Option<&str>,
    status: &'static str,
    reason: Option<&'static str>,
    onboard: Option<&str>,
    channel: &str,
) -> ApplicationRecord {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    ApplicationRecord {
        application_id: id.into(),
        candidate_id: format!("C-{id}"),
        position_id: Some("P1".into()),
        applied_at: applied.map(d),
        status: Some(status),
        rejection_reason: reason,
        rejection_type: reason.map(|_| "we_rejected"),
        onboard_at: onboard.map(d),
        source_channel: Some(channel.into()),
        ..ApplicationRecord::default()
    }
}

/// Report as of 2024-07-01: the month is June 2024, the window July 2023 –
/// June 2024, the last day 2024-06-30. Each record sits in one place:
/// - M1 (hired, onboarded 2024-06-28, 18 days) and M2 (skills gap) applied
///   in June: month, window and all records;
/// - W1 (headcount filled) applied in March 2024: window and all records;
/// - A1 (hired 2022, onboarded after 31 days): all records only;
/// - U1 (salary, no application date): all records only;
/// - X1 (skills gap) and X2 (hired) applied in July 2024, after the last
///   day: nowhere, not even in all records.
///
/// Surveys (recommend): S1 10 answered in June, S2 0 in January 2024, S3 9
/// in January 2023, S4 0 on 2024-07-05 (after the last day).
#[test]
fn records_outside_a_span_do_not_count_in_it() {
    let data = Dataset {
        applications: vec![
            dated(
                "M1",
                Some("2024-06-10"),
                "hired",
                None,
                Some("2024-06-28"),
                "猎聘",
            ),
            dated(
                "M2",
                Some("2024-06-20"),
                "rejected",
                Some("skills_gap"),
                None,
                "猎聘",
            ),
            dated(
                "W1",
                Some("2024-03-05"),
                "rejected",
                Some("headcount_filled"),
                None,
                "BOSS直聘",
            ),
            dated(
                "A1",
                Some("2022-05-01"),
                "hired",
                None,
                Some("2022-06-01"),
                "BOSS直聘",
            ),
            dated(
                "U1",
                None,
                "rejected",
                Some("salary_mismatch"),
                None,
                "BOSS直聘",
            ),
            dated(
                "X1",
                Some("2024-07-15"),
                "rejected",
                Some("skills_gap"),
                None,
                "猎聘",
            ),
            dated(
                "X2",
                Some("2024-07-02"),
                "hired",
                None,
                Some("2024-07-29"),
                "猎聘",
            ),
        ],
        ..Dataset::default()
    };
    let at = |d: &str| {
        d.parse::<NaiveDate>()
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    };
    let surveys: Vec<SurveyResponse> = [
        ("S1", "2024-06-02", 10.0),
        ("S2", "2024-01-10", 0.0),
        ("S3", "2023-01-05", 9.0),
        ("S4", "2024-07-05", 0.0),
    ]
    .iter()
    .map(|(id, day, score)| SurveyResponse {
        response_id: (*id).into(),
        sent_at: Some(at(day)),
        answered_at: Some(at(day)),
        question_id: "recommend".into(),
        score: Some(*score),
        ..SurveyResponse::default()
    })
    .collect();
    let settings = ReportSettings {
        language: Lang::Zh,
        min_group_size: 1,
        ..ReportSettings::default()
    };
    let m = build(&ReportInput {
        data: &data,
        surveys: &surveys,
        recall: &[],
        counts: &[],
        resolution: &ResolutionSummary::default(),
        settings: &settings,
        pipeline: "p.toml",
        as_of: NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
    });
    assert_eq!(m.period, "2024-06");
    let labels: Vec<&str> = m.scopes.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "本月（2024-06）",
            "近12个月（2023-07 至 2024-06）",
            "累计（截至 2024-06-30，含没有日期的记录）"
        ]
    );
    // Summary: the month's applications and hires are June's only.
    assert_eq!(figure(&m, "month_applications"), "2");
    assert_eq!(figure(&m, "month_hires"), "1");
    assert_eq!(figure(&m, "window_applications"), "3");
    assert_eq!(figure(&m, "window_hires"), "1");
    assert_eq!(figure(&m, "applications"), "5");
    assert_eq!(figure(&m, "hires"), "2");
    // M1 hired of M1, M2, W1 in the window.
    assert_eq!(figure(&m, "hire_rate"), "33.3%");
    assert_eq!(figure(&m, "time_to_hire"), "18.0");
    // Funnel columns: 本月, 近12个月, 较上一阶段, 累计, 较上一阶段, 占投递.
    let funnel = table(&m, "funnel_total");
    assert_eq!(
        funnel
            .columns
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>(),
        [
            "阶段",
            "本月 · 数量",
            "近12个月 · 数量",
            "近12个月 · 较上一阶段",
            "累计 · 数量",
            "累计 · 较上一阶段",
            "累计 · 占投递"
        ]
    );
    // The page heads them by span: one spanning cell per span over the
    // columns' own headings.
    assert_eq!(
        funnel
            .columns
            .iter()
            .map(|c| (c.group.as_deref(), c.sub.as_deref()))
            .collect::<Vec<_>>(),
        [
            (None, None),
            (Some("本月"), Some("数量")),
            (Some("近12个月"), Some("数量")),
            (Some("近12个月"), Some("较上一阶段")),
            (Some("累计"), Some("数量")),
            (Some("累计"), Some("较上一阶段")),
            (Some("累计"), Some("占投递")),
        ]
    );
    assert!(
        m.summary_note.contains("近12个月的卡片"),
        "{}",
        m.summary_note
    );
    assert_eq!(
        row(funnel, &["投递"])[1..],
        ["2", "3", "–", "5", "–", "100.0%"]
    );
    assert_eq!(row(funnel, &["录用"])[1..5], ["1", "1", "100.0%", "2"]);
    // Time to hire by onboarding date: June 18 days; all records 18 and 31.
    let offers = table(&m, "offers");
    assert_eq!(row(offers, &["有入职日期的录用"])[1..], ["1", "1", "2"]);
    assert_eq!(
        row(offers, &["招聘周期中位数（天）"])[1..],
        ["18.0", "18.0", "24.5"]
    );
    // Channels: 猎聘 has M1 and M2 (X1 and X2 are after the last day).
    let sources = table(&m, "sources");
    let liepin = row(sources, &["猎聘"]);
    assert_eq!(liepin[1..3], ["2", "2"]);
    assert_eq!(liepin[6], "2");
    // BOSS直聘: W1 in the window; W1, A1 and the undated U1 in all records.
    let boss = row(sources, &["BOSS直聘"]);
    assert_eq!(boss[1..3], ["0", "1"]);
    assert_eq!(boss[6], "3");
    // Rejection reasons: 本月, 近12个月, 占比, 累计, 占比.
    let reasons = table(&m, "rejection_reasons");
    assert_eq!(
        row(reasons, &["技能不匹配"])[1..],
        ["1", "1", "50.0%", "1", "33.3%"]
    );
    assert_eq!(
        row(reasons, &["岗位已满"])[1..],
        ["0", "1", "50.0%", "1", "33.3%"]
    );
    assert_eq!(
        row(reasons, &["薪资不匹配"])[1..],
        ["0", "0", "0.0%", "1", "33.3%"]
    );
    // Survey: S4 counts nowhere. NPS: June +100 (one promoter); window S1
    // and S2 (1 − 1)/2 = 0; all records S1–S3 (2 − 1)/3 = +33.
    let overview = table(&m, "survey_overview");
    assert_eq!(row(overview, &["已发送调研"])[1..], ["1", "2", "3"]);
    assert_eq!(row(overview, &["NPS"])[1..], ["+100", "0", "+33"]);
    assert_eq!(figure(&m, "nps"), "0");
    // The trend ends with June and counts nothing of July.
    let trend = table(&m, "trend");
    assert_eq!(trend.rows.len(), 12);
    assert_eq!(row(trend, &["2024-06"])[1..], ["2", "0", "1", "1"]);
}

/// The report lists the best `recall_top` candidates of each position (the
/// lists come sorted by position, best score first) and says how many rows
/// the full lists hold.
#[test]
fn the_recall_list_shows_the_best_candidates_of_each_position() {
    let entry = |position: &str, candidate: &str, score: f64| crate::recall::RecallEntry {
        position_id: position.into(),
        position: "岗位".into(),
        candidate_id: candidate.into(),
        name: candidate.into(),
        channel: "wechat",
        address: String::new(),
        subject: None,
        message: String::new(),
        problem: None,
        score,
        rules_fired: Vec::new(),
        interview_date: None,
        interviewer: None,
        evaluation: None,
        original_reason: None,
        expected_salary: None,
        budget: None,
        latest_status: None,
        last_contact: None,
        tags: Vec::new(),
        composite: None,
        panel_spread: None,
        listed_at: NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
    };
    let recall = vec![
        entry("P1", "A", 90.0),
        entry("P1", "B", 80.0),
        entry("P1", "C", 70.0),
        entry("P2", "D", 85.0),
        entry("P3", "E", 75.0),
        entry("P3", "F", 65.0),
        entry("P3", "G", 60.0),
    ];
    let (data, surveys) = fixture();
    let settings = ReportSettings {
        recall_top: 2,
        language: Lang::En,
        ..ReportSettings::default()
    };
    let m = build(&ReportInput {
        data: &data,
        surveys: &surveys,
        recall: &recall,
        counts: &[],
        resolution: &ResolutionSummary::default(),
        settings: &settings,
        pipeline: "p.toml",
        as_of: NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(),
    });
    let list = table(&m, "recall_list");
    let shown: Vec<&str> = list.rows.iter().map(|r| r[1].display.as_str()).collect();
    assert_eq!(shown, ["A", "B", "D", "E", "F"]);
    let note = list.note.as_deref().unwrap();
    assert!(note.starts_with("The 2 best-scoring"), "{note}");
    assert!(note.contains("5 rows shown of 7"), "{note}");
}

use std::collections::BTreeMap;

use super::{at, close, some_close};
use crate::model::EvaluationRecord;
use crate::stats::describe::*;
use crate::stats::survey::{QuestionBank, Scale, SurveyResponse};

#[test]
fn mean_sd_and_ci_of_five_likert_answers() {
    // mean 4, sd = √(2/4) = 0.707107, half-width = 2.776445 · 0.707107 / √5 = 0.877989.
    let s = summarize(&[4.0, 5.0, 3.0, 4.0, 4.0]);
    assert_eq!(s.n, 5);
    some_close(s.mean, 4.0, 1e-12);
    some_close(s.sd, 0.5f64.sqrt(), 1e-12);
    let ci = s.ci95.expect("n ≥ 2 has a CI");
    close(ci.low, 3.122011, 1e-6);
    close(ci.high, 4.877989, 1e-6);
    some_close(s.median, 4.0, 0.0);
}

#[test]
fn one_value_has_no_ci_and_no_sd() {
    let s = summarize(&[3.0]);
    assert_eq!((s.n, s.mean, s.median), (1, Some(3.0), Some(3.0)));
    assert_eq!((s.sd, s.ci95), (None, None));
    assert_eq!(summarize(&[]), Summary::default());
}

#[test]
fn identical_values_have_a_zero_width_ci() {
    let ci = ci95_mean(&[2.0, 2.0, 2.0]).expect("n = 3");
    assert_eq!((ci.low, ci.high), (2.0, 2.0));
}

#[test]
fn non_finite_values_are_ignored() {
    let s = summarize(&[1.0, f64::NAN, 3.0, f64::INFINITY]);
    assert_eq!(s.n, 2);
    some_close(s.mean, 2.0, 0.0);
}

#[test]
fn t_critical_values_match_exact_quantiles() {
    assert_eq!(t_critical_95(0), None);
    // Table values.
    some_close(t_critical_95(1), 12.706205, 1e-6);
    some_close(t_critical_95(4), 2.776445, 1e-6);
    some_close(t_critical_95(30), 2.042272, 1e-6);
    // Cornish–Fisher beyond the table, against exact quantiles.
    some_close(t_critical_95(31), 2.039513446, 1e-7);
    some_close(t_critical_95(40), 2.021075390, 1e-7);
    some_close(t_critical_95(100), 1.983971519, 1e-8);
    some_close(t_critical_95(1000), 1.962339081, 1e-8);
    // Decreasing in df, and above the normal quantile, across the seam.
    let values: Vec<f64> = (1..=500).map(|df| t_critical_95(df).unwrap()).collect();
    assert!(values.windows(2).all(|w| w[0] > w[1]));
    assert!(values.iter().all(|&t| t > 1.959964));
}

#[test]
fn median_odd_even_and_empty() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    assert_eq!(median(&[]), None);
}

#[test]
fn p90_interpolates_between_order_statistics() {
    let one_to_ten: Vec<f64> = (1..=10).map(f64::from).collect();
    // h = 9 · 0.9 = 8.1 → x₈ + 0.1 · (x₉ − x₈) = 9 + 0.1.
    some_close(percentile(&one_to_ten, 0.9), 9.1, 1e-12);
    some_close(percentile(&[20.0, 10.0], 0.9), 19.0, 1e-12);
    assert_eq!(percentile(&one_to_ten, 0.0), Some(1.0));
    assert_eq!(percentile(&one_to_ten, 1.0), Some(10.0));
    assert_eq!(percentile(&[5.0], 0.9), Some(5.0));
    assert_eq!(percentile(&one_to_ten, 1.5), None);
    assert_eq!(percentile(&[], 0.5), None);
}

#[test]
fn distribution_lists_every_point() {
    let d = distribution(&[4.0, 5.0, 3.0, 4.0, 4.0], Scale::Likert5);
    let counts: Vec<(u8, usize)> = d.iter().map(|p| (p.point, p.count)).collect();
    assert_eq!(counts, [(1, 0), (2, 0), (3, 1), (4, 3), (5, 1)]);
    assert_eq!(distribution(&[10.0], Scale::Nps0to10).len(), 11);
    assert!(distribution(&[1.0], Scale::FreeText).is_empty());
}

#[test]
fn top2box_is_the_share_of_fours_and_fives() {
    assert_eq!(top2box_pct(&[5.0, 4.0, 3.0, 2.0, 1.0]), Some(40.0));
    assert_eq!(top2box_pct(&[4.0, 5.0, 3.0, 4.0, 4.0]), Some(80.0));
    assert_eq!(top2box_pct(&[]), None);
}

#[test]
fn nps_edge_cases_and_a_mixed_sample() {
    let all_promoters = nps(&[9.0, 10.0, 10.0]).unwrap();
    assert_eq!(all_promoters.score, 100.0);
    let all_detractors = nps(&[0.0, 3.0, 6.0]).unwrap();
    assert_eq!(all_detractors.score, -100.0);
    let mixed = nps(&[9.0, 10.0, 7.0, 3.0]).unwrap();
    assert_eq!(
        (mixed.n, mixed.promoters, mixed.passives, mixed.detractors),
        (4, 2, 1, 1)
    );
    assert_eq!(mixed.score, 25.0);
    assert_eq!(nps(&[7.0, 8.0]).unwrap().score, 0.0);
    assert_eq!(nps(&[]), None);
    // Off-scale values are not answers.
    assert_eq!(nps(&[11.0, 9.5, -1.0]), None);
}

fn record(id: &str, sent: bool, answered: bool, score: Option<f64>) -> SurveyResponse {
    SurveyResponse {
        response_id: id.into(),
        question_id: "positive_experience".into(),
        sent_at: sent.then(|| at(2024, 3, 1, 9, 0)),
        answered_at: answered.then(|| at(2024, 3, 2, 9, 0)),
        score,
        ..Default::default()
    }
}

#[test]
fn response_rate_counts_distinct_surveys() {
    let mut comment_only = record("R3", true, false, None);
    comment_only.comment = Some("ok".into());
    let responses = vec![
        // R1: two questions, one survey.
        record("R1", true, true, Some(4.0)),
        record("R1", true, true, Some(5.0)),
        // R2: sent, never answered.
        record("R2", true, false, None),
        record("R2", true, false, None),
        // R3: answered with a comment only, no answered_at.
        comment_only,
        // R4: answered through an open link, never sent: in neither figure.
        record("R4", false, true, Some(3.0)),
    ];
    let rate = response_rate(&responses);
    assert_eq!((rate.sent, rate.answered), (3, 2));
    some_close(rate.rate, 2.0 / 3.0, 1e-12);
    assert_eq!(response_rate(&[]).rate, None);
}

fn eval(app: &str, at: chrono::NaiveDateTime) -> EvaluationRecord {
    EvaluationRecord {
        application_id: app.into(),
        at: Some(at),
        ..Default::default()
    }
}

#[test]
fn interview_to_notice_uses_the_last_interview_before_the_notice() {
    let evaluations = vec![
        eval("A", at(2024, 5, 1, 10, 0)),
        eval("A", at(2024, 5, 3, 10, 0)),
        eval("B", at(2024, 5, 1, 9, 0)),
        eval("C", at(2024, 5, 5, 9, 0)),
    ];
    let notices = BTreeMap::from([
        ("A", at(2024, 5, 3, 16, 0)), // 6 h after the second round
        ("B", at(2024, 5, 2, 9, 0)),  // 24 h
        ("C", at(2024, 5, 4, 9, 0)),  // before the interview: excluded
        ("D", at(2024, 5, 4, 9, 0)),  // no interview: skipped
    ]);
    let d = interview_to_notice(&evaluations, &notices);
    assert_eq!((d.unit, d.n, d.excluded), ("hours", 2, 1));
    some_close(d.median, 15.0, 1e-12);
    // h = 1 · 0.9 → 6 + 0.9 · 18.
    some_close(d.p90, 22.2, 1e-12);
}

#[test]
fn question_stats_drop_off_scale_scores() {
    let bank = QuestionBank::builtin();
    let q = bank.get("courtesy_respect").unwrap();
    let s = question_stats(q, &[4.0, 5.0, 6.0, 4.5]);
    assert_eq!((s.summary.n, s.invalid), (2, 2));
    some_close(s.summary.mean, 4.5, 1e-12);
    assert_eq!(s.top2_box_pct, Some(100.0));
    assert_eq!(s.nps, None);
    let r = question_stats(bank.get("recommend").unwrap(), &[9.0, 10.0, 7.0, 3.0]);
    assert_eq!(r.nps.map(|n| n.score), Some(25.0));
    assert_eq!(r.top2_box_pct, None);
}

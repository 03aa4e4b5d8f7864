use super::{at, date, some_close};
use crate::model::{ApplicationRecord, PositionRecord};
use crate::stats::groups::*;
use crate::stats::survey::{Polarity, QuestionBank, SurveyResponse};

/// One answer of survey `id` to `question`.
fn answer(id: &str, app: Option<&str>, question: &str, score: Option<f64>) -> SurveyResponse {
    SurveyResponse {
        response_id: id.into(),
        application_id: app.map(str::to_string),
        sent_at: Some(at(2024, 3, 1, 9, 0)),
        answered_at: Some(at(2024, 3, 2, 9, 0)),
        question_id: question.into(),
        score,
        ..Default::default()
    }
}

fn app(id: &str, department: &str) -> ApplicationRecord {
    ApplicationRecord {
        application_id: id.into(),
        department: Some(department.into()),
        ..Default::default()
    }
}

fn config(min: usize, dimensions: &[GroupBy]) -> GroupConfig {
    GroupConfig {
        min_group_size: min,
        dimensions: dimensions.to_vec(),
    }
}

#[test]
fn default_config_suppresses_below_five() {
    let c = GroupConfig::default();
    assert_eq!(c.min_group_size, 5);
    assert_eq!(c.dimensions, GroupBy::ALL);
}

#[test]
fn a_group_of_four_is_suppressed_and_a_group_of_five_shown() {
    let mut responses = Vec::new();
    let mut apps = Vec::new();
    for i in 0..9 {
        let (id, app_id) = (format!("R{i}"), format!("A{i}"));
        let dept = if i < 5 { "研发部" } else { "销售部" };
        apps.push(app(&app_id, dept));
        responses.push(answer(&id, Some(&app_id), "courtesy_respect", Some(4.0)));
        let mut comment = answer(&id, Some(&app_id), "done_differently", None);
        comment.comment = Some(format!("comment {i}"));
        responses.push(comment);
    }
    let ctx = SurveyContext {
        applications: &apps,
        positions: &[],
    };
    let report = survey_report(
        &responses,
        QuestionBank::builtin(),
        ctx,
        &config(5, &[GroupBy::Department]),
    );
    assert_eq!(report.groups.len(), 2);
    let shown = &report.groups[0];
    assert_eq!(shown.key, "研发部");
    assert!(!shown.suppressed);
    assert_eq!((shown.n, shown.n_display.as_str()), (Some(5), "5"));
    assert_eq!(shown.comments.len(), 5);
    assert_eq!(shown.comments[0].text, "comment 0");
    some_close(shown.satisfaction_index, 4.0, 1e-12);

    let hidden = &report.groups[1];
    assert_eq!(hidden.key, "销售部");
    assert!(hidden.suppressed);
    assert_eq!((hidden.n, hidden.n_display.as_str()), (None, "<5"));
    assert!(hidden.questions.is_empty() && hidden.comments.is_empty());
    assert_eq!(hidden.satisfaction_index, None);
    // Nothing from the hidden group leaks into the serialized report.
    let json = serde_json::to_string(&report).unwrap();
    assert!(!json.contains("comment 7"));
}

#[test]
fn challenging_is_reported_but_not_in_the_satisfaction_index() {
    let mut responses = Vec::new();
    for i in 0..5 {
        let id = format!("R{i}");
        responses.push(answer(&id, None, "positive_experience", Some(5.0)));
        responses.push(answer(&id, None, "courtesy_respect", Some(4.0)));
        responses.push(answer(&id, None, "challenging", Some(1.0)));
        // Only three answer the NPS question: suppressed inside a shown group.
        if i < 3 {
            responses.push(answer(&id, None, "recommend", Some(10.0)));
        }
    }
    let report = survey_report(
        &responses,
        QuestionBank::builtin(),
        SurveyContext::default(),
        &config(5, &[GroupBy::All]),
    );
    let all = &report.groups[0];
    assert_eq!((all.key.as_str(), all.n), ("all", Some(5)));
    // (5 + 4) / 2, not (5 + 4 + 1) / 3.
    some_close(all.satisfaction_index, 4.5, 1e-12);
    let ids: Vec<&str> = all
        .questions
        .iter()
        .map(|q| q.question_id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "positive_experience",
            "courtesy_respect",
            "challenging",
            "recommend"
        ]
    );
    let challenging = &all.questions[2];
    assert_eq!(challenging.polarity, Polarity::Challenging);
    some_close(challenging.stats.as_ref().unwrap().summary.mean, 1.0, 0.0);
    let recommend = &all.questions[3];
    assert!(recommend.suppressed && recommend.stats.is_none());
    assert_eq!(recommend.n_display, "<5");
}

#[test]
fn groups_by_outcome_month_family_and_template_in_fixed_order() {
    let hired = ApplicationRecord {
        application_id: "A1".into(),
        position_id: Some("P1".into()),
        onboard_at: Some(date(2024, 4, 1)),
        ..Default::default()
    };
    let rejected = ApplicationRecord {
        application_id: "A2".into(),
        position_id: Some("P2".into()),
        status: Some("rejected"),
        ..Default::default()
    };
    let declined = ApplicationRecord {
        application_id: "A3".into(),
        status: Some("declined"),
        rejection_type: Some("candidate_declined"),
        ..Default::default()
    };
    let positions = vec![
        PositionRecord {
            position_id: "P1".into(),
            job_family: Some("tech"),
            department: Some("研发部".into()),
            ..Default::default()
        },
        PositionRecord {
            position_id: "P2".into(),
            job_family: Some("sales"),
            ..Default::default()
        },
    ];
    let mut responses = vec![
        answer("R1", Some("A1"), "courtesy_respect", Some(5.0)),
        answer("R2", Some("A2"), "courtesy_respect", Some(2.0)),
        answer("R3", Some("A3"), "courtesy_respect", Some(3.0)),
        answer("R4", None, "courtesy_respect", Some(4.0)),
        // Sent, unanswered: in no group.
        answer("R5", Some("A1"), "courtesy_respect", None),
    ];
    responses[1].answered_at = Some(at(2024, 1, 15, 8, 0));
    responses[2].answered_at = None;
    responses[4].answered_at = None;
    responses[0].template_version = Some("v2".into());
    responses[1].template_version = Some("v1".into());
    let apps = [rejected, declined, hired];
    let ctx = SurveyContext {
        applications: &apps,
        positions: &positions,
    };
    let dims = [
        GroupBy::Outcome,
        GroupBy::Month,
        GroupBy::JobFamily,
        GroupBy::Department,
        GroupBy::TemplateVersion,
    ];
    let bank = QuestionBank::builtin();
    let report = survey_report(&responses, bank, ctx, &config(1, &dims));
    let keys: Vec<(GroupBy, &str, Option<usize>)> = report
        .groups
        .iter()
        .map(|g| (g.dimension, g.key.as_str(), g.n))
        .collect();
    let u = "(unknown)";
    assert_eq!(
        keys,
        [
            (GroupBy::Outcome, "hired", Some(1)),
            (GroupBy::Outcome, "rejected", Some(1)),
            (GroupBy::Outcome, "other", Some(2)),
            (GroupBy::Month, "2024-01", Some(1)),
            (GroupBy::Month, "2024-03", Some(2)),
            (GroupBy::Month, u, Some(1)),
            (GroupBy::JobFamily, "sales", Some(1)),
            (GroupBy::JobFamily, "tech", Some(1)),
            (GroupBy::JobFamily, u, Some(2)),
            (GroupBy::Department, "研发部", Some(1)),
            (GroupBy::Department, u, Some(3)),
            (GroupBy::TemplateVersion, "v1", Some(1)),
            (GroupBy::TemplateVersion, "v2", Some(1)),
            (GroupBy::TemplateVersion, u, Some(2)),
        ]
    );
    let other = &report.groups[2];
    some_close(other.satisfaction_index, 3.5, 1e-12);
    // Unanswered R5 is still a sent survey.
    assert_eq!(report.response_rate.sent, 5);
    assert_eq!(report.response_rate.answered, 4);
    // Deterministic: the same input gives the same report.
    assert_eq!(
        report,
        survey_report(&responses, bank, ctx, &config(1, &dims))
    );
}

#[test]
fn outcome_rules() {
    let mut a = ApplicationRecord::default();
    assert_eq!(outcome_of(&a), OutcomeGroup::Other);
    a.rejection_type = Some("we_rejected");
    assert_eq!(outcome_of(&a), OutcomeGroup::Rejected);
    a.stage = Some("hired");
    assert_eq!(outcome_of(&a), OutcomeGroup::Hired);
}

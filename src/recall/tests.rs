//! Recall rules and standing conditions on a small dataset, and a property
//! test over every rendered recall message and rejection notice.

use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;

use super::*;
use crate::model::{ContactRecord, EvaluationRecord, PersonRecord};
use crate::notices::{NoticeInput, NoticeSettings, Renderer};
use crate::rules::contact::ContactOutcome;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(10, 0, 0).unwrap()
}

const AS_OF: (i32, u32, u32) = (2024, 7, 1);

fn as_of() -> NaiveDate {
    date(AS_OF.0, AS_OF.1, AS_OF.2)
}

/// One candidate rejected for headcount on a sales position, with an
/// evaluation, and two open positions.
struct Case {
    name: String,
    position: String,
    reason_raw: String,
    comment: String,
    salary: Option<(f64, f64)>,
    interview: Option<NaiveDateTime>,
}

impl Default for Case {
    fn default() -> Self {
        Case {
            name: "张三".into(),
            position: "销售经理".into(),
            reason_raw: "岗位已满，老板说先放着".into(),
            comment: "沟通能力强，销售业绩突出".into(),
            salary: Some((15000.0, 15000.0)),
            interview: Some(at(2023, 3, 4)),
        }
    }
}

fn dataset(c: &Case) -> Dataset {
    let person = PersonRecord {
        record_id: "R1".into(),
        candidate_id: "C1".into(),
        name: Some(c.name.as_str().into()),
        name_key: Some(c.name.as_str().into()),
        phones: vec!["+8613800138000".into()],
        emails: vec!["zhangsan@example.com".into()],
        salary_min: c.salary.map(|s| s.0),
        salary_max: c.salary.map(|s| s.1),
        salary_raw: c.salary.map(|s| format!("{}k", s.0 / 1000.0).into()),
        ..Default::default()
    };
    let app = ApplicationRecord {
        application_id: "A1".into(),
        record_id: "R1".into(),
        candidate_id: "C1".into(),
        position: Some(c.position.clone()),
        position_id: Some("P1".into()),
        applied_at: Some(date(2023, 3, 1)),
        status: Some("rejected"),
        rejection_type: Some("we_rejected"),
        rejection_reason: Some("headcount_filled"),
        rejection_reason_raw: Some(c.reason_raw.clone()),
        ..Default::default()
    };
    let eval = EvaluationRecord {
        evaluation_id: "V1".into(),
        application_id: "A1".into(),
        candidate_id: "C1".into(),
        interviewer: Some("王总".into()),
        at: c.interview,
        overall: Some(8.5),
        comment: Some(c.comment.clone()),
        composite: Some(8.5),
        panel_spread: Some(1.0),
        ..Default::default()
    };
    let position = |id: &str, title: &str| PositionRecord {
        position_id: id.into(),
        title: title.into(),
        job_family: Some("sales"),
        budget_min: Some(15000.0),
        budget_max: Some(20000.0),
        status: Some("reopened"),
        ..Default::default()
    };
    Dataset {
        persons: vec![person],
        applications: vec![app],
        evaluations: vec![eval],
        positions: vec![position("P1", &c.position), position("P2", "大客户经理")],
        ..Default::default()
    }
}

fn settings() -> RecallSettings {
    RecallSettings {
        min_score: 0.0,
        ..Default::default()
    }
}

fn listed(data: &Dataset, s: &RecallSettings) -> Vec<String> {
    recall(data, s, as_of())
        .unwrap()
        .into_iter()
        .map(|e| e.position_id)
        .collect()
}

fn contact(
    result: ContactOutcome,
    when: Option<NaiveDateTime>,
    position: Option<&str>,
) -> ContactRecord {
    ContactRecord {
        candidate_id: "C1".into(),
        event_id: "E1".into(),
        at: when,
        result: Some(result),
        position_id: position.map(str::to_string),
        position: None,
        kind: crate::contacts::RECALL_OUTCOME_EVENT,
        reinterview_at: None,
    }
}

#[test]
fn entries_show_tags_composite_and_panel_spread() {
    let data = dataset(&Case::default());
    let rows = recall(&data, &settings(), as_of()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].tags, vec!["沟通能力强", "销售能力突出"]);
    assert_eq!(rows[0].composite, Some(8.5));
    assert_eq!(rows[0].panel_spread, Some(1.0));
}

#[test]
fn tag_rules_fire_on_talent_pool_tags_and_unknown_tags_are_refused() {
    let data = dataset(&Case::default());
    let mut s = settings();
    s.rules = vec![RecallRule {
        name: "销售能力突出".into(),
        mode: None,
        reasons: Vec::new(),
        types: Vec::new(),
        min_evaluation: None,
        tags: vec!["sales-strong".into()],
    }];
    assert!(s.validate().is_ok());
    let rows = recall(&data, &s, as_of()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].rules_fired, vec!["销售能力突出"]);
    s.rules[0].tags = vec!["management-strong".into()];
    let tagless = Dataset {
        evaluations: Vec::new(),
        ..dataset(&Case::default())
    };
    assert!(recall(&tagless, &s, as_of()).unwrap().is_empty());
    s.rules[0].tags = vec!["sales-stronk".into()];
    let errors = s.validate().unwrap_err();
    assert!(
        errors[0].contains("unknown tag `sales-stronk`"),
        "{errors:?}"
    );
}

#[test]
fn contacts_within_the_cooldown_count_only_up_to_the_as_of_date() {
    let mut data = dataset(&Case::default());
    // No answer ten days ago is a contact: cooldown.
    data.contacts = vec![contact(
        ContactOutcome::NoAnswer,
        Some(at(2024, 6, 21)),
        None,
    )];
    assert!(listed(&data, &settings()).is_empty());
    // Forty days ago: the cooldown is over.
    data.contacts = vec![contact(
        ContactOutcome::NoAnswer,
        Some(at(2024, 5, 22)),
        None,
    )];
    assert_eq!(listed(&data, &settings()).len(), 2);
    // After the as-of date: not yet happened for this run.
    data.contacts = vec![contact(
        ContactOutcome::Reached,
        Some(at(2024, 7, 10)),
        None,
    )];
    data.persons[0].last_contact_at = Some(date(2024, 7, 10));
    assert_eq!(listed(&data, &settings()).len(), 2);
}

#[test]
fn outcomes_close_every_list_or_the_declined_position_only() {
    let mut data = dataset(&Case::default());
    let old = Some(at(2024, 1, 5));
    let recent = Some(at(2024, 5, 20));
    data.contacts = vec![contact(ContactOutcome::Declined, old, Some("P1"))];
    assert_eq!(listed(&data, &settings()), vec!["P2"]);
    // A decline from before the position was reopened does not count for
    // the new opening.
    data.positions[0].opened_at = Some(date(2024, 3, 1));
    assert_eq!(listed(&data, &settings()).len(), 2);
    data.contacts = vec![contact(ContactOutcome::Declined, recent, Some("P1"))];
    assert_eq!(listed(&data, &settings()), vec!["P2"]);
    // Agreeing to an interview keeps someone off the lists while in process.
    data.contacts = vec![contact(
        ContactOutcome::AgreedToInterview,
        recent,
        Some("P1"),
    )];
    assert!(listed(&data, &settings()).is_empty());
    data.contacts = vec![contact(ContactOutcome::AgreedToInterview, old, Some("P1"))];
    assert_eq!(listed(&data, &settings()).len(), 2);
    // An undated outcome still decides; it starts no cooldown.
    data.contacts = vec![contact(ContactOutcome::Joined, None, None)];
    assert!(listed(&data, &settings()).is_empty());
    data.contacts = vec![contact(ContactOutcome::NoAnswer, None, None)];
    assert_eq!(listed(&data, &settings()).len(), 2);
}

/// Text a person might type into a name, position or company cell: CJK,
/// Latin, digits, punctuation, braces and brackets.
fn value(max: usize) -> impl Strategy<Value = String> {
    let re = format!(
        "[张三李四王五赵钱孙销售经理数据工程师星河a-zA-Z0-9 ,.，。{{}}\\[\\]%#]{{1,{max}}}"
    );
    proptest::string::string_regex(&re).unwrap().prop_filter(
        "a real value, not a filler word",
        |v| {
            let l = v.to_lowercase();
            !v.trim().is_empty() && !l.contains("none") && !l.contains("undefined")
        },
    )
}

fn all_channels() -> [(Lang, Channel); 6] {
    [
        (Lang::Zh, Channel::Wechat),
        (Lang::Zh, Channel::Sms),
        (Lang::Zh, Channel::Email),
        (Lang::En, Channel::Wechat),
        (Lang::En, Channel::Sms),
        (Lang::En, Channel::Email),
    ]
}

fn limit(lang: Lang) -> usize {
    match lang {
        Lang::Zh => crate::notices::SMS_LIMIT_ZH,
        Lang::En => crate::notices::SMS_LIMIT_EN,
    }
}

/// Nothing of a template may be left in a rendered text.
fn assert_filled(text: &str) {
    assert_eq!(unfilled_slot(text), None, "{text}");
    for word in ["none", "None", "undefined"] {
        assert!(!text.contains(word), "`{word}` in {text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_rendered_message_is_filled_and_fits_its_channel(
        name in value(40),
        position in value(30),
        company in value(24),
        sender in value(12),
        reason_raw in value(30),
        comment in prop_oneof![Just(String::new()), Just("沟通能力强，销售业绩突出".to_string()), value(60)],
        salary in proptest::option::of((8u32..20).prop_map(|k| (k as f64 * 1000.0, k as f64 * 1000.0 + 2000.0))),
        interview in proptest::option::of(Just(at(2023, 3, 4))),
    ) {
        let case = Case {
            name: name.clone(),
            position: position.clone(),
            reason_raw: reason_raw.clone(),
            comment,
            salary,
            interview,
        };
        let data = dataset(&case);
        let short = name.chars().count() <= 6
            && position.chars().count() <= 8
            && company.chars().count() <= 8
            && sender.chars().count() <= 6;
        for (lang, channel) in all_channels() {
            let s = RecallSettings {
                company: company.clone(),
                sender: sender.clone(),
                language: lang,
                channel,
                ..settings()
            };
            let rows = recall(&data, &s, as_of()).unwrap();
            prop_assert_eq!(rows.len(), 2, "the candidate is on both lists");
            for r in &rows {
                match &r.problem {
                    None => {
                        assert_filled(&r.message);
                        prop_assert!(r.message.contains(&safe_value(&name)), "{}", r.message);
                        if let Some(subject) = &r.subject {
                            assert_filled(subject);
                        }
                        if channel == Channel::Sms {
                            prop_assert!(r.message.chars().count() <= limit(lang), "{}", r.message);
                        }
                    }
                    Some(p) => {
                        prop_assert_eq!(channel, Channel::Sms, "{}", p);
                        prop_assert!(r.message.is_empty());
                        prop_assert!(!short, "a short SMS must fit: {}", p);
                    }
                }
            }

            let input = NoticeInput {
                application_id: "A1".into(),
                candidate_id: "C1".into(),
                name: name.clone(),
                position: position.clone(),
                job_family: "sales".into(),
                reason_code: "headcount_filled".into(),
                reason_raw: Some(format!("内部备注：{reason_raw}")),
                strength: case.comment.split('，').next().map(str::to_string).filter(|s| !s.is_empty()),
                interview_date: case.interview.map(|t| t.date()),
                email: Some("zhangsan@example.com".into()),
                phone: Some("+8613800138000".into()),
            };
            let ns = NoticeSettings { company: company.clone(), sender: sender.clone(), lang, channel };
            match Renderer::builtin().render(&input, &ns) {
                Ok(n) => {
                    assert_filled(&n.body);
                    if let Some(subject) = &n.subject {
                        assert_filled(subject);
                    }
                    let internal = input.reason_raw.as_deref().unwrap();
                    prop_assert!(!n.body.contains(internal), "internal reason in {}", n.body);
                    prop_assert!(n.subject.as_deref().is_none_or(|s| !s.contains(internal)));
                    prop_assert!(n.body.contains(&safe_value(&name)), "{}", n.body);
                    if channel == Channel::Sms {
                        prop_assert!(n.body.chars().count() <= limit(lang), "{}", n.body);
                    }
                }
                // Refusing is allowed only for what the values bring: an SMS
                // too long, or a word a notice must not say (`age` in a
                // Latin name). Never leftover template syntax.
                Err(e) => prop_assert!(
                    e.starts_with("SMS is") || e.starts_with("contains the forbidden word"),
                    "{}", e
                ),
            }
        }
    }
}

/// A run dated back sees the records as they stood then: a rejection
/// decided after the as-of date, or an application made after it, does
/// not make a recall; the same data a day after the decision does.
#[test]
fn later_decisions_and_applications_are_not_known_to_an_earlier_run() {
    let base = dataset(&Case::default());
    let rule = |reasons: Vec<String>, min_evaluation: Option<f64>| RecallSettings {
        rules: vec![RecallRule {
            name: "r".into(),
            mode: None,
            reasons,
            types: Vec::new(),
            min_evaluation,
            tags: Vec::new(),
        }],
        ..settings()
    };
    let headcount = || rule(vec!["headcount_filled".into()], None);
    let settings = headcount;
    assert_eq!(listed(&base, &settings()), ["P1", "P2"]);

    let mut decided_later = base.clone();
    decided_later.applications[0].decided_at = Some(date(2024, 7, 15));
    assert!(listed(&decided_later, &settings()).is_empty());
    let after: Vec<String> = recall(&decided_later, &settings(), date(2024, 7, 16))
        .unwrap()
        .into_iter()
        .map(|e| e.position_id)
        .collect();
    assert_eq!(after, ["P1", "P2"]);

    let mut applied_later = base.clone();
    applied_later.applications[0].applied_at = Some(date(2024, 8, 1));
    assert!(listed(&applied_later, &settings()).is_empty());

    // An interview after the as-of date is not among the facts either:
    // without it no evaluation-based rule can fire.
    let mut interviewed_later = base;
    interviewed_later.evaluations[0].at = Some(at(2024, 9, 1));
    let only_eval = rule(Vec::new(), Some(8.0));
    assert!(listed(&interviewed_later, &only_eval).is_empty());
    interviewed_later.evaluations[0].at = Some(at(2024, 6, 1));
    assert!(!listed(&interviewed_later, &only_eval).is_empty());
}

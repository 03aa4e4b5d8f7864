use super::at;
use crate::model::stable_id;
use crate::stats::describe::response_rate;
use crate::stats::survey::*;

#[test]
fn builtin_bank_has_the_greenhouse_notice_and_nps_questions() {
    let bank = QuestionBank::builtin();
    let ids: Vec<&str> = bank.questions().iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "positive_experience",
            "started_on_time",
            "position_explained",
            "interviewers_prepared",
            "accurate_assessment",
            "courtesy_respect",
            "challenging",
            "positive_impression",
            "done_differently",
            "notice_tone",
            "notice_detail",
            "notice_timeliness",
            "notice_helpfulness",
            "recommend",
        ]
    );
    let challenging: Vec<&str> = bank
        .questions()
        .iter()
        .filter(|q| q.polarity == Polarity::Challenging)
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(challenging, ["challenging"]);
    assert_eq!(bank.get("done_differently").unwrap().scale, Scale::FreeText);
    assert_eq!(bank.get("recommend").unwrap().scale, Scale::Nps0to10);
    let notice = bank
        .questions()
        .iter()
        .filter(|q| q.section == Section::Notice)
        .count();
    assert_eq!(notice, 4);
}

#[test]
fn headers_match_by_id_text_or_alias() {
    let bank = QuestionBank::builtin();
    let id = |h: &str| bank.match_header(h).map(|q| q.id.as_str());
    let cases = [
        (
            "Overall, my interviewing experience was a positive one.",
            Some("positive_experience"),
        ),
        (
            "Q3. The position was clearly explained to me",
            Some("position_explained"),
        ),
        ("总体而言，我觉得面试过程很有挑战性", Some("challenging")),
        (
            "7、总体而言，我觉得面试过程很有挑战性。",
            Some("challenging"),
        ),
        ("  我受到了礼貌和尊重的对待。 ", Some("courtesy_respect")),
        ("ＲＥＣＯＭＭＥＮＤ", Some("recommend")),
        ("Notice_Tone", Some("notice_tone")),
        ("POSITIVE EXPERIENCE", Some("positive_experience")),
        ("推荐意愿", Some("recommend")),
        ("微信号", None),
        ("", None),
    ];
    for (header, expected) in cases {
        assert_eq!(id(header), expected, "{header:?}");
    }
}

#[test]
fn scores_are_read_from_numbers_and_labels() {
    let bank = QuestionBank::builtin();
    let likert = |s: &str| bank.parse_score(s, Scale::Likert5);
    assert_eq!(likert("4"), Ok(4.0));
    assert_eq!(likert("4.0"), Ok(4.0));
    assert_eq!(likert("４分"), Ok(4.0));
    assert_eq!(likert("5 - Strongly agree"), Ok(5.0));
    assert_eq!(likert("5.非常同意"), Ok(5.0));
    assert_eq!(likert("非常同意"), Ok(5.0));
    assert_eq!(likert("不同意"), Ok(2.0));
    assert_eq!(likert("Neutral"), Ok(3.0));
    assert!(likert("6").is_err());
    assert!(likert("4.5").is_err());
    assert!(likert("45").is_err());
    assert!(likert("很好").is_err());
    let nps = |s: &str| bank.parse_score(s, Scale::Nps0to10);
    assert_eq!(nps("0"), Ok(0.0));
    assert_eq!(nps("10"), Ok(10.0));
    assert!(nps("11").is_err());
    assert!(nps("同意").is_err());
    assert!(bank.parse_score("5", Scale::FreeText).is_err());
}

#[test]
fn a_bank_with_clashing_headers_is_refused() {
    let clash = r#"
        [[question]]
        id = "a"
        section = "interview"
        scale = "likert5"
        polarity = "higher_is_better"
        text_zh = "同一句话"
        text_en = "A"

        [[question]]
        id = "b"
        section = "interview"
        scale = "likert5"
        polarity = "higher_is_better"
        text_zh = "同一句话。"
        text_en = "B"
    "#;
    let err = QuestionBank::from_toml(clash).unwrap_err();
    assert!(err.0.contains("`a`") && err.0.contains("`b`"), "{err}");
    assert!(QuestionBank::from_toml("question = 1").is_err());
    let ok = QuestionBank::from_toml(&clash.replace("同一句话。", "另一句话")).unwrap();
    assert_eq!(ok.questions().len(), 2);
}

fn table() -> WideTable {
    let s = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    WideTable {
        source: "survey.xlsx".into(),
        headers: s(&[
            "答卷编号",
            "申请编号",
            "发送时间",
            "提交时间",
            "模板版本",
            "1、总体而言，我的面试体验是积极的",
            "总体而言，我觉得面试过程很有挑战性。",
            "您希望公司在哪些方面做得不同？",
            "推荐意愿",
            "职位介绍清楚备注",
            "微信号",
        ]),
        rows: vec![
            s(&[
                "R1",
                "A1",
                "2024-03-01 10:00",
                "2024-03-02 09:30",
                "v2",
                "非常同意",
                "3",
                "面试官迟到了",
                "9",
                "介绍很清楚",
                "wx1",
            ]),
            // Sent, never answered, anonymous, no id: the id is derived.
            s(&["", "", "2024-03-01", "", "v2"]),
            s(&[
                "R3",
                "A3",
                "2024-03-01",
                "bad date",
                "v1",
                "7",
                "-",
                "无",
                "10",
                "",
                "",
            ]),
            s(&["", "", "", "", "", "", "", "", "", "", ""]),
        ],
    }
}

#[test]
fn reshape_wide_with_chinese_headers() {
    let bank = QuestionBank::builtin();
    let out = reshape_wide_checked(&table(), bank);
    assert_eq!(out.unmatched_columns, ["微信号"]);
    // 3 non-blank rows × 5 questions with a column, in bank order.
    assert_eq!(out.responses.len(), 15);
    let r1: Vec<_> = out.responses[..5]
        .iter()
        .map(|r| (r.question_id.as_str(), r.score, r.comment.as_deref()))
        .collect();
    assert_eq!(
        r1,
        [
            ("positive_experience", Some(5.0), None),
            ("position_explained", None, Some("介绍很清楚")),
            ("challenging", Some(3.0), None),
            ("done_differently", None, Some("面试官迟到了")),
            ("recommend", Some(9.0), None),
        ]
    );
    let first = &out.responses[0];
    assert_eq!(first.response_id, "R1");
    assert_eq!(first.application_id.as_deref(), Some("A1"));
    assert_eq!(first.sent_at, Some(at(2024, 3, 1, 10, 0)));
    assert_eq!(first.answered_at, Some(at(2024, 3, 2, 9, 30)));
    assert_eq!(first.template_version.as_deref(), Some("v2"));

    let second = &out.responses[5];
    assert_eq!(second.response_id, stable_id("SR", &["survey.xlsx", "2"]));
    assert_eq!(second.application_id, None);
    assert_eq!(second.sent_at, Some(at(2024, 3, 1, 0, 0)));
    assert!(out.responses[5..10].iter().all(|r| r.score.is_none()));

    // Row 3: "7" is off the five-point scale, "-" and "无" are blanks.
    let third: Vec<_> = out.responses[10..]
        .iter()
        .map(|r| (r.score, r.comment.as_deref()))
        .collect();
    assert_eq!(
        third,
        [
            (None, None),
            (None, None),
            (None, None),
            (None, None),
            (Some(10.0), None)
        ]
    );
    let problems: Vec<_> = out
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (3, "提交时间", "bad date"),
            (3, "1、总体而言，我的面试体验是积极的", "7")
        ]
    );
    assert_eq!(out.problems[1].reason, "not a score on the 1–5 scale");

    // Sent R1, row 2 and R3; answered R1 and R3.
    let rate = response_rate(&out.responses);
    assert_eq!((rate.sent, rate.answered), (3, 2));
    assert_eq!(reshape_wide(&table(), bank), out.responses);
}

#[test]
fn a_repeated_question_column_is_unmatched() {
    let table = WideTable {
        source: "s".into(),
        headers: vec!["recommend".into(), "推荐意愿".into()],
        rows: vec![vec!["8".into(), "2".into()]],
    };
    let out = reshape_wide_checked(&table, QuestionBank::builtin());
    assert_eq!(out.unmatched_columns, ["推荐意愿"]);
    assert_eq!(out.responses.len(), 1);
    assert_eq!(out.responses[0].score, Some(8.0));
}

//! Table tests of real sentences, one table per kind of event, each row
//! with the exact event expected (person, value, confidence).

use super::*;
use crate::rules::reason::{ReasonCode as C, RejectionType as T};
use crate::rules::status::Outcome as O;

/// Events of `kind` from the last message of a one-message chat on [`MONDAY`].
fn of_kind(text: &str, kind: ChatEventKind) -> Vec<ChatEvent> {
    run(&[], MONDAY, "孙悦", text)
        .events
        .into_iter()
        .filter(|e| e.kind == kind)
        .collect()
}

fn known(id: &str) -> PersonRef {
    PersonRef::Known(id.to_string())
}

#[test]
fn decisions() {
    let table: &[(&str, &str, O, f32)] = &[
        ("张三通过了", "P0001", O::Passed, 0.95),
        ("李四不录用", "P0002", O::Rejected, 0.95),
        ("罗辉淘汰", "P0039", O::Rejected, 0.95),
        ("周浩不太合适", "P0015", O::Rejected, 0.95),
        ("冯云待定", "P0064", O::OnHold, 0.95),
        ("张三先放人才库", "P0001", O::TalentPool, 0.95),
        ("吴军储备", "P0081", O::TalentPool, 0.95),
        ("王建斌进入复试", "P0023", O::Passed, 0.95),
        ("给周浩发offer", "P0015", O::Passed, 0.95),
        ("周浩终面通过，录用", "P0015", O::Hired, 0.95),
        ("林志二面过了", "P0061", O::Passed, 0.95),
        ("区嘉欣不来了", "P0014", O::Declined, 0.95),
        ("黄阳国说不考虑我们了", "P0079", O::Declined, 0.95),
        ("區嘉欣已接其他offer，不來了", "P0014", O::Declined, 0.85),
        ("Let's hire Jun Peng.", "P0046", O::Hired, 0.95),
        ("Jun Peng is not a good fit.", "P0046", O::Rejected, 0.95),
        ("Jun Peng: we pass on him.", "P0046", O::Rejected, 0.95),
    ];
    for (text, id, outcome, confidence) in table {
        let events = of_kind(text, ChatEventKind::Decision);
        assert_eq!(events.len(), 1, "{text}: {events:?}");
        let e = &events[0];
        assert_eq!(
            (&e.person, e.decision, e.confidence),
            (&known(id), Some(*outcome), *confidence),
            "{text}"
        );
        assert_eq!(e.text, *text);
        assert_eq!(e.said_by.as_deref(), Some("孙悦"));
    }
    // No decision: questions, negations, and decision words meaning something else.
    for text in [
        "李四通过了吗？",
        "要不要给张三发offer",
        "通过猎头推荐了李四",
        "张三还没有通过",
        "把人才库里的张三捞出来",
        "李四的电话沟通过了",
    ] {
        assert_eq!(of_kind(text, ChatEventKind::Decision), vec![], "{text}");
    }
}

#[test]
fn rejection_reasons() {
    let table: &[(&str, &str, (T, C), f32)] = &[
        (
            "张三岗位已满",
            "P0001",
            (T::WeRejected, C::HeadcountFilled),
            0.95,
        ),
        (
            "李四技术能力不足，淘汰",
            "P0002",
            (T::WeRejected, C::SkillsGap),
            0.95,
        ),
        (
            "周浩HC冻结了",
            "P0015",
            (T::WeRejected, C::HeadcountFilled),
            0.95,
        ),
        (
            "单晓峰薪资超预算",
            "P0011",
            (T::WeRejected, C::SalaryMismatch),
            0.95,
        ),
        (
            "吕志强经验不足",
            "P0013",
            (T::WeRejected, C::ExperienceGap),
            0.95,
        ),
        (
            "黄阳国面试表现一般",
            "P0079",
            (T::WeRejected, C::InterviewPerformance),
            0.95,
        ),
        (
            "王建斌稳定性差，跳槽频繁",
            "P0023",
            (T::WeRejected, C::CultureFit),
            0.95,
        ),
        (
            "梁晓刚爽约了",
            "P0067",
            (T::CandidateDeclined, C::NoShow),
            0.95,
        ),
        (
            "区嘉欣已接其他offer",
            "P0014",
            (T::CandidateDeclined, C::OfferDeclined),
            0.95,
        ),
        (
            "彭鹏薪资没谈拢",
            "P0040",
            (T::CandidateDeclined, C::SalaryMismatch),
            0.95,
        ),
        (
            "張三崗位已滿",
            "P0001",
            (T::WeRejected, C::HeadcountFilled),
            0.85,
        ),
        (
            "Jun Peng accepted another offer.",
            "P0046",
            (T::CandidateDeclined, C::OfferDeclined),
            0.95,
        ),
    ];
    for (text, id, reason, confidence) in table {
        let events = of_kind(text, ChatEventKind::RejectionReason);
        assert_eq!(events.len(), 1, "{text}: {events:?}");
        let e = &events[0];
        assert_eq!(
            (&e.person, e.reason, e.confidence),
            (&known(id), Some(*reason), *confidence),
            "{text}"
        );
    }
    // 联系不上 is read as a contact result, not as a reason to end the process.
    assert_eq!(
        of_kind("李四联系不上", ChatEventKind::RejectionReason),
        vec![]
    );
    assert_eq!(
        of_kind("李四岗位已满吗？", ChatEventKind::RejectionReason),
        vec![]
    );
}

#[test]
fn evaluations() {
    // (text, person, strengths, concerns, confidence)
    type Row = (
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
        f32,
    );
    let table: &[Row] = &[
        (
            "张三逻辑清晰，沟通能力强，但岗位已满，先放人才库",
            "P0001",
            &["逻辑清晰", "沟通能力强"],
            &[],
            0.95,
        ),
        (
            "徐阳诚数据分析能力突出，逻辑清晰，缺乏行业经验",
            "P0051",
            &["数据分析能力突出", "逻辑清晰"],
            &["缺乏行业经验"],
            0.95,
        ),
        ("张三做过类似项目", "P0001", &["做过类似项目"], &[], 0.95),
        (
            "周浩没做过类似项目，基础一般",
            "P0015",
            &[],
            &["基础一般"],
            0.95,
        ),
        (
            "王建斌稳定性一般，基础薄弱",
            "P0023",
            &[],
            &["稳定性一般", "基础薄弱"],
            0.95,
        ),
        (
            "吴磊沟通不错，有点紧张",
            "P0074",
            &["沟通能力强"],
            &["表达略显紧张"],
            0.95,
        ),
        ("張三邏輯清晰", "P0001", &["逻辑清晰"], &[], 0.85),
        (
            "Jun Peng: good team player, lacks industry experience.",
            "P0046",
            &["团队意识好"],
            &["缺乏行业经验"],
            0.95,
        ),
    ];
    for (text, id, strengths, concerns, confidence) in table {
        let events = of_kind(text, ChatEventKind::Evaluation);
        assert_eq!(events.len(), 1, "{text}: {events:?}");
        let e = &events[0];
        assert_eq!(e.person, known(id), "{text}");
        assert_eq!(e.strengths, *strengths, "{text}");
        assert_eq!(e.concerns, *concerns, "{text}");
        assert_eq!(e.confidence, *confidence, "{text}");
    }
    assert_eq!(
        of_kind("张三逻辑清晰吗？", ChatEventKind::Evaluation),
        vec![]
    );
}

#[test]
fn salaries() {
    type Row = (
        &'static str,
        &'static str,
        Option<f64>,
        Option<f64>,
        bool,
        &'static str,
        f32,
    );
    let table: &[Row] = &[
        (
            "李四期望15k，下周三下午两点复试",
            "P0002",
            Some(15000.0),
            Some(15000.0),
            false,
            "15k",
            0.95,
        ),
        (
            "罗辉要价2万",
            "P0039",
            Some(20000.0),
            Some(20000.0),
            false,
            "2万",
            0.95,
        ),
        (
            "李四期望18-25k",
            "P0002",
            Some(18000.0),
            Some(25000.0),
            false,
            "18-25k",
            0.95,
        ),
        (
            "单晓峰期望年薪33.2万",
            "P0011",
            Some(27666.67),
            Some(27666.67),
            false,
            "33.2万",
            0.95,
        ),
        (
            "吴军期望21500",
            "P0081",
            Some(21500.0),
            Some(21500.0),
            false,
            "21500",
            0.76,
        ),
        (
            "李四目前12k，期望15k",
            "P0002",
            Some(15000.0),
            Some(15000.0),
            false,
            "15k",
            0.95,
        ),
        ("张春子期望面议", "P0090", None, None, true, "面议", 0.95),
        (
            "张三期望15k以上",
            "P0001",
            Some(15000.0),
            None,
            false,
            "15k以上",
            0.95,
        ),
        (
            "Jun Peng expects 24k.",
            "P0046",
            Some(24000.0),
            Some(24000.0),
            false,
            "24k",
            0.95,
        ),
        (
            "Jun Peng is asking for 345k/year",
            "P0046",
            Some(28750.0),
            Some(28750.0),
            false,
            "345k/year",
            0.95,
        ),
    ];
    for (text, id, min, max, negotiable, raw, confidence) in table {
        let events = of_kind(text, ChatEventKind::Salary);
        assert_eq!(events.len(), 1, "{text}: {events:?}");
        let e = &events[0];
        let s = e.salary.expect("salary");
        assert_eq!(e.person, known(id), "{text}");
        assert_eq!(
            (s.min, s.max, s.negotiable),
            (*min, *max, *negotiable),
            "{text}"
        );
        assert_eq!(e.salary_raw.as_deref(), Some(*raw), "{text}");
        assert_eq!(e.confidence, *confidence, "{text}");
    }
    for text in [
        "王建斌希望3月入职",
        "销售经理预算15-20k",
        "张三目前12k",
        "我们给李四最多给到18k",
        "张三的期望是什么？",
    ] {
        assert_eq!(of_kind(text, ChatEventKind::Salary), vec![], "{text}");
    }
}

#[test]
fn interview_times() {
    // (message time, text, person, time, round, confidence)
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Option<u8>,
        f32,
    );
    let table: &[Row] = &[
        (
            "2024-03-04 09:22",
            "李四期望15k，下周三下午两点复试",
            "P0002",
            "2024-03-13 14:00",
            Some(2),
            0.95,
        ),
        (
            MONDAY,
            "周浩明天上午10点面试",
            "P0015",
            "2024-05-07 10:00",
            None,
            0.95,
        ),
        (
            MONDAY,
            "周浩后天下午三点半复试",
            "P0015",
            "2024-05-08 15:30",
            Some(2),
            0.95,
        ),
        (
            MONDAY,
            "周浩周五 14:00 二面",
            "P0015",
            "2024-05-10 14:00",
            Some(2),
            0.85,
        ),
        (
            MONDAY,
            "约了张三，周五14:00，二面",
            "P0001",
            "2024-05-10 14:00",
            Some(2),
            0.85,
        ),
        (
            "2024-02-20 10:00",
            "周浩3月5日下午3点来公司面试",
            "P0015",
            "2024-03-05 15:00",
            None,
            0.95,
        ),
        (
            "2023-12-20 10:00",
            "周浩1月5日上午10点一面",
            "P0015",
            "2024-01-05 10:00",
            Some(1),
            0.95,
        ),
        (
            MONDAY,
            "周浩下下周一上午9点终面",
            "P0015",
            "2024-05-20 09:00",
            Some(3),
            0.95,
        ),
        (
            MONDAY,
            "周浩这周三两点面试",
            "P0015",
            "2024-05-08 14:00",
            None,
            0.85,
        ),
        (
            "2024-05-12 10:00",
            "周浩下周三下午两点复试",
            "P0015",
            "2024-05-15 14:00",
            Some(2),
            0.95,
        ),
        (
            MONDAY,
            "周浩明晚8点视频面",
            "P0015",
            "2024-05-07 20:00",
            None,
            0.95,
        ),
        (
            MONDAY,
            "张三周三面试",
            "P0001",
            "2024-05-08 00:00",
            None,
            0.6,
        ),
        (
            MONDAY,
            "Interview with Jun Peng tomorrow at 10am.",
            "P0046",
            "2024-05-07 10:00",
            None,
            0.95,
        ),
        (
            MONDAY,
            "Jun Peng final round next Wednesday 2pm",
            "P0046",
            "2024-05-15 14:00",
            Some(3),
            0.95,
        ),
        (
            "2024-02-20 10:00",
            "Jun Peng final round on March 5 at 3pm.",
            "P0046",
            "2024-03-05 15:00",
            Some(3),
            0.95,
        ),
        (
            MONDAY,
            "周浩明天下午3点面试可以吗？",
            "P0015",
            "2024-05-07 15:00",
            None,
            0.57,
        ),
    ];
    for (at, text, id, time, round, confidence) in table {
        let events: Vec<ChatEvent> = run(&[], at, "孙悦", text)
            .events
            .into_iter()
            .filter(|e| e.kind == ChatEventKind::InterviewScheduled)
            .collect();
        assert_eq!(events.len(), 1, "{text}: {events:?}");
        let e = &events[0];
        assert_eq!(e.person, known(id), "{text}");
        assert_eq!(e.interview_at, Some(dt(time)), "{text}");
        assert_eq!(e.round, *round, "{text}");
        assert_eq!(e.confidence, *confidence, "{text}");
    }
    for text in [
        "徐阳诚三轮面试都过了，下周一到岗",
        "张三周三面试，李四周四入职",
        "李四下周三入职",
        "面试间在3楼",
        "李四面试有一点紧张",
    ] {
        let people: Vec<PersonRef> = of_kind(text, ChatEventKind::InterviewScheduled)
            .into_iter()
            .map(|e| e.person)
            .collect();
        let expected = if text.starts_with("张三周三") {
            vec![known("P0001")]
        } else {
            vec![]
        };
        assert_eq!(people, expected, "{text}");
    }
}

#[test]
fn mentions() {
    // (context, text, person, confidence)
    let table: &[(&[&str], &str, &str, f32)] = &[
        (&[], "张三的简历看了吗？", "P0001", 0.95),
        (&[], "張三的簡歷看了嗎？", "P0001", 0.95),
        (&[], "13800138000这个号码是谁的？", "P0001", 1.0),
        (&[], "+86 138 0013 8000", "P0001", 1.0),
        (&[], "邮箱 ZhangSan@QQ.com 的那位", "P0001", 1.0),
        (&[], "张三 138-0013-8000", "P0001", 1.0),
        (&[], "张伟 199 4531 8496 到了", "P0004", 1.0),
        (&[], "Jun Peng called back", "P0046", 0.95),
        (&[], "peng jun called back", "P0046", 0.95),
        (
            &["2024-05-06 09:00|孙悦|张三面完了"],
            "小张表现怎么样",
            "P0001",
            0.7,
        ),
        (
            &["2024-05-06 09:00|孙悦|张三面完了"],
            "老张呢",
            "P0001",
            0.7,
        ),
        (
            &["2024-05-06 09:00|孙悦|单晓峰面完了"],
            "Mr Shan is fine",
            "P0011",
            0.7,
        ),
        (
            &["2024-05-06 09:00|孙悦|单晓峰面完了"],
            "Shan is fine",
            "P0011",
            0.7,
        ),
        (
            &["2024-05-06 09:00|孙悦|曾思琪面完了"],
            "思琪怎么样",
            "P0012",
            0.6,
        ),
        (
            &["2024-05-06 09:00|孙悦|张伟 13643164634 到了"],
            "张伟面完了",
            "P0004",
            0.7,
        ),
        (
            &["2024-04-20 09:00|孙悦|张三面完了"],
            "小张怎么样",
            "P0001",
            0.7,
        ),
    ];
    for (context, text, id, confidence) in table {
        let ex = run(context, MONDAY, "孙悦", text);
        let line = context.len() + 1;
        let mentions: Vec<(PersonRef, f32)> = ex
            .events
            .iter()
            .filter(|e| e.line == line && e.kind == ChatEventKind::Mention)
            .map(|e| (e.person.clone(), e.confidence))
            .collect();
        assert_eq!(mentions, vec![(known(id), *confidence)], "{text}");
        assert_eq!(ex.ambiguous, vec![], "{text}");
    }
}

#[test]
fn ambiguous_mentions_are_reported_not_guessed() {
    // (context, text, mention, candidates)
    let table: &[(&[&str], &str, &str, &[&str])] = &[
        (&[], "张伟技术能力不足，不录用", "张伟", &["P0003", "P0004"]),
        (&[], "王芳的简历在哪？", "王芳", &["P0005", "P0006"]),
        (
            &[
                "2024-05-06 09:00|孙悦|张三面完了",
                "2024-05-06 09:01|孙悦|张春子也面完了",
            ],
            "小张不合适",
            "小张",
            &["P0001", "P0090"],
        ),
        (&[], "小区离公司远，单总怎么看", "单总", &["P0011"]),
    ];
    for (context, text, mention, candidates) in table {
        let ex = run(context, MONDAY, "孙悦", text);
        let line = context.len() + 1;
        let found: Vec<(&str, Vec<&str>)> = ex
            .ambiguous
            .iter()
            .filter(|a| a.line == line)
            .map(|a| {
                (
                    a.mention.as_str(),
                    a.candidates.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(found, vec![(*mention, candidates.to_vec())], "{text}");
        let facts = ex
            .events
            .iter()
            .filter(|e| e.line == line && e.kind != ChatEventKind::Mention)
            .count();
        assert_eq!(
            facts, 0,
            "{text}: facts next to an ambiguous name are not attributed"
        );
    }
}

#[test]
fn context_expires_after_a_week_and_twenty_messages() {
    let mut context = vec!["2024-04-20 09:00|孙悦|张三面完了".to_string()];
    for i in 0..20 {
        context.push(format!("2024-04-2{} 09:00|孙悦|收到", i % 9 + 1));
    }
    context.sort();
    let refs: Vec<&str> = context.iter().map(String::as_str).collect();
    let ex = run(&refs, MONDAY, "孙悦", "小张怎么样");
    let names: Vec<&str> = ex.ambiguous.iter().map(|a| a.mention.as_str()).collect();
    assert_eq!(names, vec!["小张"]);
    assert_eq!(
        ex.ambiguous[0].candidates,
        vec![
            "P0001", "P0003", "P0004", "P0034", "P0060", "P0071", "P0090"
        ]
    );
    // One message fewer and 张三 is still the only active 张.
    let ex = run(&refs[..20], MONDAY, "孙悦", "小张怎么样");
    assert_eq!(ex.ambiguous, vec![]);
    assert_eq!(
        ex.events.last().map(|e| (e.person.clone(), e.confidence)),
        Some((known("P0001"), 0.7))
    );
}

#[test]
fn clauses_split_facts_between_people() {
    let ex = run(
        &[],
        MONDAY,
        "王总",
        "张三和李四都通过了，罗辉不合适，周浩待定",
    );
    let decisions: Vec<(PersonRef, Option<O>)> = ex
        .events
        .iter()
        .filter(|e| e.kind == ChatEventKind::Decision)
        .map(|e| (e.person.clone(), e.decision))
        .collect();
    assert_eq!(
        decisions,
        vec![
            (known("P0001"), Some(O::Passed)),
            (known("P0002"), Some(O::Passed)),
            (known("P0039"), Some(O::Rejected)),
            (known("P0015"), Some(O::OnHold)),
        ]
    );
    assert!(
        ex.events
            .iter()
            .all(|e| e.said_by.as_deref() == Some("王总"))
    );
}

#[test]
fn contact_results_and_opt_outs() {
    let table: &[(&str, &str, Option<ContactResult>, bool)] = &[
        (
            "已电话联系张三",
            "P0001",
            Some(ContactResult::Reached),
            false,
        ),
        (
            "吕志强电话没接，下午再试试",
            "P0013",
            Some(ContactResult::NoAnswer),
            false,
        ),
        ("李四关机了", "P0002", Some(ContactResult::NoAnswer), false),
        (
            "张三说现在不方便，晚点再打",
            "P0001",
            Some(ContactResult::Busy),
            false,
        ),
        (
            "给李四打了两次电话，都是空号",
            "P0002",
            Some(ContactResult::Invalid),
            false,
        ),
        (
            "Spoke with Jun Peng today",
            "P0046",
            Some(ContactResult::Reached),
            false,
        ),
        ("罗辉说以后不要再联系他了", "P0039", None, true),
        ("打给黄阳国了，他要求不再联系", "P0079", None, true),
        ("李四说别再打了", "P0002", None, true),
        ("Jun Peng replied unsubscribe", "P0046", None, true),
    ];
    for (text, id, contact, opt_out) in table {
        let ex = run(&[], MONDAY, "孙悦", text);
        let got: Vec<(PersonRef, Option<ContactResult>)> = ex
            .events
            .iter()
            .filter(|e| e.kind == ChatEventKind::Contact)
            .map(|e| (e.person.clone(), e.contact))
            .collect();
        let expected = contact
            .map(|c| (known(id), Some(c)))
            .into_iter()
            .collect::<Vec<_>>();
        assert_eq!(got, expected, "{text}");
        let opt_outs: Vec<PersonRef> = ex
            .events
            .iter()
            .filter(|e| e.kind == ChatEventKind::OptOut)
            .map(|e| e.person.clone())
            .collect();
        let expected = if *opt_out { vec![known(id)] } else { vec![] };
        assert_eq!(opt_outs, expected, "{text}");
    }
    assert_eq!(of_kind("张三说有机会再联系", ChatEventKind::OptOut), vec![]);
}

#[test]
fn contact_details_enrich_known_people() {
    let events = of_kind(
        "张三的新邮箱是zhangsan2024@163.com，新手机139-1234-5678，微信号 zs_sales2024",
        ChatEventKind::ContactDetails,
    );
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(e.person, known("P0001"));
    assert_eq!(e.emails, vec!["zhangsan2024@163.com"]);
    assert_eq!(e.phones, vec!["+8613912345678"]);
    assert_eq!(e.wechat.as_deref(), Some("zs_sales2024"));
    assert_eq!(e.confidence, 0.95);
    // A number the person already has is a mention, not news.
    assert_eq!(
        of_kind("张三 13800138000", ChatEventKind::ContactDetails),
        vec![]
    );
}

#[test]
fn leads_from_chat_only_people() {
    let ex = run(
        &[
            "2024-05-06 09:00|周晓东|我以前同事推荐了个做数据的，叫徐子航，电话139-5701-2468，期望20k",
        ],
        MONDAY,
        "王总",
        "徐子航下周一下午3点来公司面试，wx: xzh_data2024",
    );
    assert_eq!(
        ex.leads,
        vec![Lead {
            name: Some("徐子航".to_string()),
            phones: vec!["+8613957012468".to_string()],
            emails: vec![],
            wechat: Some("xzh_data2024".to_string()),
            line: 1,
        }]
    );
    let facts: Vec<(usize, ChatEventKind, f32)> = ex
        .events
        .iter()
        .map(|e| {
            assert_eq!(e.person, PersonRef::Lead(0));
            (e.line, e.kind, e.confidence)
        })
        .collect();
    assert_eq!(
        facts,
        vec![
            (1, ChatEventKind::Mention, 1.0),
            (1, ChatEventKind::Salary, 0.9),
            (2, ChatEventKind::Mention, 0.95),
            (2, ChatEventKind::InterviewScheduled, 0.95),
        ]
    );
    // The next message continues with the lead like with anyone else.
    let follow = run(
        &["2024-05-06 09:50|周晓东|朋友徐子航，电话139-5701-2468"],
        MONDAY,
        "孙悦",
        "期望20k",
    );
    assert_eq!(
        follow
            .events
            .last()
            .map(|e| (&e.person, e.kind, e.confidence)),
        Some((&PersonRef::Lead(0), ChatEventKind::Salary, 0.6))
    );
    // The same phone later is the same lead, not a new one.
    let again = run(
        &["2024-05-06 09:00|周晓东|朋友徐子航，电话139-5701-2468"],
        MONDAY,
        "孙悦",
        "13957012468 这个号码打不通",
    );
    assert_eq!(again.leads.len(), 1);
    assert_eq!(
        again.events.last().map(|e| (&e.person, e.kind)),
        Some((&PersonRef::Lead(0), ChatEventKind::Contact))
    );
}

#[test]
fn replies_and_previous_messages_carry_the_person() {
    // A reply takes its person from the quote, at ×0.8; a quote's own facts
    // are not read again.
    let reply = run(
        &["2024-05-06 09:00|孙悦|李四期望15k，下周三下午两点复试"],
        MONDAY,
        "王总",
        "不合适\n引用:孙悦:李四期望15k，下周三下午两点复试",
    );
    let last: Vec<(ChatEventKind, PersonRef, f32)> = reply
        .events
        .iter()
        .filter(|e| e.line == 2)
        .map(|e| (e.kind, e.person.clone(), e.confidence))
        .collect();
    assert_eq!(last, vec![(ChatEventKind::Decision, known("P0002"), 0.76)]);
    // The previous message's person, within half an hour, at ×0.6.
    let carried = run(
        &["2024-05-06 09:50|孙悦|张三面完了"],
        MONDAY,
        "王总",
        "岗位已满，先放人才库",
    );
    let kinds: Vec<(ChatEventKind, f32)> = carried
        .events
        .iter()
        .filter(|e| e.line == 2)
        .map(|e| (e.kind, e.confidence))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (ChatEventKind::RejectionReason, 0.57),
            (ChatEventKind::Decision, 0.57)
        ]
    );
    // …but not after half an hour.
    let late = run(
        &["2024-05-06 09:00|孙悦|张三面完了"],
        MONDAY,
        "王总",
        "岗位已满，先放人才库",
    );
    assert_eq!(late.events.iter().filter(|e| e.line == 2).count(), 0);
}

#[test]
fn noise_is_skipped_and_counted() {
    let mut messages = vec![
        message("t", 1, "2024-05-06 09:00", "孙悦", "张三通过了"),
        message("t", 2, "2024-05-06 09:01", "王总", "[表情]"),
        message("t", 3, "2024-05-06 09:02", "孙悦", "孙悦撤回了一条消息"),
        message("t", 4, "2024-05-06 09:03", "孙悦", "[图片]"),
        message("t", 5, "2024-05-06 09:04", "孙悦", "张三淘汰"),
    ];
    messages[1].kind = MessageKind::Sticker;
    messages[2].kind = MessageKind::Recall;
    messages[2].is_system = true;
    messages[3].kind = MessageKind::Image;
    messages[4].is_system = true;
    messages[4].kind = MessageKind::System;
    let ex = extract(&messages, &people(), Phrases::builtin(), "CN");
    assert_eq!(
        ex.stats,
        ExtractionStats {
            messages: 5,
            skipped: 4,
            with_events: 1,
            events: 2,
            resolved_by_context: 0,
            facts_unattributed: 0,
        }
    );
    assert!(ex.events.iter().all(|e| e.line == 1));
}

#[test]
fn chats_keep_their_own_context() {
    let messages = vec![
        message("a", 1, "2024-05-06 09:00", "孙悦", "张三面完了"),
        message("b", 2, "2024-05-06 09:01", "孙悦", "小张不合适"),
    ];
    let ex = extract(&messages, &people(), Phrases::builtin(), "CN");
    assert_eq!(
        ex.events
            .iter()
            .filter(|e| e.kind == ChatEventKind::Decision)
            .count(),
        0
    );
    assert_eq!(ex.ambiguous.len(), 1);
    assert_eq!(ex.stats.facts_unattributed, 1);
}

#[test]
fn staff_short_forms_are_not_candidates() {
    // 王总 posts in this chat, so 王总 is the boss even while 王建斌 is discussed.
    let ex = run(
        &[
            "2024-05-06 09:00|孙悦|王建斌的简历到了",
            "2024-05-06 09:01|王总|我看看",
        ],
        MONDAY,
        "孙悦",
        "王总说王建斌可以进入复试",
    );
    assert_eq!(ex.ambiguous, vec![]);
    let events: Vec<(ChatEventKind, PersonRef)> = ex
        .events
        .iter()
        .filter(|e| e.line == 3)
        .map(|e| (e.kind, e.person.clone()))
        .collect();
    assert_eq!(
        events,
        vec![
            (ChatEventKind::Mention, known("P0023")),
            (ChatEventKind::Decision, known("P0023")),
        ]
    );
}

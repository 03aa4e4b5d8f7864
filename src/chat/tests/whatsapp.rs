//! WhatsApp: the fixture files (four locales of the same chat and a short
//! chat whose day/month order only the message order decides) and a table of
//! header lines from many locales.

use super::*;
use MessageKind::*;

/// The four chat-miner files hold the same nine messages in four locales.
#[track_caller]
fn assert_chat_miner_messages(out: &ParseOutput, times: [&str; 9]) {
    assert_eq!(out.messages.len(), 9);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    let m = &out.messages;
    let multi = "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero.";
    assert_msg(
        &m[0],
        Some("John Doe"),
        times[0],
        "Lorem ipsum dolor sit amet.",
        1,
    );
    assert_msg(&m[1], Some("John Doe"), times[1], ".", 2);
    assert_msg(&m[2], Some("Jahn Doe"), times[2], multi, 3);
    assert_msg(
        &m[3],
        Some("John-John Doe"),
        times[3],
        "Lorem ipsum : dolor sit amet.",
        5,
    );
    assert_msg(
        &m[4],
        None,
        times[4],
        "+12 345 578 created group \"Groupname\"",
        6,
    );
    assert_msg(&m[5], None, times[5], "You were added", 7);
    assert_msg(&m[6], Some("John Doe 🤓"), times[6], "Lorem ipsum 🤓", 8);
    assert_msg(&m[7], Some("🤓"), times[7], "Lorem ipsum 🤓", 9);
    assert_msg(&m[8], Some("John Doe"), times[8], multi, 10);
    assert_eq!(system_lines(out), vec![6, 7]);
    assert_eq!(kinds(out)[4..6], [System, System]);
    assert_eq!(out.chat_kind, ChatKind::Group);
    assert!(
        m.iter()
            .all(|m| m.platform == Platform::Whatsapp && m.at_utc.is_none())
    );
}

const CHAT_MINER_24H: [&str; 9] = [
    "2019-01-01 11:25:00",
    "2019-01-20 11:23:00",
    "2019-01-30 20:49:00",
    "2020-06-10 15:55:00",
    "2020-06-20 00:08:00",
    "2020-06-30 09:10:00",
    "2021-12-10 10:10:00",
    "2021-12-20 12:10:00",
    "2021-12-30 22:01:00",
];

#[test]
fn whatsapp_android_day_first() {
    let out = parse_fixture("whatsapp_android_ddmmyy_24h.txt", ChatFormat::WhatsappTxt);
    assert_chat_miner_messages(&out, CHAT_MINER_24H);
    assert_eq!(
        out.notes,
        ["day/month order: day-first (evidence: 20/01/19 on line 2)"]
    );
}

#[test]
fn whatsapp_android_month_first_spanish_am_pm() {
    let out = parse_fixture(
        "whatsapp_android_mmddyyyy_12h_es_ampm.txt",
        ChatFormat::WhatsappTxt,
    );
    // `00:08 a. m.` is an odd but real rendering of 00:08; `12:10 p. m.` is noon.
    assert_chat_miner_messages(&out, CHAT_MINER_24H);
    assert_eq!(
        out.notes,
        ["day/month order: month-first (evidence: 01/20/2019 on line 2)"]
    );
}

#[test]
fn whatsapp_android_year_first() {
    let out = parse_fixture("whatsapp_android_yyyymmdd_24h.txt", ChatFormat::WhatsappTxt);
    assert_chat_miner_messages(&out, CHAT_MINER_24H);
    assert_eq!(
        out.notes,
        ["day/month order: year-month-day (evidence: 2019/01/20 on line 2)"]
    );
}

#[test]
fn whatsapp_ios_brackets_month_first() {
    let out = parse_fixture(
        "whatsapp_ios_brackets_mmddyy_24h.txt",
        ChatFormat::WhatsappTxt,
    );
    assert_chat_miner_messages(&out, CHAT_MINER_24H);
    assert_eq!(
        out.notes,
        ["day/month order: month-first (evidence: 01/20/19 on line 2)"]
    );
}

#[test]
fn whatsapp_short_chat_decided_by_chronology() {
    let out = parse_fixture(
        "whatsapp_android_short_chat_system_msgs.txt",
        ChatFormat::WhatsappTxt,
    );
    assert_eq!(out.messages.len(), 5);
    assert!(out.rejected.is_empty());
    let m = &out.messages;
    let banner =
        "Messages to this group are now secured with end-to-end encryption. Tap for more info.";
    assert_msg(&m[0], None, "2017-06-03 00:45:00", banner, 1);
    assert_msg(
        &m[1],
        None,
        "2017-06-03 00:45:00",
        "You created group \"ShortChat\"",
        2,
    );
    assert_msg(
        &m[2],
        Some("Sample User"),
        "2017-06-03 00:45:00",
        "This is a test message",
        3,
    );
    assert_msg(
        &m[3],
        Some("TestBot"),
        "2017-08-05 01:48:00",
        "Hey I'm a test too!",
        4,
    );
    assert_msg(
        &m[4],
        Some("+410123456789"),
        "2017-09-04 01:50:00",
        "How are you?\n\nIs everything alright?",
        5,
    );
    assert_eq!(system_lines(&out), vec![1, 2]);
    assert_eq!(
        out.notes,
        [
            "day/month order: month-first (evidence: no field above 12, and read day-first the dates would go back in time at 09/04/2017 on line 5)"
        ]
    );
}

#[test]
fn whatsapp_short_chat_option_overrides_evidence() {
    let text = fixture("whatsapp_android_short_chat_system_msgs.txt");
    let opts = ParseOptions {
        day_first: Some(true),
        ..ParseOptions::default()
    };
    let out = parse(&text, ChatFormat::WhatsappTxt, &opts);
    assert_eq!(out.notes, ["day/month order: day-first (set by option)"]);
    assert_eq!(out.messages[3].at, dt("2017-05-08 01:48:00"));
}

/// (line, options, sender, time, text, kind)
type WhatsappCase<'a> = (
    &'a str,
    &'a ParseOptions,
    Option<&'a str>,
    &'a str,
    &'a str,
    MessageKind,
);

#[test]
fn whatsapp_header_lines() {
    let day_first = ParseOptions {
        day_first: Some(true),
        ..ParseOptions::default()
    };
    let month_first = ParseOptions {
        day_first: Some(false),
        ..ParseOptions::default()
    };
    let table: &[WhatsappCase<'_>] = &[
        (
            "20/01/19, 11:23 - John Doe: hi",
            &day_first,
            Some("John Doe"),
            "2019-01-20 11:23:00",
            "hi",
            MessageKind::Text,
        ),
        (
            "[20/01/2019, 11:23:45] John Doe: hi",
            &day_first,
            Some("John Doe"),
            "2019-01-20 11:23:45",
            "hi",
            MessageKind::Text,
        ),
        (
            "\u{feff}20/01/19, 11:23 - John Doe: hi",
            &day_first,
            Some("John Doe"),
            "2019-01-20 11:23:00",
            "hi",
            MessageKind::Text,
        ),
        (
            "\u{200e}[20/01/2019, 11:23:45] John Doe: \u{200e}image omitted",
            &day_first,
            Some("John Doe"),
            "2019-01-20 11:23:45",
            "\u{200e}image omitted",
            MessageKind::Image,
        ),
        (
            "1/20/19, 9:05\u{202f}PM - Jane: hey",
            &month_first,
            Some("Jane"),
            "2019-01-20 21:05:00",
            "hey",
            MessageKind::Text,
        ),
        (
            "[1/20/19, 9:05:07\u{202f}AM] Jane: hey",
            &month_first,
            Some("Jane"),
            "2019-01-20 09:05:07",
            "hey",
            MessageKind::Text,
        ),
        (
            "1/20/19, 12:05\u{2009}am - Jane: hey",
            &month_first,
            Some("Jane"),
            "2019-01-20 00:05:00",
            "hey",
            MessageKind::Text,
        ),
        (
            "20.01.19, 11:23 - Max Müller: Hallo",
            &day_first,
            Some("Max Müller"),
            "2019-01-20 11:23:00",
            "Hallo",
            MessageKind::Text,
        ),
        (
            "20-01-2019 11:23 - Max: <Media omitted>",
            &day_first,
            Some("Max"),
            "2019-01-20 11:23:00",
            "<Media omitted>",
            MessageKind::Other,
        ),
        (
            "2019/1/20 下午3:05 - 张三: 你好",
            &day_first,
            Some("张三"),
            "2019-01-20 15:05:00",
            "你好",
            MessageKind::Text,
        ),
        (
            "2019/1/20 上午12:05 - 张三: <省略影音内容>",
            &day_first,
            Some("张三"),
            "2019-01-20 00:05:00",
            "<省略影音内容>",
            MessageKind::Other,
        ),
        (
            "[2019/1/20 下午3:05:09] 張三: 圖片已略去",
            &day_first,
            Some("張三"),
            "2019-01-20 15:05:09",
            "圖片已略去",
            MessageKind::Image,
        ),
        (
            "2019. 1. 20. 오후 3:05 - 김철수: 안녕하세요",
            &day_first,
            Some("김철수"),
            "2019-01-20 15:05:00",
            "안녕하세요",
            MessageKind::Text,
        ),
        (
            "2019/01/20 午後3:05 - 山田: こんにちは",
            &day_first,
            Some("山田"),
            "2019-01-20 15:05:00",
            "こんにちは",
            MessageKind::Text,
        ),
        (
            "01/20/2019, 11:23 a. m. - Juan: hola",
            &month_first,
            Some("Juan"),
            "2019-01-20 11:23:00",
            "hola",
            MessageKind::Text,
        ),
        (
            "01/20/2019, 12:10 p. m. - Juan: hola",
            &month_first,
            Some("Juan"),
            "2019-01-20 12:10:00",
            "hola",
            MessageKind::Text,
        ),
        (
            "01/20/2019, 12:10\u{a0}p.\u{a0}m. - Juan: hola",
            &month_first,
            Some("Juan"),
            "2019-01-20 12:10:00",
            "hola",
            MessageKind::Text,
        ),
        (
            "20/01/19, 11:23\u{a0}- +41 012 345 67 89: Ciao",
            &day_first,
            Some("+41 012 345 67 89"),
            "2019-01-20 11:23:00",
            "Ciao",
            MessageKind::Text,
        ),
        (
            "20/01/19, 11:23 - Anna: Meeting at 10:00",
            &day_first,
            Some("Anna"),
            "2019-01-20 11:23:00",
            "Meeting at 10:00",
            MessageKind::Text,
        ),
        (
            "20/01/19, 11:23 - Anna: This message was deleted",
            &day_first,
            Some("Anna"),
            "2019-01-20 11:23:00",
            "This message was deleted",
            MessageKind::Recall,
        ),
        (
            "20/01/19, 11:23 - Anna: IMG-20190120-WA0003.jpg (file attached)",
            &day_first,
            Some("Anna"),
            "2019-01-20 11:23:00",
            "IMG-20190120-WA0003.jpg (file attached)",
            MessageKind::Image,
        ),
        (
            "20/01/19, 11:23 - Anna: location: https://maps.google.com/?q=22.5,114.0",
            &day_first,
            Some("Anna"),
            "2019-01-20 11:23:00",
            "location: https://maps.google.com/?q=22.5,114.0",
            MessageKind::Location,
        ),
    ];
    for &(line, opts, sender, at, text, kind) in table {
        let m = only(line, ChatFormat::WhatsappTxt, opts);
        assert_eq!(
            (m.sender.as_deref(), m.at, m.text.as_str(), m.kind),
            (sender, dt(at), text, kind),
            "{line}"
        );
        // A deletion notice is written by the platform even though it names the sender.
        assert_eq!(m.is_system, kind == MessageKind::Recall, "{line}");
    }
}

#[test]
fn whatsapp_system_lines() {
    let table: &[&str] = &[
        "20/01/19, 11:23 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
        "2019/1/20 上午10:00 - 消息和通话已进行端到端加密。对话之外的任何人，甚至 WhatsApp 都无法读取或收听。点击了解更多。",
        "2019/1/20 上午10:00 - 訊息與通話已受端對端加密保護。只有此對話中的成員可以閱讀或收聽它們。",
        "20/01/19, 11:23 - Bob changed the subject from \"A\" to \"Interview: round 2\"",
        "20/01/19, 11:23 - +86 138 0013 8000 joined using this group's invite link",
        "[20/01/2019, 11:23:45] \u{200e}You created group \"HR 2019\"",
    ];
    let opts = ParseOptions {
        day_first: Some(true),
        ..ParseOptions::default()
    };
    for &line in table {
        let m = only(line, ChatFormat::WhatsappTxt, &opts);
        assert!(
            m.is_system && m.sender.is_none() && m.kind == MessageKind::System,
            "{line}: {m:?}"
        );
    }
}

#[test]
fn whatsapp_conflicting_evidence_rejects_misfits() {
    let text = "20/01/19, 11:23 - A: one\n21/01/19, 11:23 - A: two\n01/25/19, 11:23 - B: three\nbody of three\n";
    let out = parse(text, ChatFormat::WhatsappTxt, &ParseOptions::default());
    assert_eq!(out.messages.len(), 2);
    assert_eq!(
        out.notes,
        [
            "day/month order: day-first (conflicting evidence: 20/01/19 on line 1 and 01/25/19 on line 3; dates that do not fit are rejected)"
        ]
    );
    let rejected: Vec<usize> = out.rejected.iter().map(|r| r.line).collect();
    assert_eq!(rejected, [3, 4]);
}

#[test]
fn whatsapp_default_when_nothing_decides() {
    let text = "03/04/20, 10:00 - A: one\n03/04/20, 10:05 - B: two\n";
    let out = parse(text, ChatFormat::WhatsappTxt, &ParseOptions::default());
    assert_eq!(
        out.notes,
        [
            "day/month order: day-first (no field above 12 and the message order fits both; the Android default outside the US)"
        ]
    );
    assert_eq!(out.messages[0].at, dt("2020-04-03 10:00:00"));
}

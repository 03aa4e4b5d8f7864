//! One test per fixture file: detected format, exact message count, first and
//! last message, system flags, kinds and notes. Counts were checked by reading
//! the files.

use super::*;
use MessageKind::*;

#[test]
fn qq_minimal() {
    let out = parse_fixture("qq_txt_minimal.txt", ChatFormat::QqTxt);
    assert_eq!(out.messages.len(), 2);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    assert_msg(&out.messages[0], Some("A"), "1883-03-07 11:22:33", "A", 5);
    assert_msg(&out.messages[1], Some("B"), "1883-03-07 12:34:56", "B", 8);
    assert_eq!(out.messages[0].sender_id.as_deref(), Some("123123"));
    assert_eq!(out.messages[1].sender_id.as_deref(), Some("456456"));
    assert_eq!(out.messages[0].platform, Platform::Qq);
    assert_eq!(out.messages[0].at_utc, None);
    assert!(system_lines(&out).is_empty());
    assert_eq!(out.chat_name, None);
}

#[test]
fn signal_bracketed() {
    let out = parse_fixture("signal_bracket_iso_date.txt", ChatFormat::SignalTxt);
    assert_eq!(out.messages.len(), 2);
    assert!(out.rejected.is_empty());
    assert_msg(
        &out.messages[0],
        Some("Jane Doe"),
        "2019-12-24 12:23:00",
        "Hello John!",
        1,
    );
    assert_msg(
        &out.messages[1],
        Some("John Doe"),
        "2020-01-17 21:49:00",
        "Hello\nJane!",
        2,
    );
    assert_eq!(out.messages[1].platform, Platform::Signal);
    assert!(out.notes.is_empty());
}

#[test]
fn telegram_single_chat() {
    let out = parse_fixture("telegram_single_chat_export.json", ChatFormat::TelegramJson);
    assert_eq!(out.messages.len(), 2);
    assert!(out.rejected.is_empty());
    // 1544006350 is 2018-12-05 10:39:10 UTC, shown at the default UTC+8.
    assert_msg(
        &out.messages[0],
        Some("Author 1"),
        "2018-12-05 18:39:10",
        "Minimal Message",
        3,
    );
    assert_msg(
        &out.messages[1],
        Some("Author 2"),
        "2018-12-05 18:49:24",
        "Link:https://telegram.org/",
        9,
    );
    assert_eq!(out.messages[0].at_utc, Some(1_544_006_350));
    assert_eq!(out.messages[1].at_utc, Some(1_544_006_964));
    assert_eq!(out.chat_name, None);
    assert!(system_lines(&out).is_empty());
}

#[test]
fn telegram_full_export() {
    let out = parse_fixture(
        "telegram_full_export_chats_list.json",
        ChatFormat::TelegramJson,
    );
    assert_eq!(out.messages.len(), 2);
    assert_msg(
        &out.messages[0],
        Some("Author 1"),
        "2018-12-05 18:39:10",
        "Minimal Message",
        7,
    );
    assert_msg(
        &out.messages[1],
        Some("Author 2"),
        "2018-12-05 18:49:24",
        "Link:https://telegram.org/",
        13,
    );
    assert_eq!(out.chat_name.as_deref(), Some("Chatname"));
    assert!(
        out.messages
            .iter()
            .all(|m| m.chat_name.as_deref() == Some("Chatname"))
    );
}

#[test]
fn telegram_time_zone_option() {
    let text = fixture("telegram_single_chat_export.json");
    let opts = ParseOptions {
        tz_offset_hours: 0,
        ..ParseOptions::default()
    };
    let out = parse(&text, ChatFormat::TelegramJson, &opts);
    assert_eq!(out.messages[0].at, dt("2018-12-05 10:39:10"));
}

#[test]
fn hrflow_wechat_txt() {
    let out = parse_fixture("hrflow_wechat_txt.txt", ChatFormat::WechatTxt);
    assert_eq!(out.messages.len(), 10);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    let m = &out.messages;
    assert_msg(
        &m[0],
        Some("王总"),
        "2024-03-04 09:12:05",
        "张三的简历看了吗？",
        1,
    );
    assert_msg(
        &m[1],
        Some("HR-小林"),
        "2024-03-04 09:15:40",
        "看了，张三逻辑清晰，沟通能力强，但岗位已满，先放人才库",
        4,
    );
    assert_msg(
        &m[4],
        None,
        "2024-03-04 09:21:30",
        "\"HR-小林\"撤回了一条消息",
        13,
    );
    assert_msg(
        &m[5],
        Some("HR-小林"),
        "2024-03-04 09:22:08",
        "李四期望15k，下周三下午两点复试\n面试官：王总、技术部陈工",
        15,
    );
    assert_msg(
        &m[9],
        Some("赵敏"),
        "2024-03-04 10:06:33",
        "大家好，我是新来的招聘专员，王五的面试我来跟进",
        28,
    );
    assert_eq!(system_lines(&out), vec![13, 26]);
    assert_eq!(
        kinds(&out),
        [
            Text, Text, Sticker, Image, Recall, Text, Reply, File, System, Text
        ]
    );
    assert_eq!(out.chat_kind, ChatKind::Group);
    assert_eq!(m[0].platform, Platform::Wechat);
}

#[test]
fn hrflow_wechat_csv_with_bom() {
    let out = parse_fixture("hrflow_wechat_csv.csv", ChatFormat::WechatCsv);
    assert_eq!(out.messages.len(), 9);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    assert!(out.notes.is_empty(), "{:?}", out.notes);
    let m = &out.messages;
    assert_msg(
        &m[0],
        Some("王总"),
        "2024-03-04 09:12:05",
        "张三的简历看了吗？",
        2,
    );
    assert_eq!(m[0].sender_id.as_deref(), Some("wxid_boss001"));
    assert_eq!(m[0].at_utc, Some(1_709_514_725));
    // An empty Remark falls back to the nickname.
    assert_eq!(m[1].sender.as_deref(), Some("林晓"));
    assert_msg(&m[4], None, "2024-03-04 09:21:30", "你撤回了一条消息", 6);
    assert_msg(
        &m[5],
        Some("林晓"),
        "2024-03-04 09:22:08",
        "李四期望15k，下周三下午两点复试\n面试官：王总、技术部陈工",
        7,
    );
    assert_msg(
        &m[8],
        Some("陈工"),
        "2024-03-04 10:06:33",
        "王五说\"薪资可谈\"，约周五电话面",
        11,
    );
    assert_eq!(system_lines(&out), vec![6]);
    assert_eq!(
        kinds(&out),
        [Text, Text, Sticker, Image, Recall, Text, Reply, File, Text]
    );
    assert_eq!(out.chat_kind, ChatKind::Group);
}

#[test]
fn hrflow_wechat_csv_wrong_offset_is_noted() {
    let text = fixture("hrflow_wechat_csv.csv");
    let opts = ParseOptions {
        tz_offset_hours: 0,
        ..ParseOptions::default()
    };
    let out = parse(&text, ChatFormat::WechatCsv, &opts);
    assert_eq!(out.messages[0].at, dt("2024-03-04 01:12:05"));
    assert_eq!(
        out.notes,
        [
            "StrTime differs from the absolute time at UTC+0 on 9 message(s); `at` follows the absolute time"
        ]
    );
}

#[test]
fn hrflow_wechatexporter_txt() {
    let out = parse_fixture("hrflow_wechatexporter.txt", ChatFormat::WechatExporterTxt);
    assert_eq!(out.messages.len(), 9);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    assert_eq!(out.chat_name.as_deref(), Some("招聘小组"));
    let m = &out.messages;
    assert_msg(
        &m[0],
        Some("王总"),
        "2024-03-04 09:12:05",
        "张三的简历看了吗？",
        3,
    );
    // The recall notice has no time of its own and takes the previous message's.
    assert_msg(
        &m[3],
        None,
        "2024-03-04 09:16:02",
        "\"HR-小林\"撤回了一条消息",
        6,
    );
    let reply =
        "「HR-小林：李四期望15k，下周三下午两点复试」\n- - - - - - - - - - - - - - -\n好，我来面";
    assert_msg(&m[5], Some("王总"), "2024-03-04 09:30:45", reply, 9);
    assert_msg(&m[6], Some("陈工"), "2024-03-04 12:05:09", "[图片]", 12);
    assert_msg(
        &m[7],
        Some("Grace Chen (陈)"),
        "2024-03-04 14:30:00",
        "[文件: 王五_简历.pdf]",
        13,
    );
    assert_msg(
        &m[8],
        Some("王总"),
        "2024-03-04 17:48:21",
        "王五下周一入职，offer 已发",
        14,
    );
    assert_eq!(system_lines(&out), vec![6]);
    assert_eq!(
        kinds(&out),
        [Text, Text, Sticker, Recall, Text, Reply, Image, File, Text]
    );
    assert_eq!(
        out.notes,
        [
            "1 notice line(s) carry no time in this format; they take the time of the message before them"
        ]
    );
    assert!(m.iter().all(|m| m.chat_name.as_deref() == Some("招聘小组")));
}

#[test]
fn hrflow_weflow_json() {
    let out = parse_fixture("hrflow_weflow.json", ChatFormat::WeflowJson);
    assert_eq!(out.messages.len(), 10);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    assert!(out.notes.is_empty(), "{:?}", out.notes);
    assert_eq!(out.chat_name.as_deref(), Some("春招技术岗"));
    assert_eq!(out.chat_kind, ChatKind::Group);
    let m = &out.messages;
    assert_msg(
        &m[0],
        Some("王总"),
        "2024-03-04 09:12:05",
        "张三的简历看了吗？",
        16,
    );
    assert_eq!(m[0].sender_id.as_deref(), Some("wxid_boss001"));
    assert_eq!(m[0].at_utc, Some(1_709_514_725));
    assert_msg(
        &m[4],
        None,
        "2024-03-04 09:21:30",
        "\"HR-小林\"撤回了一条消息",
        60,
    );
    assert_msg(
        &m[9],
        Some("陈工"),
        "2024-03-04 10:06:33",
        "王五说薪资可谈，约周五电话面",
        115,
    );
    assert_eq!(system_lines(&out), vec![60, 93]);
    assert_eq!(
        kinds(&out),
        [
            Text, Text, Sticker, Image, Recall, Text, Reply, System, File, Text
        ]
    );
    assert!(m.iter().all(|m| m.chat_kind == ChatKind::Group));
}

#[test]
fn hrflow_wecom_jsonl() {
    let out = parse_fixture("hrflow_wecom.jsonl", ChatFormat::WecomJsonl);
    assert_eq!(out.messages.len(), 8);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    assert_eq!(
        out.notes,
        ["1 switch record(s) skipped: they mark a login change, not a message"]
    );
    let m = &out.messages;
    assert_msg(&m[0], None, "2024-03-04 09:12:05", "张三的简历看了吗？", 1);
    assert_eq!(m[0].sender_id.as_deref(), Some("wangjianguo"));
    assert_eq!(m[0].at_utc, Some(1_709_514_725));
    assert_eq!(
        m[0].chat_name.as_deref(),
        Some("wrjc7bDwAASxc8tZvBErFE02BtPWyAAA")
    );
    assert_msg(&m[3], None, "2024-03-04 09:21:30", "撤回了一条消息", 5);
    assert_msg(
        &m[5],
        None,
        "2024-03-04 10:02:17",
        "[文件] 李四_简历.pdf",
        7,
    );
    assert_eq!(m[6].chat_kind, ChatKind::Private);
    assert_eq!(m[6].chat_name, None);
    assert_msg(&m[7], None, "2024-03-04 10:25:00", "[表情]", 9);
    assert_eq!(m[7].sender_id.as_deref(), Some("wangjianguo"));
    assert_eq!(system_lines(&out), vec![5]);
    assert_eq!(
        kinds(&out),
        [Text, Text, Image, Recall, Text, File, Text, Sticker]
    );
    // Group and private records mixed: no single file-level chat.
    assert_eq!(out.chat_name, None);
    assert_eq!(out.chat_kind, ChatKind::Unknown);
}

#[test]
fn hrflow_dingtalk_paste() {
    let out = parse_fixture("hrflow_dingtalk_paste.txt", ChatFormat::Generic);
    assert_eq!(out.messages.len(), 7);
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    let m = &out.messages;
    assert_msg(
        &m[0],
        Some("王总"),
        "2024-03-04 09:12:00",
        "张三的简历看了吗？",
        1,
    );
    assert_msg(
        &m[3],
        Some("林晓（HR）"),
        "2024-03-04 09:22:00",
        "李四期望15k，下周三下午两点复试\n面试官：王总、技术部陈工",
        7,
    );
    // A body line that mentions a date and time stays in the body.
    assert_msg(
        &m[6],
        Some("王总"),
        "2024-03-04 10:06:30",
        "好，复试定在 2024-03-13 14:00",
        14,
    );
    assert!(system_lines(&out).is_empty());
    assert_eq!(kinds(&out), [Text, Text, Sticker, Text, File, Image, Text]);
    assert_eq!(
        out.notes,
        ["generic header style: name date time, body on the following lines"]
    );
    assert_eq!(out.chat_kind, ChatKind::Group);
    assert_eq!(m[0].platform, Platform::Unknown);
}

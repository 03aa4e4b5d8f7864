//! Names, detection fallbacks, and inputs that must be rejected without panics.

use super::*;

const FIXTURE_NAMES: &[&str] = &[
    "qq_txt_minimal.txt",
    "signal_bracket_iso_date.txt",
    "telegram_full_export_chats_list.json",
    "telegram_single_chat_export.json",
    "whatsapp_android_ddmmyy_24h.txt",
    "whatsapp_android_mmddyyyy_12h_es_ampm.txt",
    "whatsapp_android_short_chat_system_msgs.txt",
    "whatsapp_android_yyyymmdd_24h.txt",
    "whatsapp_ios_brackets_mmddyy_24h.txt",
    "hrflow_wechat_txt.txt",
    "hrflow_wechat_csv.csv",
    "hrflow_wechatexporter.txt",
    "hrflow_weflow.json",
    "hrflow_wecom.jsonl",
    "hrflow_dingtalk_paste.txt",
];

#[test]
fn format_names_round_trip() {
    for f in ChatFormat::ALL {
        assert_eq!(f.name().parse::<ChatFormat>(), Ok(f));
        assert_eq!(
            serde_json::to_string(&f).ok(),
            Some(format!("\"{}\"", f.name()))
        );
        assert_eq!(f.to_string(), f.name());
    }
    assert_eq!(
        "Wechat-Exporter-Txt".parse::<ChatFormat>(),
        Ok(ChatFormat::WechatExporterTxt)
    );
    let err = "dingtalk"
        .parse::<ChatFormat>()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with("unknown chat format \"dingtalk\" (expected one of: qq_txt, wechat_txt"),
        "{err}"
    );
    assert_eq!(ChatFormat::ALL.len(), 10);
}

#[test]
fn message_serializes_time_as_iso() {
    let out = parse(
        "[2019-12-24, 12:23] Jane: hi",
        ChatFormat::SignalTxt,
        &ParseOptions::default(),
    );
    let json = serde_json::to_value(&out.messages[0]).unwrap_or_default();
    assert_eq!(json["at"], "2019-12-24T12:23:00");
    assert_eq!(json["kind"], "text");
    assert_eq!(json["platform"], "signal");
}

#[test]
fn detection_falls_back_to_file_name() {
    let table: &[(&str, &str, Option<ChatFormat>)] = &[
        (
            "",
            "与张三的 WhatsApp 聊天.txt",
            Some(ChatFormat::WhatsappTxt),
        ),
        ("", "export/archive.jsonl", Some(ChatFormat::WecomJsonl)),
        ("just words", "王总_utf8.csv", Some(ChatFormat::WechatCsv)),
        (
            "not json at all",
            "result.json",
            Some(ChatFormat::TelegramJson),
        ),
        ("hello\nworld", "notes.txt", Some(ChatFormat::Generic)),
        ("hello\nworld", "notes.docx", None),
    ];
    for &(text, name, expected) in table {
        assert_eq!(detect(text, name).map(|d| d.0), expected, "{name}");
    }
}

#[test]
fn detection_prefers_content_over_name() {
    let text = fixture("whatsapp_android_ddmmyy_24h.txt");
    assert_eq!(
        detect(&text, "chat.csv").map(|d| d.0),
        Some(ChatFormat::WhatsappTxt)
    );
    let wechat = "2024-03-04 09:12:05 王总\n收到\n\n2024-03-04 09:13:00 小林\n好\n";
    assert_eq!(
        detect(wechat, "a.txt").map(|d| d.0),
        Some(ChatFormat::WechatTxt)
    );
    let generic = "2024-03-04 09:12:05 王总: 收到\n2024-03-04 09:13:00 小林: 好\n";
    assert_eq!(
        detect(generic, "a.txt").map(|d| d.0),
        Some(ChatFormat::Generic)
    );
    let ios_year_first = "[2019-01-20, 11:23:45] Ann: hi";
    assert_eq!(
        detect(ios_year_first, "a.txt").map(|d| d.0),
        Some(ChatFormat::WhatsappTxt)
    );
    let damaged_weflow = "{\"session\": {\"wxid\": \"x\"}, \"messages\": [";
    assert_eq!(
        detect(damaged_weflow, "a.json").map(|d| d.0),
        Some(ChatFormat::WeflowJson)
    );
}

#[test]
fn broken_json_names_line_and_column() {
    let text = "{\n  \"messages\": [\n    {\"type\": \"message\",, }\n  ]\n}";
    for format in [ChatFormat::TelegramJson, ChatFormat::WeflowJson] {
        let out = parse(text, format, &ParseOptions::default());
        assert!(out.messages.is_empty());
        assert_eq!(out.rejected.len(), 1);
        assert_eq!(out.rejected[0].line, 3);
        assert_eq!(out.rejected[0].raw, "    {\"type\": \"message\",, }");
        assert!(
            out.rejected[0].reason.contains("line 3 column 24"),
            "{}",
            out.rejected[0].reason
        );
    }
}

#[test]
fn wecom_bad_lines_are_rejected_one_by_one() {
    let text = "{\"msgid\":\"1\",\"action\":\"send\",\"from\":\"a\",\"msgtime\":1709514725000,\"msgtype\":\"text\",\"text\":{\"content\":\"ok\"}}\n\
                {\"msgid\":\"2\",\"action\":\"send\"\n\
                [1,2]\n\
                {\"msgid\":\"3\",\"action\":\"send\",\"from\":\"a\",\"msgtype\":\"text\"}\n\
                {\"msgid\":\"4\",\"action\":\"send\",\"from\":\"a\",\"msgtime\":9223372036854775807,\"msgtype\":\"text\"}\n\
                {\"msgid\":\"5\",\"action\":\"send\",\"from\":\"a\",\"msgtime\":-1500,\"msgtype\":\"weird\"}\n";
    let out = parse(text, ChatFormat::WecomJsonl, &ParseOptions::default());
    let lines: Vec<usize> = out.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4, 5]);
    assert!(
        out.rejected[0]
            .reason
            .starts_with("not valid JSON (line 2, column"),
        "{}",
        out.rejected[0].reason
    );
    assert_eq!(out.messages.len(), 2);
    assert_eq!(out.messages[1].at_utc, Some(-2));
    assert_eq!(out.messages[1].text, "[weird]");
}

#[test]
fn csv_without_wechat_columns_is_rejected() {
    let out = parse(
        "姓名,电话\n张三,13800138000\n",
        ChatFormat::WechatCsv,
        &ParseOptions::default(),
    );
    assert!(out.messages.is_empty());
    assert_eq!(out.rejected.len(), 1);
    assert_eq!(
        out.rejected[0].reason,
        "missing column Type; not a WeChatMsg CSV"
    );
}

#[test]
fn text_before_first_header_is_rejected() {
    let text = "以下是聊天记录\n20/01/19, 11:23 - A: hi\n";
    let out = parse(text, ChatFormat::WhatsappTxt, &ParseOptions::default());
    assert_eq!(out.messages.len(), 1);
    assert_eq!(out.rejected.len(), 1);
    assert_eq!(
        out.rejected[0].reason,
        "text before the first message header"
    );
    assert_eq!(out.rejected[0].line, 1);
}

#[test]
fn long_rejected_lines_are_clipped() {
    let long = "字".repeat(1000);
    let out = parse(&long, ChatFormat::QqTxt, &ParseOptions::default());
    assert_eq!(out.rejected.len(), 1);
    assert_eq!(out.rejected[0].raw.chars().count(), 301);
}

#[test]
fn extreme_options_do_not_panic() {
    let text = fixture("telegram_single_chat_export.json");
    for tz in [i32::MIN, -24, 14, i32::MAX] {
        let out = parse(
            &text,
            ChatFormat::TelegramJson,
            &ParseOptions {
                day_first: None,
                tz_offset_hours: tz,
            },
        );
        assert_eq!(out.messages.len() + out.rejected.len(), 2);
    }
}

#[test]
fn hostile_inputs_never_panic() {
    let deep = "[".repeat(10_000);
    let nested_messages = format!("{{\"messages\": {}", "[".repeat(500));
    let inputs: Vec<String> = vec![
        String::new(),
        "\u{feff}".into(),
        "\n\n\r\n".into(),
        "\u{0}\u{1}\u{7f}".into(),
        deep,
        nested_messages,
        "{\"messages\": [1, \"x\", null, {\"date_unixtime\": \"99999999999999999999\"}, {\"createTime\": 1e300}]}".into(),
        "{\"chats\": {\"list\": [null, {\"messages\": 5}]}, \"session\": 3, \"messages\": {}}".into(),
        "99/99/99, 99:99 - A: x\n[00/00/0000, 25:61:61] B: y".into(),
        "2024-02-30 10:00:00 张三(123)\n内容".into(),
        "王总 (2024-13-04 09:12:05 AM):x\n撤回了一条消息".into(),
        "\"unterminated,\"csv\nlocalId,Type\n\"".into(),
        "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent\n1,2,x\n1,2,1,0,0,99999999999999999,2,hi\n".into(),
        "[".repeat(3) + "2019-12-24, 12:23] ]]",
        "2024年13月40日\n25:99 张三: x".into(),
        "【】(1)\n2020-01-01 00:00:00 【】(123)\n".into(),
    ];
    for text in &inputs {
        for format in ChatFormat::ALL {
            let out = parse(text, format, &ParseOptions::default());
            assert_eq!(out.format, format);
        }
        let _ = detect(text, "x.txt");
    }
}

/// Every prefix of every fixture (cut at char boundaries, sampled) parses in
/// every format without panicking.
#[test]
fn truncated_fixtures_never_panic() {
    for name in FIXTURE_NAMES {
        let text = fixture(name);
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(17).collect();
        for cut in cuts {
            let prefix = &text[..cut];
            let detected = detect(prefix, name).map(|d| d.0);
            for format in ChatFormat::ALL {
                let out = parse(prefix, format, &ParseOptions::default());
                if Some(format) == detected {
                    assert!(
                        out.messages.iter().all(|m| m.line >= 1),
                        "{name} cut at {cut}"
                    );
                }
            }
        }
    }
}

#[test]
fn json_line_locator_follows_nesting_and_strings() {
    use super::super::json_lines::{Seg, arrays_named, lines_at};
    let text = "{\"a\": \"[\\\"messages\\\"\",\n \"messages\": [\n {\"x\": \"}\"},\n\n \"s\", 3,\n [ {\"messages\": [1]} ]\n]}";
    let found = arrays_named(text, "messages");
    assert_eq!(
        lines_at(&found, &[Seg::Key("messages".into())]),
        [3, 5, 5, 6]
    );
    let inner = [
        Seg::Key("messages".into()),
        Seg::Index(3),
        Seg::Index(0),
        Seg::Key("messages".into()),
    ];
    assert_eq!(lines_at(&found, &inner), [6]);
    assert_eq!(
        lines_at(&found, &[Seg::Key("other".into())]),
        [] as [usize; 0]
    );
}

/// A line past [`MAX_LINE_BYTES`] (an export that lost its line breaks) is
/// rejected with its line number and its neighbours still read; in a JSON
/// export, where one line may hold the whole document, the message is.
#[test]
fn overlong_lines_and_messages_are_rejected_with_their_line() {
    let huge = "x".repeat(2 * MAX_LINE_BYTES);
    let text = format!(
        "12/01/2024, 10:00 - 张三: 你好\n12/01/2024, 10:01 - 李四: {huge}\n12/01/2024, 10:02 - 张三: 收到\n"
    );
    let out = parse(&text, ChatFormat::WhatsappTxt, &ParseOptions::default());
    let texts: Vec<&str> = out.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["你好", "收到"]);
    assert_eq!(out.messages[1].line, 3);
    assert_eq!(out.rejected.len(), 1);
    assert_eq!(out.rejected[0].line, 2);
    assert!(out.rejected[0].raw.chars().count() <= 301);
    assert_eq!(
        out.rejected[0].reason,
        "line of 2.0 MiB is longer than the 1.0 MiB limit; not read"
    );

    let json = format!(
        r#"{{"messages": [{{"id": 1, "type": "message", "date": "2024-01-12T10:00:00", "date_unixtime": "1705024800", "from": "张三", "text": "你好"}}, {{"id": 2, "type": "message", "date": "2024-01-12T10:01:00", "date_unixtime": "1705024860", "from": "李四", "text": "{huge}"}}]}}"#
    );
    let out = parse(&json, ChatFormat::TelegramJson, &ParseOptions::default());
    assert_eq!(out.messages.len(), 1);
    assert_eq!(out.rejected.len(), 1);
    assert!(
        out.rejected[0].reason.starts_with("message of 2.0 MiB"),
        "{:?}",
        out.rejected[0].reason
    );
}

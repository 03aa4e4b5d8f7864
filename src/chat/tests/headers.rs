//! Table tests of real and ugly header lines, one table per format.

use super::*;

#[test]
fn qq_header_lines() {
    // (header line, name, id, time)
    let table: &[(&str, &str, Option<&str>, &str)] = &[
        (
            "2019-07-16 18:15:05 地瓜(23333233)",
            "地瓜",
            Some("23333233"),
            "2019-07-16 18:15:05",
        ),
        (
            "2019-07-16 18:15:11 土豆<example@xx.com>",
            "土豆",
            Some("example@xx.com"),
            "2019-07-16 18:15:11",
        ),
        (
            "2017-08-29 20:28:30 番茄",
            "番茄",
            None,
            "2017-08-29 20:28:30",
        ),
        (
            "2017-02-25 10:40:20 【管理员】昵称(12345)",
            "昵称",
            Some("12345"),
            "2017-02-25 10:40:20",
        ),
        (
            "2017-02-25 10:40:20 【群主】王总(88888888)",
            "王总",
            Some("88888888"),
            "2017-02-25 10:40:20",
        ),
        (
            "2020-05-01 8:03:09 小明(HR)(10001)",
            "小明(HR)",
            Some("10001"),
            "2020-05-01 08:03:09",
        ),
        (
            "2020-05-01 08:03:09 小明(HR)",
            "小明(HR)",
            None,
            "2020-05-01 08:03:09",
        ),
        (
            "2020-05-01 08:03:09 张三 (招聘) (123456789)",
            "张三 (招聘)",
            Some("123456789"),
            "2020-05-01 08:03:09",
        ),
        (
            "2020-05-01 08:03:09 🌸Lily🌸(987654321)",
            "🌸Lily🌸",
            Some("987654321"),
            "2020-05-01 08:03:09",
        ),
        (
            "2020/5/1 08:03:09 李四（55555）",
            "李四",
            Some("55555"),
            "2020-05-01 08:03:09",
        ),
        (
            "2020-05-01 08:03:09 Grace<grace.chen@example.com>",
            "Grace",
            Some("grace.chen@example.com"),
            "2020-05-01 08:03:09",
        ),
        (
            "2020-05-01 08:03:09 a<b>",
            "a<b>",
            None,
            "2020-05-01 08:03:09",
        ),
    ];
    for &(line, name, id, at) in table {
        let m = only(
            &format!("{line}\n内容\n"),
            ChatFormat::QqTxt,
            &ParseOptions::default(),
        );
        assert_eq!(
            (m.sender.as_deref(), m.sender_id.as_deref(), m.at),
            (Some(name), id, dt(at)),
            "{line}"
        );
        assert_eq!(m.text, "内容", "{line}");
        assert!(!m.is_system, "{line}");
    }
}

#[test]
fn qq_system_media_and_bad_headers() {
    let text = "2020-05-01 08:03:09 系统消息(10000)\n张三撤回了一条消息\n\n\
                2020-05-01 08:04:00 张三(12345)\n[图片]\n\n\
                2020-05-01 08:05:00 张三(12345)\n看下这个[图片]\n\n\
                2020-05-01 08:06:00 张三(12345)\n[语音通话] 通话时长 03:12\n\n\
                2020-05-01 08:07:00 张三(12345)\n张三拍了拍李四\n\n\
                2020-13-01 08:08:00 张三(12345)\n月份不对\n\n\
                2020-05-01 08:09:00 张三(12345)\n[回复]李四: 好的\n";
    let out = parse(text, ChatFormat::QqTxt, &ParseOptions::default());
    let got: Vec<(MessageKind, bool)> =
        out.messages.iter().map(|m| (m.kind, m.is_system)).collect();
    use MessageKind::*;
    assert_eq!(
        got,
        [
            (Recall, true),
            (Image, false),
            (Text, false),
            (Call, false),
            (System, true),
            (Reply, false)
        ]
    );
    assert_eq!(out.rejected.len(), 2);
    assert_eq!(out.rejected[0].line, 16);
    assert_eq!(
        out.rejected[0].reason,
        "message header has an impossible date or time"
    );
    assert_eq!(
        (out.rejected[1].line, out.rejected[1].raw.as_str()),
        (17, "月份不对")
    );
}

#[test]
fn qq_banner_block() {
    let text = "消息记录（此消息记录为文本格式，不支持重新导入）\n\
                ================================================================\n\
                消息分组:我的群聊\n\
                ================================================================\n\
                消息对象:2024春招-技术岗\n\
                ================================================================\n\n\
                2024-03-04 09:12:05 王总(10086001)\n张三的简历看了吗？\n";
    assert_eq!(detect(text, "x.txt").map(|d| d.0), Some(ChatFormat::QqTxt));
    let out = parse(text, ChatFormat::QqTxt, &ParseOptions::default());
    assert_eq!(out.chat_name.as_deref(), Some("2024春招-技术岗"));
    assert_eq!(out.chat_kind, ChatKind::Group);
    assert_eq!(out.messages.len(), 1);
    assert_eq!(out.messages[0].line, 8);
    assert_eq!(out.messages[0].chat_kind, ChatKind::Group);
    assert!(out.rejected.is_empty());
}

#[test]
fn wechat_txt_header_lines() {
    let table: &[(&str, Option<&str>, bool, &str)] = &[
        (
            "2024-03-04 09:12:05 王总\n收到\n",
            Some("王总"),
            false,
            "收到",
        ),
        (
            "2024-03-04 09:12:05 Tom &amp; Jerry\n收到\n",
            Some("Tom & Jerry"),
            false,
            "收到",
        ),
        (
            "2024-03-04 09:12:05 小\\'林\\'\n收到\n",
            Some("小'林'"),
            false,
            "收到",
        ),
        (
            "2024-03-04 09:12:05 🍀 HR 小林 🍀\n收到\n",
            Some("🍀 HR 小林 🍀"),
            false,
            "收到",
        ),
        (
            "2024-03-04 09:12:05 你撤回了一条消息\n\n",
            None,
            true,
            "你撤回了一条消息",
        ),
        (
            "2024-03-04 09:12:05 \"王总\"拍了拍\"HR-小林\"\n\n",
            None,
            true,
            "\"王总\"拍了拍\"HR-小林\"",
        ),
    ];
    for &(text, sender, system, body) in table {
        let m = only(text, ChatFormat::WechatTxt, &ParseOptions::default());
        assert_eq!(
            (m.sender.as_deref(), m.is_system, m.text.as_str()),
            (sender, system, body),
            "{text:?}"
        );
        assert_eq!(m.at, dt("2024-03-04 09:12:05"));
    }
    let card = "2024-03-04 09:12:05 王总\n            [链接]:title:高级Java工程师-岗位说明\n            description:薪资面议\n            url:https://example.com/jd\n            \n\n";
    assert_eq!(
        only(card, ChatFormat::WechatTxt, &ParseOptions::default()).kind,
        MessageKind::Link
    );
}

#[test]
fn wechat_exporter_header_lines() {
    let table: &[(&str, Option<&str>, &str, &str)] = &[
        (
            "王总 (2024-03-04 09:12:05 AM):收到",
            Some("王总"),
            "2024-03-04 09:12:05",
            "收到",
        ),
        (
            "王总 (2024-03-04 12:12:05 AM):收到",
            Some("王总"),
            "2024-03-04 00:12:05",
            "收到",
        ),
        (
            "王总 (2024-03-04 12:12:05 PM):收到",
            Some("王总"),
            "2024-03-04 12:12:05",
            "收到",
        ),
        (
            "王总 (2024-03-04 01:12:05 PM):收到",
            Some("王总"),
            "2024-03-04 13:12:05",
            "收到",
        ),
        (
            "王总 (2024-03-04 13:12:05):收到",
            Some("王总"),
            "2024-03-04 13:12:05",
            "收到",
        ),
        (
            "王总 (2024-03-04 01:12:05 下午):收到",
            Some("王总"),
            "2024-03-04 13:12:05",
            "收到",
        ),
        (
            "Grace Chen (HR) (2024-03-04 09:12:05 AM):ok (2024-03-05)",
            Some("Grace Chen (HR)"),
            "2024-03-04 09:12:05",
            "ok (2024-03-05)",
        ),
        (
            "13800138000 (2024-03-04 09:12:05 AM):我是李四",
            Some("13800138000"),
            "2024-03-04 09:12:05",
            "我是李四",
        ),
        (
            "😀小林😀 (2024-03-04 09:12:05 AM):[Photo]",
            Some("😀小林😀"),
            "2024-03-04 09:12:05",
            "[Photo]",
        ),
    ];
    for &(line, sender, at, text) in table {
        let m = only(
            line,
            ChatFormat::WechatExporterTxt,
            &ParseOptions::default(),
        );
        assert_eq!(
            (m.sender.as_deref(), m.at, m.text.as_str()),
            (sender, dt(at), text),
            "{line}"
        );
    }
}

#[test]
fn generic_header_lines() {
    // (text, sender, time, body, system)
    let table: &[(&str, Option<&str>, &str, &str, bool)] = &[
        (
            "[2024-03-04, 09:12] 王总: 收到",
            Some("王总"),
            "2024-03-04 09:12:00",
            "收到",
            false,
        ),
        (
            "2024-03-04 09:12:05 王总: 收到",
            Some("王总"),
            "2024-03-04 09:12:05",
            "收到",
            false,
        ),
        (
            "2024/03/04 09:12 王总：收到",
            Some("王总"),
            "2024-03-04 09:12:00",
            "收到",
            false,
        ),
        (
            "2024年3月4日 09:12 HR-小林: 李四期望15k",
            Some("HR-小林"),
            "2024-03-04 09:12:00",
            "李四期望15k",
            false,
        ),
        (
            "2024-03-04 09:12 会议改到 14:00",
            None,
            "2024-03-04 09:12:00",
            "会议改到 14:00",
            true,
        ),
        (
            "王总 2024-03-04 09:12\n收到",
            Some("王总"),
            "2024-03-04 09:12:00",
            "收到",
            false,
        ),
        (
            "Grace Chen 2024/03/04 14:30:00\n收到\n第二行",
            Some("Grace Chen"),
            "2024-03-04 14:30:00",
            "收到\n第二行",
            false,
        ),
        (
            "2024-03-04 09:12:05 王总\n收到",
            Some("王总"),
            "2024-03-04 09:12:05",
            "收到",
            false,
        ),
        (
            "2024-03-04 星期一\n09:12 王总: 收到",
            Some("王总"),
            "2024-03-04 09:12:00",
            "收到",
            false,
        ),
        (
            "—— 2024年3月4日 ——\n09:12:30 13800138000: 我是李四",
            Some("13800138000"),
            "2024-03-04 09:12:30",
            "我是李四",
            false,
        ),
    ];
    for &(text, sender, at, body, system) in table {
        let m = only(text, ChatFormat::Generic, &ParseOptions::default());
        assert_eq!(
            (m.sender.as_deref(), m.at, m.text.as_str(), m.is_system),
            (sender, dt(at), body, system),
            "{text:?}"
        );
    }
}

#[test]
fn telegram_text_pieces_and_service() {
    let text = r#"{"name": "HR", "type": "private_group", "messages": [
      {"id": 1, "type": "service", "date": "2024-03-04T09:00:00", "actor": "王总", "actor_id": "user1", "action": "create_group", "text": ""},
      {"id": 2, "type": "message", "date": "2024-03-04T09:12:05", "from": "王总", "from_id": "user1",
       "text": ["张三", {"type": "bold", "text": "逻辑清晰"}, 7, {"type": "link"}, "，先放人才库"]},
      {"id": 3, "type": "message", "date_unixtime": "1709514940", "date": "2024-03-04T01:15:40", "from": "小林", "from_id": "user2", "photo": "photos/1.jpg", "text": ""},
      {"id": 4, "type": "message", "date_unixtime": 1709515000, "from": null, "reply_to_message_id": 2, "text": "好"}
    ]}"#;
    let out = parse(text, ChatFormat::TelegramJson, &ParseOptions::default());
    assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    let got: Vec<(Option<&str>, &str, MessageKind, bool, usize)> = out
        .messages
        .iter()
        .map(|m| {
            (
                m.sender.as_deref(),
                m.text.as_str(),
                m.kind,
                m.is_system,
                m.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some("王总"), "create_group", MessageKind::System, true, 2),
            (
                Some("王总"),
                "张三逻辑清晰，先放人才库",
                MessageKind::Text,
                false,
                3
            ),
            (Some("小林"), "", MessageKind::Image, false, 5),
            (None, "好", MessageKind::Reply, false, 6),
        ]
    );
    // date_unixtime wins over the exporting machine's local `date`.
    assert_eq!(out.messages[2].at, dt("2024-03-04 09:15:40"));
    assert_eq!(out.messages[1].at_utc, None);
    assert_eq!(out.chat_kind, ChatKind::Group);
    assert_eq!(out.messages[0].sender_id.as_deref(), Some("user1"));
}

//! Kind tables: QQ/WeChat markers, WeChat type codes, WeFlow type
//! names and WeCom message types.

use super::*;

#[test]
fn chinese_markers() {
    use MessageKind::*;
    let table: &[(&str, MessageKind)] = &[
        ("[图片]", Image),
        ("[图片][图片]", Image),
        ("[表情]", Sticker),
        ("[动画表情]", Sticker),
        ("[表情包]", Sticker),
        ("[语音]", Voice),
        ("[语音 5\"]", Voice),
        ("[视频]", Video),
        ("[文件]", File),
        ("[文件: 张三_简历.pdf]", File),
        ("[位置] 深圳市南山区科技园", Location),
        ("[地理位置]", Location),
        ("[链接]:title:高级Java工程师", Link),
        ("[卡片消息]", Link),
        ("[红包]", RedPacket),
        ("[转账]", RedPacket),
        ("[语音通话]", Call),
        ("[视频通话]", Call),
        ("[个人名片] 李四", Other),
        ("[回复]王总: 好的", Reply),
        ("\"王总\"撤回了一条消息", Recall),
        ("我拍了拍\"HR-小林\"", System),
        ("看下这个[图片]", Text),
        ("[图片]这是张三的作品", Text),
        ("[不是占位符]", Text),
        ("[", Text),
        ("", Text),
    ];
    for &(text, kind) in table {
        assert_eq!(marker_kind(text), kind, "{text}");
    }
}

#[test]
fn wechat_csv_type_codes() {
    use MessageKind::*;
    let table: &[(&str, &str, MessageKind, bool)] = &[
        ("1", "0", Text, false),
        ("3", "0", Image, false),
        ("34", "0", Voice, false),
        ("43", "0", Video, false),
        ("47", "0", Sticker, false),
        ("48", "0", Location, false),
        ("50", "0", Call, false),
        ("10000", "0", System, true),
        ("49", "57", Reply, false),
        ("49", "6", File, false),
        ("49", "5", Link, false),
        ("49", "3", Link, false),
        ("49", "2000", RedPacket, false),
        ("42", "0", Other, false),
    ];
    let header = "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n";
    for &(ty, sub, kind, system) in table {
        let text = format!(
            "{header}1,2,{ty},{sub},0,1709514725,2,x,2024-03-04 09:12:05,王总,王建国,wxid_boss001\n"
        );
        let m = only(&text, ChatFormat::WechatCsv, &ParseOptions::default());
        assert_eq!((m.kind, m.is_system), (kind, system), "Type {ty}/{sub}");
        assert_eq!(
            m.sender.as_deref(),
            if system { None } else { Some("王总") }
        );
    }
}

#[test]
fn weflow_type_names() {
    use MessageKind::*;
    let table: &[(&str, MessageKind)] = &[
        ("文本消息", Text),
        ("图片消息", Image),
        ("语音消息", Voice),
        ("视频消息", Video),
        ("文件消息", File),
        ("动画表情", Sticker),
        ("卡片式链接", Link),
        ("小程序分享", Link),
        ("位置消息", Location),
        ("红包卡片", RedPacket),
        ("转账卡片", RedPacket),
        ("引用消息", Reply),
        ("撤回消息", Recall),
        ("系统消息", System),
        ("名片消息", Other),
        ("未知类型(12345)", Other),
    ];
    for &(name, kind) in table {
        let text = format!(
            "{{\"session\": {{\"wxid\": \"wxid_a\", \"type\": \"私聊\"}}, \"messages\": [{{\"createTime\": 1709514725, \"type\": \"{name}\", \"content\": \"x\", \"isSend\": 1, \"senderUsername\": \"wxid_a\", \"senderDisplayName\": \"小林\"}}]}}"
        );
        let m = only(&text, ChatFormat::WeflowJson, &ParseOptions::default());
        assert_eq!(m.kind, kind, "{name}");
        assert_eq!(m.is_system, matches!(kind, Recall | System), "{name}");
        assert_eq!(m.chat_kind, ChatKind::Private);
    }
}

#[test]
fn wecom_message_types() {
    use MessageKind::*;
    let table: &[(&str, &str, MessageKind, &str)] = &[
        (
            "text",
            r#"{"content":"张三下周一入职"}"#,
            Text,
            "张三下周一入职",
        ),
        (
            "markdown",
            r#"{"info":{"content":"**面试安排**"}}"#,
            Text,
            "**面试安排**",
        ),
        ("image", r#"{"sdkfileid":"x"}"#, Image, "[图片]"),
        ("voice", r#"{"play_length":10}"#, Voice, "[语音]"),
        ("video", r#"{"play_length":10}"#, Video, "[视频]"),
        ("emotion", r#"{"type":1}"#, Sticker, "[表情]"),
        (
            "file",
            r#"{"filename":"王五_简历.docx"}"#,
            File,
            "[文件] 王五_简历.docx",
        ),
        (
            "link",
            r#"{"title":"岗位JD","link_url":"https://example.com/jd"}"#,
            Link,
            "[链接] 岗位JD https://example.com/jd",
        ),
        (
            "weapp",
            r#"{"title":"面试签到","displayname":"招聘助手"}"#,
            Link,
            "[小程序] 面试签到 招聘助手",
        ),
        (
            "location",
            r#"{"title":"科技园","address":"深圳市南山区"}"#,
            Location,
            "[位置] 科技园 深圳市南山区",
        ),
        (
            "redpacket",
            r#"{"wish":"恭喜入职"}"#,
            RedPacket,
            "[红包] 恭喜入职",
        ),
        ("voiptext", r#"{"callduration":120}"#, Call, "[语音通话]"),
        (
            "card",
            r#"{"corpname":"某科技","userid":"lisi"}"#,
            Other,
            "[名片] 某科技 lisi",
        ),
        (
            "chatrecord",
            r#"{"title":"群聊的聊天记录"}"#,
            Other,
            "[聊天记录] 群聊的聊天记录",
        ),
        (
            "agree",
            r#"{"userid":"wmABC","agree_time":1709514725000}"#,
            System,
            "wmABC 同意会话存档",
        ),
        (
            "mixed",
            r#"{"item":[{"type":"text","content":"{\"content\":\"简历见图\"}"},{"type":"image","content":"{}"}]}"#,
            Text,
            "简历见图[图片]",
        ),
        ("vote", r#"{}"#, Other, "[vote]"),
    ];
    for &(msgtype, body, kind, text) in table {
        let line = format!(
            r#"{{"msgid":"1","action":"send","from":"linxiao","tolist":["lisi"],"roomid":"","msgtime":1709514725000,"msgtype":"{msgtype}","{msgtype}":{body}}}"#
        );
        let m = only(&line, ChatFormat::WecomJsonl, &ParseOptions::default());
        assert_eq!((m.kind, m.text.as_str()), (kind, text), "{msgtype}");
        assert_eq!(m.chat_kind, ChatKind::Private);
    }
}

//! WeCom (企业微信) conversation-archive messages (会话内容存档) after
//! decryption, one JSON object per line. The archive has ids, not names, and
//! mixes every conversation of the company, so chat name and kind are set per
//! message from `roomid`. Media carry no visible text; they get the same
//! bracketed marker the chat clients show (`[图片]`, `[文件] 简历.pdf`), so
//! downstream text handling treats all platforms alike.

use serde_json::Value;

use super::{
    ChatFormat, ChatKind, MessageKind, ParseOptions, ParseOutput, json_int, json_str,
    local_from_unix,
};

/// Parses decrypted WeCom archive records, one JSON object per line.
pub(super) fn parse(text: &str, opts: &ParseOptions) -> ParseOutput {
    let mut out = ParseOutput::new(ChatFormat::WecomJsonl);
    let mut switches = 0;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (idx, raw) in text.split('\n').enumerate() {
        let no = idx + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let rec: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                out.reject(
                    no,
                    raw,
                    format!("not valid JSON (line {no}, column {}): {e}", e.column()),
                );
                continue;
            }
        };
        if !rec.is_object() {
            out.reject(no, raw, "record is not a JSON object");
            continue;
        }
        let action = json_str(&rec, "action").unwrap_or("send");
        if action == "switch" {
            // A switch record marks an enterprise login change, not a message.
            switches += 1;
            continue;
        }
        let Some(ms) = json_int(rec.get("msgtime")) else {
            out.reject(no, raw, "missing or non-numeric msgtime");
            continue;
        };
        let secs = ms.div_euclid(1000);
        let Some(at) = local_from_unix(secs, opts.tz_offset_hours) else {
            out.reject(no, raw, "msgtime is out of range");
            continue;
        };
        let msgtype = json_str(&rec, "msgtype").unwrap_or("");
        let (kind, body) = if action == "recall" || msgtype == "revoke" {
            (MessageKind::Recall, "撤回了一条消息".to_string())
        } else {
            body_of(&rec, msgtype)
        };
        let mut m = out.message(no, at, body);
        m.at_utc = Some(secs);
        m.kind = kind;
        m.is_system = matches!(kind, MessageKind::Recall | MessageKind::System);
        m.sender_id = json_str(&rec, "from").map(str::to_string);
        match json_str(&rec, "roomid") {
            Some(room) => {
                m.chat_kind = ChatKind::Group;
                m.chat_name = Some(room.to_string());
            }
            None => m.chat_kind = ChatKind::Private,
        }
        out.messages.push(m);
    }
    if switches > 0 {
        out.notes.push(format!(
            "{switches} switch record(s) skipped: they mark a login change, not a message"
        ));
    }
    let first = out
        .messages
        .first()
        .map(|m| (m.chat_name.clone(), m.chat_kind));
    if let Some((name, kind)) = first
        && out
            .messages
            .iter()
            .all(|m| m.chat_name == name && m.chat_kind == kind)
    {
        out.chat_name = name;
        out.chat_kind = kind;
    }
    out.finish(|_| {});
    out
}

/// Kind and display text of one archive record by `msgtype`.
fn body_of(rec: &Value, msgtype: &str) -> (MessageKind, String) {
    let part = rec.get(msgtype).unwrap_or(&Value::Null);
    let field = |k: &str| json_str(part, k).unwrap_or("");
    let labelled = |label: &str, detail: &[&str]| {
        let details: Vec<&str> = detail
            .iter()
            .map(|k| field(k))
            .filter(|s| !s.is_empty())
            .collect();
        if details.is_empty() {
            label.to_string()
        } else {
            format!("{label} {}", details.join(" "))
        }
    };
    match msgtype {
        "text" => (MessageKind::Text, field("content").to_string()),
        "markdown" => {
            let info = part.get("info").unwrap_or(&Value::Null);
            (
                MessageKind::Text,
                json_str(info, "content").unwrap_or("").to_string(),
            )
        }
        "image" => (MessageKind::Image, "[图片]".into()),
        "voice" | "meeting_voice_call" => (MessageKind::Voice, "[语音]".into()),
        "video" | "sphfeed" => (MessageKind::Video, "[视频]".into()),
        "emotion" => (MessageKind::Sticker, "[表情]".into()),
        "file" | "qydiskfile" => (MessageKind::File, labelled("[文件]", &["filename"])),
        "link" | "docmsg" => (
            MessageKind::Link,
            labelled("[链接]", &["title", "link_url"]),
        ),
        "weapp" => (
            MessageKind::Link,
            labelled("[小程序]", &["title", "displayname"]),
        ),
        "location" => (
            MessageKind::Location,
            labelled("[位置]", &["title", "address"]),
        ),
        "redpacket" | "external_redpacket" => {
            (MessageKind::RedPacket, labelled("[红包]", &["wish"]))
        }
        "voiptext" => (MessageKind::Call, "[语音通话]".into()),
        "card" => (
            MessageKind::Other,
            labelled("[名片]", &["corpname", "userid"]),
        ),
        "chatrecord" => (MessageKind::Other, labelled("[聊天记录]", &["title"])),
        "agree" | "disagree" => {
            let verb = if msgtype == "agree" {
                "同意"
            } else {
                "不同意"
            };
            (
                MessageKind::System,
                format!("{} {verb}会话存档", field("userid"))
                    .trim()
                    .to_string(),
            )
        }
        "mixed" => (MessageKind::Text, mixed_text(part)),
        other => (MessageKind::Other, format!("[{other}]")),
    }
}

/// `mixed` records hold text and image items; text items wrap their content
/// in a JSON string.
fn mixed_text(part: &Value) -> String {
    let Some(items) = part.get("item").and_then(Value::as_array) else {
        return String::new();
    };
    let pieces: Vec<String> = items
        .iter()
        .map(|item| match json_str(item, "type") {
            Some("text") => json_str(item, "content")
                .and_then(|c| serde_json::from_str::<Value>(c).ok())
                .and_then(|v| json_str(&v, "content").map(str::to_string))
                .unwrap_or_default(),
            Some("image") => "[图片]".to_string(),
            Some(other) => format!("[{other}]"),
            None => String::new(),
        })
        .collect();
    pieces.concat()
}

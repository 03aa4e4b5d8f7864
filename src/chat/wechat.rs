//! Personal WeChat has no official export, so this module owns the layouts of
//! the third-party exporters people actually use: WeChatMsg/留痕 TXT and CSV,
//! WechatExporter TXT (iTunes backups) and WeFlow/EchoTrace JSON.

use foldhash::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::json_lines::{Seg, arrays_named, lines_at};
use super::{
    ChatFormat, ChatKind, MessageKind, ParseOptions, ParseOutput, json_int, json_str,
    local_from_unix, marker_kind, naive, note_time_mismatch, parse_local_datetime, push_body,
    reject_json_error, source_lines,
};

/// WeChatMsg TXT header: `{StrTime} {display name}`, or `{StrTime} {notice}` for system lines.
static TXT_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}) (.*\S)\s*$")
        .expect("WeChat txt regex")
});

/// WechatExporter line: `NAME (YYYY-MM-DD HH:MM:SS[ AM|PM]):MESSAGE`; older
/// releases printed a 12-hour clock with AM/PM, current ones a 24-hour clock.
static EXPORTER_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(.*?) ?\((\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?(AM|PM|am|pm|上午|下午))?\):(.*)$",
    )
    .expect("WechatExporter regex")
});

/// WechatExporter's first line: `{chat} - 微信聊天记录`.
static EXPORTER_FRAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.+?) - (?:微信聊天记录|WeChat Chat History)\s*$").expect("frame regex")
});

/// WechatExporter writes notices (joins, recalls, pokes) as bare lines without
/// name or time; these phrases tell them apart from continuation lines.
static NOTICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^(?:系统消息[:：]|System Message:)|撤回了一条消息$|^.{1,60}邀请.{1,200}加入了群聊$|加入了群聊$|移出了群聊$|修改群名为[“"]|^.{0,40}拍了拍.{0,40}$|与群里其他人都不是朋友关系|现在可以开始聊天了。?$|^以上是打招呼的内容$"#,
    )
    .expect("notice regex")
});

pub(super) fn txt_header(line: &str) -> Option<(chrono::NaiveDateTime, &str)> {
    let c = TXT_HEADER.captures(line)?;
    let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
    let y = c.get(1)?.as_str().parse::<i32>().ok()?;
    let at = naive(y, n(2)?, n(3)?, n(4)?, n(5)?, n(6)?)?;
    Some((at, c.get(7)?.as_str()))
}

pub(super) fn exporter_frame(line: &str) -> Option<&str> {
    EXPORTER_FRAME.captures(line)?.get(1).map(|m| m.as_str())
}

/// Reads a WechatExporter message line into time, name and first body line.
pub(super) fn exporter_header(line: &str) -> Option<(chrono::NaiveDateTime, &str, &str)> {
    let c = EXPORTER_HEADER.captures(line)?;
    let n = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse::<u32>().ok());
    let y = c.get(2)?.as_str().parse::<i32>().ok()?;
    let mut hour = n(5)?;
    match c.get(8).map(|m| m.as_str()) {
        Some("AM" | "am" | "上午") if hour == 12 => hour = 0,
        Some("PM" | "pm" | "下午") if hour < 12 => hour += 12,
        _ => {}
    }
    let at = naive(y, n(3)?, n(4)?, hour, n(6)?, n(7)?)?;
    Some((at, c.get(1)?.as_str().trim(), c.get(9)?.as_str()))
}

/// WeChatMsg HTML/JS-escapes display names before writing them; undo it.
fn unescape_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut chars = name.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn wechat_body_kind(text: &str) -> MessageKind {
    if text.lines().any(|l| l.trim_start().starts_with("引用:")) {
        return MessageKind::Reply;
    }
    marker_kind(text)
}

/// Parses a WeChatMsg/留痕 TXT export.
pub(super) fn parse_txt(text: &str) -> ParseOutput {
    let mut out = ParseOutput::new(ChatFormat::WechatTxt);
    let lines = source_lines(text);
    for (idx, &line) in lines.iter().enumerate() {
        let no = idx + 1;
        if let Some((at, rest)) = txt_header(line) {
            // A sender line is followed by its body; a notice stands alone before the blank separator.
            let has_body = lines.get(idx + 1).is_some_and(|l| !l.trim().is_empty());
            let mut m = out.message(no, at, String::new());
            if has_body {
                m.sender = Some(unescape_name(rest));
            } else {
                m.is_system = true;
                m.text = rest.to_string();
            }
            out.messages.push(m);
        } else if !push_body(&mut out.messages, line) && !line.trim().is_empty() {
            out.reject(no, line, "text before the first message header");
        }
    }
    out.infer_group_from_senders();
    out.finish(|m| {
        m.kind = match (m.is_system, wechat_body_kind(&m.text)) {
            (true, MessageKind::Recall) => MessageKind::Recall,
            (true, _) => MessageKind::System,
            (false, k) => k,
        };
    });
    out
}

/// Kind of a WeChat database message from its `Type`/`SubType` codes.
fn kind_from_codes(ty: i64, sub: i64) -> MessageKind {
    match (ty, sub) {
        (1, _) => MessageKind::Text,
        (3, _) => MessageKind::Image,
        (34, _) => MessageKind::Voice,
        (43, _) | (62, _) => MessageKind::Video,
        (47, _) => MessageKind::Sticker,
        (48, _) => MessageKind::Location,
        (50, _) => MessageKind::Call,
        (10000, _) | (10002, _) => MessageKind::System,
        (49, 57) => MessageKind::Reply,
        (49, 6) => MessageKind::File,
        (49, 3 | 4 | 5 | 33 | 36) => MessageKind::Link,
        (49, 2000 | 2001) | (436207665, _) => MessageKind::RedPacket,
        _ => MessageKind::Other,
    }
}

/// Parses a WeChatMsg/留痕 CSV export.
pub(super) fn parse_csv(text: &str, opts: &ParseOptions) -> ParseOutput {
    let mut out = ParseOutput::new(ChatFormat::WechatCsv);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns: HashMap<String, usize> = match reader.headers() {
        Ok(h) => h
            .iter()
            .enumerate()
            .map(|(i, name)| (name.trim().to_string(), i))
            .collect(),
        Err(e) => {
            out.reject(
                1,
                source_lines(text).first().copied().unwrap_or(""),
                format!("unreadable CSV header: {e}"),
            );
            return out;
        }
    };
    for required in ["Type", "StrContent"] {
        if !columns.contains_key(required) {
            let raw = source_lines(text).first().copied().unwrap_or("");
            out.reject(
                1,
                raw,
                format!("missing column {required}; not a WeChatMsg CSV"),
            );
            return out;
        }
    }
    let mut mismatches = 0;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at_byte(text, p.byte()));
                let raw = source_lines(text)
                    .get(line.saturating_sub(1))
                    .copied()
                    .unwrap_or("");
                out.reject(line, raw, format!("unreadable CSV record: {e}"));
                continue;
            }
        };
        let line = record
            .position()
            .map_or(0, |p| line_at_byte(text, p.byte()));
        let get = |name: &str| {
            columns
                .get(name)
                .and_then(|&i| record.get(i))
                .map(str::trim)
                .unwrap_or("")
        };
        let raw_line = || record.iter().collect::<Vec<_>>().join(",");
        let Ok(ty) = get("Type").parse::<i64>() else {
            out.reject(line, &raw_line(), "Type is not a number");
            continue;
        };
        let sub = get("SubType").parse::<i64>().unwrap_or(0);
        let created = get("CreateTime").parse::<i64>().ok();
        let formatted = parse_local_datetime(get("StrTime"));
        let absolute = created.and_then(|s| local_from_unix(s, opts.tz_offset_hours));
        let Some(at) = absolute.or(formatted) else {
            out.reject(
                line,
                &raw_line(),
                "neither CreateTime nor StrTime is a valid time",
            );
            continue;
        };
        if absolute.is_some() && formatted.is_some_and(|f| f != at) {
            mismatches += 1;
        }
        let content = columns
            .get("StrContent")
            .and_then(|&i| record.get(i))
            .unwrap_or("");
        let mut m = out.message(line, at, content.to_string());
        m.at_utc = absolute.and(created);
        m.kind = kind_from_codes(ty, sub);
        if m.kind == MessageKind::System {
            m.is_system = true;
            if marker_kind(content) == MessageKind::Recall {
                m.kind = MessageKind::Recall;
            }
        } else {
            let name = Some(get("Remark"))
                .filter(|s| !s.is_empty())
                .or(Some(get("NickName")));
            m.sender = name.filter(|s| !s.is_empty()).map(str::to_string);
            m.sender_id = Some(get("Sender"))
                .filter(|s| !s.is_empty())
                .map(str::to_string);
        }
        out.messages.push(m);
    }
    note_time_mismatch(&mut out, mismatches, "StrTime", opts);
    out.infer_group_from_senders();
    out.finish(|_| {});
    out
}

/// 1-based line of the first character at or after `byte`. With CRLF files the
/// csv reader's own line count lags by one, because a record ends at the `\r`
/// and the `\n` is only consumed when the next record is read.
fn line_at_byte(text: &str, byte: u64) -> usize {
    let bytes = text.as_bytes();
    let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    while bytes.get(at).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        at += 1;
    }
    1 + bytes[..at].iter().filter(|&&b| b == b'\n').count()
}

/// Parses a WechatExporter TXT export.
pub(super) fn parse_exporter_txt(text: &str) -> ParseOutput {
    let mut out = ParseOutput::new(ChatFormat::WechatExporterTxt);
    let lines = source_lines(text);
    let mut timeless_notices = 0;
    for (idx, &line) in lines.iter().enumerate() {
        let no = idx + 1;
        if out.messages.is_empty()
            && out.chat_name.is_none()
            && let Some(name) = exporter_frame(line)
        {
            out.chat_name = Some(name.trim().to_string());
            continue;
        }
        if let Some((at, name, first)) = exporter_header(line) {
            let mut m = out.message(no, at, first.to_string());
            m.sender = Some(name.to_string()).filter(|n| !n.is_empty());
            out.messages.push(m);
            continue;
        }
        if NOTICE.is_match(line.trim()) {
            if let Some(at) = out.messages.last().map(|m| m.at) {
                let mut m = out.message(no, at, line.trim().to_string());
                m.is_system = true;
                out.messages.push(m);
                timeless_notices += 1;
            } else {
                out.reject(no, line, "notice without a time before the first message");
            }
            continue;
        }
        if !push_body(&mut out.messages, line) && !line.trim().is_empty() {
            out.reject(no, line, "text before the first message header");
        }
    }
    if timeless_notices > 0 {
        out.notes.push(format!(
            "{timeless_notices} notice line(s) carry no time in this format; they take the time of the message before them"
        ));
    }
    out.infer_group_from_senders();
    out.finish(|m| {
        let reply = m.text.starts_with('「') && m.text.contains("\n- - - -");
        m.kind = match (m.is_system, marker_kind(&m.text)) {
            (true, MessageKind::Recall) => MessageKind::Recall,
            (true, _) => MessageKind::System,
            (false, _) if reply => MessageKind::Reply,
            (false, k) => k,
        };
    });
    out
}

/// Kind from WeFlow/EchoTrace's Chinese message-type names.
fn weflow_kind(type_name: &str, text: &str) -> MessageKind {
    match type_name {
        "文本消息" => MessageKind::Text,
        "图片消息" => MessageKind::Image,
        "语音消息" => MessageKind::Voice,
        "视频消息" => MessageKind::Video,
        "文件消息" => MessageKind::File,
        "动画表情" | "表情消息" => MessageKind::Sticker,
        "卡片式链接" | "图文消息" | "小程序分享" | "视频号直播卡片" | "音乐分享" => {
            MessageKind::Link
        }
        "位置消息" => MessageKind::Location,
        "红包卡片" | "转账卡片" => MessageKind::RedPacket,
        "引用消息" => MessageKind::Reply,
        "撤回消息" => MessageKind::Recall,
        "系统消息" | "拍一拍" => MessageKind::System,
        "通话消息" | "语音通话" | "视频通话" => MessageKind::Call,
        "名片消息" | "聊天记录合并转发" => MessageKind::Other,
        _ => match marker_kind(text) {
            MessageKind::Text => MessageKind::Other,
            k => k,
        },
    }
}

/// Parses a WeFlow / EchoTrace JSON export.
pub(super) fn parse_weflow(text: &str, opts: &ParseOptions) -> ParseOutput {
    let mut out = ParseOutput::new(ChatFormat::WeflowJson);
    let doc: Value = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
        Ok(v) => v,
        Err(e) => {
            reject_json_error(&mut out, text, &e);
            return out;
        }
    };
    if let Some(session) = doc.get("session") {
        out.chat_name = ["displayName", "remark", "nickname"]
            .iter()
            .find_map(|k| json_str(session, k))
            .map(str::to_string);
        out.chat_kind = match (json_str(session, "type"), json_str(session, "wxid")) {
            (Some("群聊"), _) => ChatKind::Group,
            (Some("私聊"), _) => ChatKind::Private,
            (_, Some(id)) if id.ends_with("@chatroom") => ChatKind::Group,
            _ => ChatKind::Unknown,
        };
    }
    let Some(messages) = doc.get("messages").and_then(Value::as_array) else {
        out.reject(
            1,
            source_lines(text).first().copied().unwrap_or(""),
            "no `messages` array",
        );
        return out;
    };
    let found = arrays_named(text, "messages");
    let lines = lines_at(&found, &[Seg::Key("messages".into())]);
    let mut mismatches = 0;
    for (i, item) in messages.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        if !item.is_object() {
            out.reject(line, &item.to_string(), "message is not a JSON object");
            continue;
        }
        let created = json_int(item.get("createTime"));
        let absolute = created.and_then(|s| local_from_unix(s, opts.tz_offset_hours));
        let formatted = json_str(item, "formattedTime").and_then(parse_local_datetime);
        let Some(at) = absolute.or(formatted) else {
            out.reject(
                line,
                &item.to_string(),
                "neither createTime nor formattedTime is a valid time",
            );
            continue;
        };
        if absolute.is_some() && formatted.is_some_and(|f| f != at) {
            mismatches += 1;
        }
        let content = match item.get("content") {
            Some(Value::String(s)) => s.clone(),
            None | Some(Value::Null) => String::new(),
            Some(other) => other.to_string(),
        };
        let type_name = json_str(item, "type").unwrap_or("");
        let mut m = out.message(line, at, content);
        m.at_utc = absolute.and(created);
        m.kind = weflow_kind(type_name, &m.text);
        m.sender = json_str(item, "senderDisplayName").map(str::to_string);
        m.sender_id = json_str(item, "senderUsername").map(str::to_string);
        // EchoTrace marks platform lines with a null isSend or the group itself as sender.
        let group_is_sender = m
            .sender_id
            .as_deref()
            .is_some_and(|s| s.ends_with("@chatroom"));
        if matches!(item.get("isSend"), Some(Value::Null)) || group_is_sender {
            m.is_system = true;
            if m.kind == MessageKind::Text {
                m.kind = MessageKind::System;
            }
        }
        out.messages.push(m);
    }
    note_time_mismatch(&mut out, mismatches, "formattedTime", opts);
    out.infer_group_from_senders();
    out.finish(|_| {});
    out
}

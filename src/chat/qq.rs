//! QQ's built-in text export (消息管理器 → 导出消息记录 → .txt): a banner and
//! `===` fenced header block naming the chat, then messages made of a
//! `YYYY-MM-DD HH:MM:SS 昵称(QQ号)` line, body lines, and a blank line.

use std::sync::LazyLock;

use regex::Regex;

use super::{
    ChatFormat, ChatKind, MessageKind, ParseOutput, marker_kind, naive, push_body, source_lines,
};

/// Message header; QQ writes hours without padding in some versions and `/` dates in others.
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2}) (\d{1,2}):(\d{2}):(\d{2}) (.*\S)\s*$")
        .expect("QQ header regex")
});

/// The sender id QQ uses for its own notices.
const SYSTEM_ID: &str = "10000";

/// Header-line fields of one QQ message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    pub at: chrono::NaiveDateTime,
    pub name: String,
    pub id: Option<String>,
}

/// Reads a header line. `Some(Err)` is a header-shaped line with an impossible date.
pub(super) fn header(line: &str) -> Option<Result<Header, String>> {
    let c = HEADER.captures(line)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = c.get(1).and_then(|m| m.as_str().parse::<i32>().ok());
    let at = match (year, n(2), n(3), n(4), n(5), n(6)) {
        (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) => naive(y, mo, d, h, mi, s),
        _ => None,
    };
    let Some(at) = at else {
        return Some(Err("message header has an impossible date or time".into()));
    };
    let (name, id) = split_sender(c.get(7).map_or("", |m| m.as_str()));
    Some(Ok(Header { at, name, id }))
}

/// Splits `昵称(QQ号)` / `昵称<email>` / `【管理员】昵称(QQ号)` into display name and id.
/// Nicknames may themselves contain parentheses, so only a trailing all-digit
/// group counts as the QQ number. The 【role】 prefix is a group title shown in
/// front of the nickname; it is dropped so one person keeps one name.
pub(super) fn split_sender(raw: &str) -> (String, Option<String>) {
    let raw = raw.trim();
    let (mut name, id) = split_id(raw);
    if let Some(rest) = name.strip_prefix('【')
        && let Some(end) = rest.find('】')
    {
        let after = rest[end + '】'.len_utf8()..].trim();
        if !after.is_empty() {
            name = after;
        }
    }
    (name.to_string(), id.map(str::to_string))
}

fn split_id(raw: &str) -> (&str, Option<&str>) {
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(body) = raw.strip_suffix(close)
            && let Some(pos) = body.rfind(open)
        {
            let id = &body[pos + open.len_utf8()..];
            let name = body[..pos].trim_end();
            if !id.is_empty()
                && id.len() <= 15
                && id.bytes().all(|b| b.is_ascii_digit())
                && !name.is_empty()
            {
                return (name, Some(id));
            }
        }
    }
    if let Some(body) = raw.strip_suffix('>')
        && let Some(pos) = body.rfind('<')
    {
        let id = &body[pos + 1..];
        let name = body[..pos].trim_end();
        if id.contains('@') && !id.contains(char::is_whitespace) && !name.is_empty() {
            return (name, Some(id));
        }
    }
    (raw, None)
}

fn is_fence(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 3 && t.bytes().all(|b| b == b'=')
}

/// Group/friend list names that say which kind of chat the file is.
fn kind_from_group(group: &str) -> ChatKind {
    if group.contains('群') || group.contains("多人聊天") || group.contains("讨论组") {
        ChatKind::Group
    } else if group.contains("好友") || group.contains("联系人") {
        ChatKind::Private
    } else {
        ChatKind::Unknown
    }
}

/// Parses a QQ text export.
pub(super) fn parse(text: &str) -> ParseOutput {
    let mut out = ParseOutput::new(ChatFormat::QqTxt);
    let lines = source_lines(text);
    let mut started = false;
    let mut skipping = false;
    for (idx, &line) in lines.iter().enumerate() {
        let no = idx + 1;
        match header(line) {
            Some(Ok(h)) => {
                started = true;
                skipping = false;
                let mut m = out.message(no, h.at, String::new());
                m.is_system = h.id.as_deref() == Some(SYSTEM_ID) || h.name == "系统消息";
                m.sender = Some(h.name);
                m.sender_id = h.id;
                out.messages.push(m);
                continue;
            }
            Some(Err(reason)) => {
                out.reject(no, line, reason);
                started = true;
                skipping = true;
                continue;
            }
            None => {}
        }
        if !started {
            preamble_line(&mut out, &lines, idx);
        } else if skipping {
            if !line.trim().is_empty() {
                out.reject(no, line, "body of a message whose header was rejected");
            }
        } else {
            push_body(&mut out.messages, line);
        }
    }
    if out.chat_kind == ChatKind::Unknown {
        out.infer_group_from_senders();
    }
    out.finish(|m| {
        if m.is_system {
            m.kind = match marker_kind(&m.text) {
                MessageKind::Recall => MessageKind::Recall,
                _ => MessageKind::System,
            };
        } else {
            m.kind = marker_kind(&m.text);
        }
    });
    out
}

/// Reads the banner and header block before the first message.
fn preamble_line(out: &mut ParseOutput, lines: &[&str], idx: usize) {
    let line = lines[idx].trim();
    if line.is_empty() || is_fence(line) || line.starts_with("消息记录") {
        return;
    }
    for key in ["消息对象:", "消息对象："] {
        if let Some(v) = line.strip_prefix(key) {
            let v = v.trim();
            if !v.is_empty() {
                out.chat_name = Some(v.to_string());
            }
            return;
        }
    }
    for key in ["消息分组:", "消息分组："] {
        if let Some(v) = line.strip_prefix(key) {
            out.chat_kind = kind_from_group(v.trim());
            return;
        }
    }
    // Any other line fenced by `===` belongs to the header block.
    let fenced_before = idx > 0 && is_fence(lines[idx - 1]);
    let fenced_after = lines.get(idx + 1).is_some_and(|l| is_fence(l));
    if !(fenced_before || fenced_after) {
        out.reject(idx + 1, lines[idx], "text before the first message header");
    }
}

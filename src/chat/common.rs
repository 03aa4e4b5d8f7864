//! What the format parsers share: line splitting, body assembly,
//! time conversion, JSON field access, and the QQ/WeChat media markers.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta};

use super::{Message, MessageKind, ParseOptions, ParseOutput};

/// Source lines without the BOM and without `\r`, numbered from 1.
pub(super) fn source_lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Keeps rejected raw text short so hostile input cannot blow up reports.
pub(super) fn clip(raw: &str) -> String {
    const MAX: usize = 300;
    match raw.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &raw[..i]),
        None => raw.to_string(),
    }
}

/// Drops blank lines at the end of a body (the separators between messages).
pub(super) fn trim_trailing_blank_lines(text: &mut String) {
    while let Some(pos) = text.rfind('\n') {
        if text[pos + 1..].trim().is_empty() {
            text.truncate(pos);
        } else {
            break;
        }
    }
    if text.trim().is_empty() {
        text.clear();
    }
}

/// Appends a body line to the last message; blank lines before the first
/// body text are dropped, later ones are kept. `false` when there is no message yet.
pub(super) fn push_body(messages: &mut [Message], line: &str) -> bool {
    match messages.last_mut() {
        Some(m) => {
            if !m.text.is_empty() {
                m.text.push('\n');
                m.text.push_str(line);
            } else if !line.trim().is_empty() {
                m.text.push_str(line);
            }
            true
        }
        None => false,
    }
}

/// A calendar date and clock time, `None` when either does not exist.
pub(super) fn naive(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, mo, d)?.and_hms_opt(h, mi, s)
}

/// Parses `YYYY-MM-DD HH:MM:SS` (also with `/` or `T`), as exporters format local times.
pub(super) fn parse_local_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
}

/// Unix seconds shown as wall-clock time at a fixed UTC offset.
pub(super) fn local_from_unix(secs: i64, tz_offset_hours: i32) -> Option<NaiveDateTime> {
    let utc = DateTime::from_timestamp(secs, 0)?.naive_utc();
    utc.checked_add_signed(TimeDelta::try_hours(i64::from(tz_offset_hours))?)
}

/// Reads a JSON number or numeric string as an integer (exporters use both).
pub(super) fn json_int(v: Option<&serde_json::Value>) -> Option<i64> {
    match v? {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-empty JSON string field.
pub(super) fn json_str<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    v.get(key)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Records a document that is not JSON at all, naming serde's line and column.
pub(super) fn reject_json_error(out: &mut ParseOutput, text: &str, err: &serde_json::Error) {
    let line = err.line().max(1);
    let raw = source_lines(text).get(line - 1).copied().unwrap_or("");
    out.reject(line, raw, format!("not valid JSON: {err}"));
}

/// Notes how often an exporter's formatted local time disagrees with its
/// absolute time shifted by the chosen offset: a hint that the offset is wrong.
pub(super) fn note_time_mismatch(
    out: &mut ParseOutput,
    mismatches: usize,
    field: &str,
    opts: &ParseOptions,
) {
    if mismatches > 0 {
        out.notes.push(format!(
            "{field} differs from the absolute time at UTC{:+} on {mismatches} message(s); `at` follows the absolute time",
            opts.tz_offset_hours
        ));
    }
}

/// Bracketed markers that QQ and WeChat exporters write instead of media.
const MEDIA_MARKERS: &[(&str, MessageKind)] = &[
    ("图片", MessageKind::Image),
    ("Photo", MessageKind::Image),
    ("闪照", MessageKind::Image),
    ("表情", MessageKind::Sticker),
    ("动画表情", MessageKind::Sticker),
    ("表情包", MessageKind::Sticker),
    ("Emoji", MessageKind::Sticker),
    ("语音", MessageKind::Voice),
    ("Audio", MessageKind::Voice),
    ("视频", MessageKind::Video),
    ("Video", MessageKind::Video),
    ("文件", MessageKind::File),
    ("File", MessageKind::File),
    ("位置", MessageKind::Location),
    ("地理位置", MessageKind::Location),
    ("实时位置共享", MessageKind::Location),
    ("Location", MessageKind::Location),
    ("链接", MessageKind::Link),
    ("卡片消息", MessageKind::Link),
    ("音乐分享", MessageKind::Link),
    ("小程序", MessageKind::Link),
    ("Link", MessageKind::Link),
    ("红包", MessageKind::RedPacket),
    ("转账", MessageKind::RedPacket),
    ("Red Packet", MessageKind::RedPacket),
    ("Transfer", MessageKind::RedPacket),
    ("语音通话", MessageKind::Call),
    ("视频通话", MessageKind::Call),
    ("视频/语音通话", MessageKind::Call),
    ("个人名片", MessageKind::Other),
    ("名片", MessageKind::Other),
    ("回复", MessageKind::Reply),
];

/// Kind of a QQ/WeChat-style body from its markers and notice phrases.
/// Pictures, stickers, voice and video only count when the body is nothing
/// but markers, because QQ inlines `[图片]` inside ordinary text; the
/// other markers are followed by a title, file name or address.
pub(super) fn marker_kind(text: &str) -> MessageKind {
    let t = text.trim();
    if t.contains("撤回了一条消息") || t.contains("撤回了一条成员消息") {
        return MessageKind::Recall;
    }
    if t.chars().count() <= 80 && (t.contains("拍了拍") || t.contains("戳了戳")) {
        return MessageKind::System;
    }
    if t.contains("通话时长") && t.chars().count() <= 40 {
        return MessageKind::Call;
    }
    let Some(first) = leading_marker(t) else {
        return MessageKind::Text;
    };
    match first.1 {
        MessageKind::Image | MessageKind::Sticker | MessageKind::Voice | MessageKind::Video => {
            let mut rest = t;
            while let Some((len, _)) = leading_marker(rest) {
                rest = rest[len..].trim_start();
            }
            if rest.is_empty() {
                first.1
            } else {
                MessageKind::Text
            }
        }
        kind => kind,
    }
}

/// Byte length and kind of a `[占位]` token at the start of `t` (also `[语音 5"]`, `[File: a.pdf]`).
fn leading_marker(t: &str) -> Option<(usize, MessageKind)> {
    let inner_end = t.strip_prefix('[')?.find(']')?;
    let inner = &t[1..1 + inner_end];
    let head = inner.split([' ', ':', '：']).next().unwrap_or(inner);
    MEDIA_MARKERS
        .iter()
        .find(|(name, _)| *name == inner || *name == head)
        .map(|(_, kind)| (inner_end + 2, *kind))
}

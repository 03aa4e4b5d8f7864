//! Format detection: content evidence first (QQ banner, CSV header, JSON shape,
//! the first message-header line), the file name only when the content says
//! nothing, because exports are often renamed or saved as plain `.txt`.

use serde_json::Value;

use super::ChatFormat;
use super::{generic, qq, source_lines, wechat, whatsapp};

/// How many non-blank lines to look at before giving up on content evidence.
const SCAN_LINES: usize = 60;

/// Guesses the format of `text` (already decoded) and says why; `None` when
/// neither content nor file name gives any evidence.
pub fn detect(text: &str, file_name: &str) -> Option<(ChatFormat, &'static str)> {
    let body = text.trim_start_matches('\u{feff}');
    let trimmed = body.trim_start();
    if trimmed.starts_with('{')
        && let Some(found) = detect_json(trimmed)
    {
        return Some(found);
    }
    if body.contains("消息记录（此消息记录为文本格式") {
        return Some((
            ChatFormat::QqTxt,
            "QQ export banner 消息记录（此消息记录为文本格式…",
        ));
    }
    let lines: Vec<&str> = source_lines(body)
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .take(SCAN_LINES)
        .collect();
    if lines
        .iter()
        .any(|l| l.starts_with("消息对象:") || l.starts_with("消息对象："))
    {
        return Some((ChatFormat::QqTxt, "QQ export header line 消息对象:"));
    }
    if let Some(first) = lines.first() {
        let cols: Vec<&str> = first.split(',').map(str::trim).collect();
        if ["localId", "TalkerId", "Type", "StrContent", "CreateTime"]
            .iter()
            .all(|c| cols.contains(c))
        {
            return Some((
                ChatFormat::WechatCsv,
                "CSV header with WeChatMsg columns localId,TalkerId,Type,…",
            ));
        }
        if wechat::exporter_frame(first).is_some() {
            return Some((
                ChatFormat::WechatExporterTxt,
                "first line `… - 微信聊天记录` (WechatExporter frame)",
            ));
        }
    }
    if let Some(found) = detect_by_first_header(&lines) {
        return Some(found);
    }
    detect_by_name(file_name)
}

fn detect_json(trimmed: &str) -> Option<(ChatFormat, &'static str)> {
    let first_line = trimmed.lines().next().unwrap_or("");
    if let Ok(v) = serde_json::from_str::<Value>(first_line)
        && v.get("msgid").is_some()
        && (v.get("msgtime").is_some() || v.get("action").is_some())
    {
        return Some((
            ChatFormat::WecomJsonl,
            "first line is a JSON object with msgid/msgtime (WeCom archive)",
        ));
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(v) => {
            if v.get("session").is_some() && v.get("messages").is_some() {
                return Some((
                    ChatFormat::WeflowJson,
                    "JSON with `session` and `messages` (WeFlow/EchoTrace)",
                ));
            }
            if v.get("chats").and_then(|c| c.get("list")).is_some() {
                return Some((
                    ChatFormat::TelegramJson,
                    "JSON with `chats.list` (Telegram full export)",
                ));
            }
            let first_msg = v
                .get("messages")
                .and_then(Value::as_array)
                .and_then(|m| m.first());
            if first_msg
                .is_some_and(|m| m.get("date_unixtime").is_some() || m.get("date").is_some())
            {
                return Some((
                    ChatFormat::TelegramJson,
                    "JSON `messages` with date/date_unixtime (Telegram)",
                ));
            }
            None
        }
        // A truncated or damaged file still shows its keys near the top.
        Err(_) => {
            let head: String = trimmed.chars().take(4096).collect();
            if head.contains("\"senderUsername\"") || head.contains("\"session\"") {
                Some((
                    ChatFormat::WeflowJson,
                    "damaged JSON with WeFlow keys (session/senderUsername)",
                ))
            } else if head.contains("\"date_unixtime\"") || head.contains("\"chats\"") {
                Some((
                    ChatFormat::TelegramJson,
                    "damaged JSON with Telegram keys (date_unixtime/chats)",
                ))
            } else {
                None
            }
        }
    }
}

/// Decides by the first line that looks like a message header.
fn detect_by_first_header(lines: &[&str]) -> Option<(ChatFormat, &'static str)> {
    for (i, line) in lines.iter().enumerate() {
        if wechat::exporter_header(line).is_some() {
            return Some((
                ChatFormat::WechatExporterTxt,
                "first message line `NAME (YYYY-MM-DD hh:mm:ss):` (WechatExporter)",
            ));
        }
        if line.get(5..6) == Some("-")
            && generic::header(line, generic::Style::Bracket, None).is_some()
            && !has_seconds_in_brackets(line)
        {
            return Some((
                ChatFormat::SignalTxt,
                "first message line `[YYYY-MM-DD, HH:MM] Name:` (Signal style)",
            ));
        }
        if whatsapp::stamp(line).is_some() {
            return Some((
                ChatFormat::WhatsappTxt,
                "first message line `date, time - Name:` or `[date, time] Name:` (WhatsApp)",
            ));
        }
        if let Some(Ok(_)) = qq::header(line)
            && let Some(found) = qq_or_wechat(lines)
        {
            return Some(found);
        }
        let generic_header = [generic::Style::DateFirst, generic::Style::NameFirst]
            .into_iter()
            .any(|s| generic::header(line, s, None).is_some());
        let under_date = i > 0
            && generic::date_line(lines[i - 1]).is_some()
            && generic::header(
                line,
                generic::Style::TimeUnderDate,
                generic::date_line(lines[i - 1]),
            )
            .is_some();
        if generic_header || under_date {
            return Some((
                ChatFormat::Generic,
                "first message line has a date, time and name (generic log)",
            ));
        }
    }
    None
}

/// QQ and WeChatMsg both write `date time name` with the body below; only QQ
/// appends (QQ号) or <email>, and a log whose headers mostly carry `Name: text`
/// inline is a generic paste instead.
fn qq_or_wechat(lines: &[&str]) -> Option<(ChatFormat, &'static str)> {
    let heads: Vec<(usize, qq::Header)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((i, qq::header(l)?.ok()?)))
        .collect();
    if heads.iter().any(|(_, h)| h.id.is_some()) {
        return Some((
            ChatFormat::QqTxt,
            "header lines `YYYY-MM-DD HH:MM:SS 昵称(QQ号)` (QQ)",
        ));
    }
    let inline = heads
        .iter()
        .filter(|(_, h)| generic::split_sender(&h.name).0.is_some())
        .count();
    let body_below = heads.iter().any(|(i, _)| {
        lines
            .get(i + 1)
            .is_some_and(|next| qq::header(next).is_none())
    });
    if inline * 2 < heads.len() && body_below {
        return Some((
            ChatFormat::WechatTxt,
            "header lines `YYYY-MM-DD HH:MM:SS name` with the body below (WeChatMsg)",
        ));
    }
    None
}

/// Signal writes no seconds; an iOS WhatsApp stamp with year-first dates has them.
fn has_seconds_in_brackets(line: &str) -> bool {
    line.split(']')
        .next()
        .is_some_and(|stamp| stamp.matches(':').count() >= 2)
}

fn detect_by_name(file_name: &str) -> Option<(ChatFormat, &'static str)> {
    let lower = file_name.to_lowercase();
    let base = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    if base.contains("whatsapp") {
        Some((ChatFormat::WhatsappTxt, "file name mentions WhatsApp"))
    } else if base.ends_with(".jsonl") {
        Some((ChatFormat::WecomJsonl, "file extension .jsonl"))
    } else if base.ends_with(".csv") {
        Some((ChatFormat::WechatCsv, "file extension .csv"))
    } else if base == "result.json" {
        Some((
            ChatFormat::TelegramJson,
            "file name result.json (Telegram full export)",
        ))
    } else if base.ends_with(".txt") {
        Some((
            ChatFormat::Generic,
            "file extension .txt with no recognised header",
        ))
    } else {
        None
    }
}

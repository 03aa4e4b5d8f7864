//! Telegram Desktop JSON exports: a single chat (`{name, type, messages}`) or
//! the full account export (`chats.list[]` and `left_chats.list[]`). Message
//! text is either a string or an array of strings and `{type, text}` entity
//! pieces, which are concatenated back into the plain text the user saw.

use serde_json::Value;

use super::json_lines::{Seg, arrays_named, lines_at};
use super::{
    ChatFormat, ChatKind, Message, MessageKind, ParseOptions, ParseOutput, json_int, json_str,
    local_from_unix, parse_local_datetime, reject_json_error, source_lines,
};

/// Parses a Telegram Desktop JSON export.
pub(super) fn parse(text: &str, opts: &ParseOptions) -> ParseOutput {
    let mut out = ParseOutput::new(ChatFormat::TelegramJson);
    let doc: Value = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
        Ok(v) => v,
        Err(e) => {
            reject_json_error(&mut out, text, &e);
            return out;
        }
    };
    let found = arrays_named(text, "messages");
    let mut chats = 0;
    for section in ["chats", "left_chats"] {
        let Some(list) = doc
            .get(section)
            .and_then(|s| s.get("list"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        for (ci, chat) in list.iter().enumerate() {
            let path = [
                Seg::Key(section.into()),
                Seg::Key("list".into()),
                Seg::Index(ci),
                Seg::Key("messages".into()),
            ];
            parse_chat(&mut out, chat, lines_at(&found, &path), opts);
            chats += 1;
        }
    }
    if chats == 0 {
        if doc.get("messages").is_some_and(Value::is_array) {
            out.chat_name = json_str(&doc, "name").map(str::to_string);
            out.chat_kind = chat_kind(json_str(&doc, "type"));
            parse_chat(
                &mut out,
                &doc,
                lines_at(&found, &[Seg::Key("messages".into())]),
                opts,
            );
        } else {
            let first = source_lines(text).first().copied().unwrap_or("");
            out.reject(1, first, "neither a `messages` array nor `chats.list`");
        }
    } else if chats > 1 {
        out.notes.push(format!(
            "full export with {chats} chats; chat name and kind are set per message"
        ));
    } else if let Some(m) = out.messages.first() {
        out.chat_name.clone_from(&m.chat_name);
        out.chat_kind = m.chat_kind;
    }
    out.finish(|_| {});
    out
}

fn chat_kind(ty: Option<&str>) -> ChatKind {
    match ty {
        Some("personal_chat" | "bot_chat" | "saved_messages") => ChatKind::Private,
        Some(t) if t.contains("group") || t.contains("channel") => ChatKind::Group,
        _ => ChatKind::Unknown,
    }
}

fn parse_chat(out: &mut ParseOutput, chat: &Value, lines: &[usize], opts: &ParseOptions) {
    let Some(messages) = chat.get("messages").and_then(Value::as_array) else {
        return;
    };
    let name = json_str(chat, "name").map(str::to_string);
    let kind = chat_kind(json_str(chat, "type"));
    for (i, item) in messages.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        if !item.is_object() {
            out.reject(line, &item.to_string(), "message is not a JSON object");
            continue;
        }
        match message(out, item, line, opts) {
            Ok(mut m) => {
                m.chat_name.clone_from(&name);
                m.chat_kind = kind;
                out.messages.push(m);
            }
            Err(reason) => out.reject(line, &item.to_string(), reason),
        }
    }
}

fn message(
    out: &ParseOutput,
    item: &Value,
    line: usize,
    opts: &ParseOptions,
) -> Result<Message, &'static str> {
    // `date` is the exporting computer's local time; `date_unixtime` is absolute and preferred.
    let unix = json_int(item.get("date_unixtime"));
    let absolute = unix.and_then(|s| local_from_unix(s, opts.tz_offset_hours));
    let at = absolute
        .or_else(|| json_str(item, "date").and_then(parse_local_datetime))
        .ok_or("neither date_unixtime nor date is a valid time")?;
    let mut m = out.message(line, at, flatten_text(item.get("text")));
    m.at_utc = absolute.and(unix);
    let id_of = |key: &str| match item.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    if json_str(item, "type") == Some("service") {
        m.is_system = true;
        m.sender = json_str(item, "actor").map(str::to_string);
        m.sender_id = id_of("actor_id");
        let action = json_str(item, "action").unwrap_or("");
        m.kind = if matches!(action, "phone_call" | "group_call") {
            MessageKind::Call
        } else {
            MessageKind::System
        };
        if m.text.is_empty() {
            m.text = action.to_string();
        }
    } else {
        m.sender = json_str(item, "from").map(str::to_string);
        m.sender_id = id_of("from_id");
        m.kind = media_kind(item);
    }
    Ok(m)
}

fn media_kind(item: &Value) -> MessageKind {
    if item.get("photo").is_some() {
        return MessageKind::Image;
    }
    match json_str(item, "media_type") {
        Some("sticker") => return MessageKind::Sticker,
        Some("voice_message") => return MessageKind::Voice,
        Some("video_file" | "video_message" | "animation") => return MessageKind::Video,
        Some(_) => return MessageKind::File,
        None => {}
    }
    if item.get("file").is_some() {
        MessageKind::File
    } else if item.get("location_information").is_some() || item.get("place_name").is_some() {
        MessageKind::Location
    } else if item.get("poll").is_some() || item.get("contact_information").is_some() {
        MessageKind::Other
    } else if item.get("reply_to_message_id").is_some() {
        MessageKind::Reply
    } else {
        MessageKind::Text
    }
}

/// Concatenates Telegram's `text`: a string, or an array of strings and
/// `{type, text}` entities.
fn flatten_text(text: Option<&Value>) -> String {
    match text {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| match p {
                Value::String(s) => Some(s.as_str()),
                Value::Object(_) => p.get("text").and_then(Value::as_str),
                _ => None,
            })
            .collect(),
        _ => String::new(),
    }
}

//! Chat-export parsing: turns an already-decoded chat export (QQ, WeChat
//! third-party exporters, WeCom archive, WhatsApp, Telegram, Signal-style and
//! copy-pasted logs) into one normalized [`Message`] list. Everything here is a
//! pure function of the input text; reading files and guessing encodings happen
//! elsewhere. Parsers never panic: whatever they cannot read goes to
//! [`ParseOutput::rejected`] with a reason, and every guess that changes the
//! result (such as the day/month order of a WhatsApp file) is written to
//! [`ParseOutput::notes`].

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize, Serializer};

mod common;
mod detect;
pub mod extract;
mod generic;
mod json_lines;
mod qq;
mod telegram;
mod wechat;
mod wecom;
mod whatsapp;

#[cfg(test)]
mod tests;

pub use detect::detect;

use crate::ingest::human_bytes;

use common::{
    clip, json_int, json_str, local_from_unix, marker_kind, naive, note_time_mismatch,
    parse_local_datetime, push_body, reject_json_error, source_lines, trim_trailing_blank_lines,
};

/// A chat-export layout this module can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatFormat {
    /// QQ's built-in "导出消息记录" text file.
    QqTxt,
    /// WeChatMsg (留痕) text export: a `time name` line, then the body, then a blank line.
    WechatTxt,
    /// WeChatMsg (留痕) CSV export (UTF-8 with BOM, fixed column set).
    WechatCsv,
    /// WechatExporter (iTunes backup) text export: `NAME (TIME):MESSAGE`.
    WechatExporterTxt,
    /// WeFlow / EchoTrace JSON export with `session` and `messages`.
    WeflowJson,
    /// WeCom conversation-archive messages after decryption, one JSON object per line.
    WecomJsonl,
    /// WhatsApp "Export chat" text, Android or iOS layout, any locale.
    WhatsappTxt,
    /// Telegram Desktop JSON export, single chat or full export.
    TelegramJson,
    /// Signal-style bracketed lines `[YYYY-MM-DD, HH:MM] Name: text`.
    SignalTxt,
    /// Lenient fallback for copy-pasted logs (e.g. DingTalk) with a date, time and name per message.
    Generic,
}

impl ChatFormat {
    /// Every format, in the order `detect` prefers them when evidence is equal.
    pub const ALL: [ChatFormat; 10] = [
        ChatFormat::QqTxt,
        ChatFormat::WechatTxt,
        ChatFormat::WechatCsv,
        ChatFormat::WechatExporterTxt,
        ChatFormat::WeflowJson,
        ChatFormat::WecomJsonl,
        ChatFormat::WhatsappTxt,
        ChatFormat::TelegramJson,
        ChatFormat::SignalTxt,
        ChatFormat::Generic,
    ];

    /// The snake_case name, identical to the serde name.
    pub fn name(self) -> &'static str {
        match self {
            ChatFormat::QqTxt => "qq_txt",
            ChatFormat::WechatTxt => "wechat_txt",
            ChatFormat::WechatCsv => "wechat_csv",
            ChatFormat::WechatExporterTxt => "wechat_exporter_txt",
            ChatFormat::WeflowJson => "weflow_json",
            ChatFormat::WecomJsonl => "wecom_jsonl",
            ChatFormat::WhatsappTxt => "whatsapp_txt",
            ChatFormat::TelegramJson => "telegram_json",
            ChatFormat::SignalTxt => "signal_txt",
            ChatFormat::Generic => "generic",
        }
    }

    /// The platform whose messages this format carries.
    pub fn platform(self) -> Platform {
        match self {
            ChatFormat::QqTxt => Platform::Qq,
            ChatFormat::WechatTxt
            | ChatFormat::WechatCsv
            | ChatFormat::WechatExporterTxt
            | ChatFormat::WeflowJson => Platform::Wechat,
            ChatFormat::WecomJsonl => Platform::Wecom,
            ChatFormat::WhatsappTxt => Platform::Whatsapp,
            ChatFormat::TelegramJson => Platform::Telegram,
            ChatFormat::SignalTxt => Platform::Signal,
            ChatFormat::Generic => Platform::Unknown,
        }
    }
}

impl fmt::Display for ChatFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`ChatFormat`] name that is not one of [`ChatFormat::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChatFormat(pub String);

impl fmt::Display for UnknownChatFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = ChatFormat::ALL.iter().map(|c| c.name()).collect();
        write!(
            f,
            "unknown chat format {:?} (expected one of: {})",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownChatFormat {}

impl FromStr for ChatFormat {
    type Err = UnknownChatFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        ChatFormat::ALL
            .into_iter()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| UnknownChatFormat(s.to_string()))
    }
}

/// The messaging product a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Tencent QQ.
    Qq,
    /// Personal WeChat (微信).
    Wechat,
    /// WeCom (企业微信).
    Wecom,
    /// WhatsApp.
    Whatsapp,
    /// Telegram.
    Telegram,
    /// Signal.
    Signal,
    /// Not identifiable from the export (copy-pasted logs, DingTalk, …).
    Unknown,
}

/// Whether a chat is a group or a one-to-one conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatKind {
    /// Group chat (群聊, 讨论组, WhatsApp/Telegram groups and channels).
    Group,
    /// One-to-one chat.
    Private,
    /// The export does not say and the evidence does not decide.
    #[default]
    Unknown,
}

/// What a message carries; media are kept as their marker text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Typed text.
    Text,
    /// Picture or photo.
    Image,
    /// Voice note or audio clip.
    Voice,
    /// Video or animated GIF.
    Video,
    /// Sticker or custom emoji (表情).
    Sticker,
    /// Attached document.
    File,
    /// Shared link, article card or mini-program card.
    Link,
    /// Quoted reply (引用/回复).
    Reply,
    /// A recalled or deleted message.
    Recall,
    /// Voice or video call record.
    Call,
    /// Shared location.
    Location,
    /// Red packet or money transfer.
    RedPacket,
    /// Notice generated by the platform (joins, renames, pokes, banners).
    System,
    /// Anything else (contact cards, polls, media of unknown type).
    Other,
}

/// One normalized chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Product the message came from.
    pub platform: Platform,
    /// Group or contact name, when the export carries it.
    pub chat_name: Option<String>,
    /// Group or private chat.
    pub chat_kind: ChatKind,
    /// Local wall-clock time in the chat's time zone.
    #[serde(serialize_with = "serialize_naive")]
    pub at: NaiveDateTime,
    /// Unix seconds, only when the format carries absolute time.
    pub at_utc: Option<i64>,
    /// Display name of the sender.
    pub sender: Option<String>,
    /// Stable sender id: QQ number, email, wxid, WeCom userid, Telegram id or phone.
    pub sender_id: Option<String>,
    /// The platform produced this line (banner, join, recall notice, poke), not a person.
    pub is_system: bool,
    /// What the message carries.
    pub kind: MessageKind,
    /// Body as it appears in the export, multi-line bodies keep their newlines.
    pub text: String,
    /// 1-based line in the source text where the message starts.
    pub line: usize,
}

/// A source line (or JSON object) that could not be read as a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedLine {
    /// 1-based line number in the source text.
    pub line: usize,
    /// The offending text, clipped to a few hundred characters.
    pub raw: String,
    /// Why it was rejected.
    pub reason: String,
}

/// Everything one parse produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseOutput {
    /// The format the text was parsed as.
    pub format: ChatFormat,
    /// Chat name, when the whole file is one chat and the export names it.
    pub chat_name: Option<String>,
    /// Chat kind for the whole file (`Unknown` when mixed or not evident).
    pub chat_kind: ChatKind,
    /// Messages in source order.
    pub messages: Vec<Message>,
    /// Lines or objects that could not be read.
    pub rejected: Vec<RejectedLine>,
    /// Decisions taken from evidence or defaults, in plain words.
    pub notes: Vec<String>,
}

impl ParseOutput {
    fn new(format: ChatFormat) -> Self {
        ParseOutput {
            format,
            chat_name: None,
            chat_kind: ChatKind::Unknown,
            messages: Vec::new(),
            rejected: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn reject(&mut self, line: usize, raw: &str, reason: impl Into<String>) {
        self.rejected.push(RejectedLine {
            line,
            raw: clip(raw),
            reason: reason.into(),
        });
    }

    /// A plain text message on this file's platform; `finish` fills the chat fields.
    fn message(&self, line: usize, at: NaiveDateTime, text: String) -> Message {
        Message {
            platform: self.format.platform(),
            chat_name: None,
            chat_kind: ChatKind::Unknown,
            at,
            at_utc: None,
            sender: None,
            sender_id: None,
            is_system: false,
            kind: MessageKind::Text,
            text,
            line,
        }
    }

    /// Trims trailing blank body lines, lets `classify` set kinds, then copies
    /// the file-level chat name and kind into messages that have none.
    fn finish(&mut self, classify: impl Fn(&mut Message)) {
        for m in &mut self.messages {
            trim_trailing_blank_lines(&mut m.text);
            classify(m);
            if matches!(m.kind, MessageKind::System | MessageKind::Recall) {
                m.is_system = true;
            }
            if m.chat_name.is_none() {
                m.chat_name.clone_from(&self.chat_name);
            }
            if m.chat_kind == ChatKind::Unknown {
                m.chat_kind = self.chat_kind;
            }
        }
    }

    /// When nothing in the export says group or private, three or more distinct
    /// people talking is taken as a group; two could still be a small group.
    fn infer_group_from_senders(&mut self) {
        if self.chat_kind != ChatKind::Unknown {
            return;
        }
        let mut seen: Vec<&str> = Vec::new();
        for m in self.messages.iter().filter(|m| !m.is_system) {
            if let Some(s) = m.sender_id.as_deref().or(m.sender.as_deref())
                && !seen.contains(&s)
            {
                seen.push(s);
                if seen.len() >= 3 {
                    self.chat_kind = ChatKind::Group;
                    return;
                }
            }
        }
    }
}

/// Knobs for [`parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Force day-first (`true`) or month-first (`false`) for ambiguous
    /// year-last dates, overriding the evidence in the file.
    pub day_first: Option<bool>,
    /// Offset of the chat's time zone from UTC, used to turn absolute times into `at`.
    pub tz_offset_hours: i32,
}

impl Default for ParseOptions {
    /// Evidence decides the date order; times are shown in UTC+8 (Asia/Shanghai).
    fn default() -> Self {
        ParseOptions {
            day_first: None,
            tz_offset_hours: 8,
        }
    }
}

/// The longest line of a line-oriented export, and the longest message of
/// any export, that is read; longer ones are rejected with their line.
///
/// No chat client sends a message anywhere near this long (QQ and WeChat
/// cap a text message at a few thousand characters), so such a line is a
/// damaged or hostile file: an export that lost its line breaks, or a paste
/// of a binary. Reading it as a message would copy it into the message, the
/// messages table and every extraction pass; rejecting it keeps memory to
/// the decoded text itself and keeps the rest of the file.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Parses `text` as `format`; never panics, unreadable parts go to `rejected`.
/// Lines and messages longer than [`MAX_LINE_BYTES`] are rejected too.
pub fn parse(text: &str, format: ChatFormat, opts: &ParseOptions) -> ParseOutput {
    let (text, too_long) = without_long_lines(text, format);
    let mut out = parse_format(&text, format, opts);
    let mut long = Vec::new();
    out.messages.retain(|m| {
        let keep = m.text.len() <= MAX_LINE_BYTES;
        if !keep {
            long.push(RejectedLine {
                line: m.line,
                raw: clip(&m.text),
                reason: format!(
                    "message of {} is longer than the {} limit; not read",
                    human_bytes(m.text.len() as u64),
                    human_bytes(MAX_LINE_BYTES as u64)
                ),
            });
        }
        keep
    });
    if !too_long.is_empty() || !long.is_empty() {
        out.rejected.extend(too_long);
        out.rejected.extend(long);
        out.rejected.sort_by_key(|r| r.line);
    }
    out
}

/// For line-oriented formats, blanks every line longer than
/// [`MAX_LINE_BYTES`] (so line numbers stay right) and rejects it. JSON
/// documents may legitimately be one long line, and a WeChatMsg CSV field
/// may span lines inside quotes; those are only held to the message limit.
fn without_long_lines(
    text: &str,
    format: ChatFormat,
) -> (std::borrow::Cow<'_, str>, Vec<RejectedLine>) {
    use std::borrow::Cow;
    let line_oriented = !matches!(
        format,
        ChatFormat::WeflowJson | ChatFormat::TelegramJson | ChatFormat::WechatCsv
    );
    let content = |line: &str| line.trim_end_matches(['\n', '\r']).len();
    if !line_oriented
        || text.len() <= MAX_LINE_BYTES
        || !text.split('\n').any(|l| l.len() > MAX_LINE_BYTES)
    {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut kept = String::new();
    let mut rejected = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if content(line) > MAX_LINE_BYTES {
            rejected.push(RejectedLine {
                line: i + 1,
                raw: clip(line),
                reason: format!(
                    "line of {} is longer than the {} limit; not read",
                    human_bytes(content(line) as u64),
                    human_bytes(MAX_LINE_BYTES as u64)
                ),
            });
            if line.ends_with('\n') {
                kept.push('\n');
            }
        } else {
            kept.push_str(line);
        }
    }
    (Cow::Owned(kept), rejected)
}

fn parse_format(text: &str, format: ChatFormat, opts: &ParseOptions) -> ParseOutput {
    match format {
        ChatFormat::QqTxt => qq::parse(text),
        ChatFormat::WechatTxt => wechat::parse_txt(text),
        ChatFormat::WechatCsv => wechat::parse_csv(text, opts),
        ChatFormat::WechatExporterTxt => wechat::parse_exporter_txt(text),
        ChatFormat::WeflowJson => wechat::parse_weflow(text, opts),
        ChatFormat::WecomJsonl => wecom::parse(text, opts),
        ChatFormat::WhatsappTxt => whatsapp::parse(text, opts),
        ChatFormat::TelegramJson => telegram::parse(text, opts),
        ChatFormat::SignalTxt => generic::parse(text, ChatFormat::SignalTxt),
        ChatFormat::Generic => generic::parse(text, ChatFormat::Generic),
    }
}

/// Whole seconds for people (JSON); exact for the reuse cache's binary
/// entries, which must give back the very same time.
fn serialize_naive<S: Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        s.collect_str(&at.format("%Y-%m-%dT%H:%M:%S"))
    } else {
        at.serialize(s)
    }
}

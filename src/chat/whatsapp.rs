//! WhatsApp "Export chat" text files in every locale: Android
//! `DD/MM/YY, HH:MM - Name: text` and iOS `[DD/MM/YY, HH:MM:SS] Name: text`,
//! any date order and separator, 12- or 24-hour clocks with localized AM/PM
//! markers, invisible direction marks and narrow no-break spaces.
//!
//! The export writes dates in the phone's locale without saying which one, so
//! `03/04/20` is ambiguous. The order is decided once per file from evidence
//! (a field above 12, then which reading keeps the dates moving forward) and
//! the decision is written to the notes, because a wrong guess silently
//! shifts every date in the file.

use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
use regex::Regex;

use super::{
    ChatFormat, ChatKind, MessageKind, ParseOptions, ParseOutput, push_body, source_lines,
};

/// Date, time and AM/PM pieces shared by both layouts. Separators may be
/// U+00A0, U+2009 or U+202F; the AM/PM marker comes before the time in
/// Chinese, Korean and Japanese locales and after it elsewhere.
const STAMP: &str = concat!(
    // The date in written order; Korean writes `2020. 1. 5.`.
    r"(\d{1,4})([./-]) ?(\d{1,2})([./-]) ?(\d{1,4})\.?,?[ \u{A0}\u{2009}\u{202F}]+",
    r"(?:(上午|下午|오전|오후|午前|午後)[ \u{A0}\u{2009}\u{202F}]*)?",
    r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?",
    r"(?:[ \u{A0}\u{2009}\u{202F}]*((?i:am|pm|a\.[ \u{A0}\u{2009}\u{202F}]?m\.|p\.[ \u{A0}\u{2009}\u{202F}]?m\.)",
    r"|上午|下午|오전|오후|午前|午後))?",
);

static ANDROID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{STAMP}[ \u{{A0}}\u{{2009}}\u{{202F}}]+[-–][ \u{{A0}}\u{{2009}}\u{{202F}}]+(.*)$"
    ))
    .expect("WhatsApp Android regex")
});

static IOS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\[{STAMP}\][ \u{{A0}}\u{{2009}}\u{{202F}}]*(.*)$"
    ))
    .expect("WhatsApp iOS regex")
});

/// Phrases that mark a line as a WhatsApp notice even when it contains a colon.
static SYSTEM_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)end-to-end|changed the subject|changed the group description|changed this group's|created group|were added|joined using|security code|端到端加密|端對端加密|更改了|创建了群组|建立了群組",
    )
    .expect("WhatsApp system regex")
});

/// A message header as written, before the date order is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stamp<'a> {
    /// The three date fields as numbers, in written order.
    pub fields: [u32; 3],
    /// Digit count of each date field (a 4-digit field is the year).
    pub widths: [usize; 3],
    /// The date as written, for notes.
    pub date_text: &'a str,
    /// Clock hour as written (12-hour when `pm` is set).
    pub hour: u32,
    /// Minute.
    pub minute: u32,
    /// Second, 0 when the export omits seconds.
    pub second: u32,
    /// `Some(true)` for a PM marker, `Some(false)` for AM.
    pub pm: Option<bool>,
    /// Everything after the time: `Name: text` or a notice.
    pub rest: &'a str,
}

/// Drops the marks WhatsApp and editors put in front of lines.
fn strip_marks(line: &str) -> &str {
    line.trim_start_matches(['\u{feff}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202c}'])
}

/// Reads the header of a message line, if the line starts a message.
pub(super) fn stamp(line: &str) -> Option<Stamp<'_>> {
    let line = strip_marks(line);
    let c = ANDROID.captures(line).or_else(|| IOS.captures(line))?;
    if c.get(2)?.as_str() != c.get(4)?.as_str() {
        return None;
    }
    let field = |i: usize| -> Option<(u32, usize)> {
        let s = c.get(i)?.as_str();
        Some((s.parse().ok()?, s.len()))
    };
    let (a, b, d) = (field(1)?, field(3)?, field(5)?);
    let date_start = c.get(1)?.start();
    let date_text = line.get(date_start..c.get(5)?.end())?;
    let marker = c
        .get(6)
        .or_else(|| c.get(10))
        .map(|m| m.as_str().to_lowercase());
    let pm = marker.map(|m| m.starts_with('p') || matches!(m.as_str(), "下午" | "오후" | "午後"));
    Some(Stamp {
        fields: [a.0, b.0, d.0],
        widths: [a.1, b.1, d.1],
        date_text,
        hour: field(7)?.0,
        minute: field(8)?.0,
        second: field(9).map_or(0, |f| f.0),
        pm,
        rest: c.get(11)?.as_str(),
    })
}

fn year(value: u32, width: usize) -> Option<i32> {
    match width {
        1 | 2 => i32::try_from(2000 + value).ok(),
        4 => i32::try_from(value).ok(),
        _ => None,
    }
}

/// The calendar date of a stamp under a day-first or month-first reading.
fn date_of(s: &Stamp<'_>, day_first: bool) -> Option<NaiveDate> {
    let [a, b, c] = s.fields;
    let (y, m, d) = if s.widths[0] == 4 {
        // Year-first locales: y-m-d, or y-d-m when "day first" was decided.
        if day_first {
            (year(a, 4)?, c, b)
        } else {
            (year(a, 4)?, b, c)
        }
    } else if day_first {
        (year(c, s.widths[2])?, b, a)
    } else {
        (year(c, s.widths[2])?, a, b)
    };
    NaiveDate::from_ymd_opt(y, m, d)
}

fn datetime_of(s: &Stamp<'_>, day_first: bool) -> Option<NaiveDateTime> {
    let hour = match (s.pm, s.hour) {
        (Some(false), 12) => 0,
        (Some(true), h) if h < 12 => h + 12,
        (_, h) => h,
    };
    date_of(s, day_first)?.and_hms_opt(hour, s.minute, s.second)
}

/// Which of two readings a file uses, with the words that justify it.
struct Decision {
    day_first: bool,
    note: String,
}

/// Decides the order of the two non-year fields from every header in the file.
fn decide(
    stamps: &[(usize, Stamp<'_>)],
    year_first: bool,
    forced: Option<bool>,
) -> Option<Decision> {
    let group: Vec<&(usize, Stamp<'_>)> = stamps
        .iter()
        .filter(|(_, s)| (s.widths[0] == 4) == year_first)
        .collect();
    if group.is_empty() {
        return None;
    }
    let words = |day_first: bool| match (year_first, day_first) {
        (false, true) => "day-first",
        (false, false) => "month-first",
        (true, true) => "year-day-month",
        (true, false) => "year-month-day",
    };
    if let Some(day_first) = forced.filter(|_| !year_first) {
        let note = format!("day/month order: {} (set by option)", words(day_first));
        return Some(Decision { day_first, note });
    }
    // The field that holds the day is the one that can exceed 12.
    let (day_slot, month_slot) = if year_first { (2, 1) } else { (0, 1) };
    let first_over = |slot: usize| {
        group
            .iter()
            .find(|(_, s)| s.fields[slot] > 12 && s.fields[slot] <= 31)
    };
    let count_over = |slot: usize| group.iter().filter(|(_, s)| s.fields[slot] > 12).count();
    // For year-first dates "day first" means y-d-m, i.e. the day sits in slot 1.
    let (plain, swapped) = (first_over(day_slot), first_over(month_slot));
    let plain_reading = !year_first;
    match (plain, swapped) {
        (Some((line, s)), None) => {
            let day_first = plain_reading;
            let note = format!(
                "day/month order: {} (evidence: {} on line {line})",
                words(day_first),
                s.date_text
            );
            Some(Decision { day_first, note })
        }
        (None, Some((line, s))) => {
            let day_first = !plain_reading;
            let note = format!(
                "day/month order: {} (evidence: {} on line {line})",
                words(day_first),
                s.date_text
            );
            Some(Decision { day_first, note })
        }
        (Some((l1, s1)), Some((l2, s2))) => {
            let day_first = if count_over(day_slot) >= count_over(month_slot) {
                plain_reading
            } else {
                !plain_reading
            };
            let note = format!(
                "day/month order: {} (conflicting evidence: {} on line {l1} and {} on line {l2}; dates that do not fit are rejected)",
                words(day_first),
                s1.date_text,
                s2.date_text
            );
            Some(Decision { day_first, note })
        }
        (None, None) => Some(by_chronology(&group, year_first, &words)),
    }
}

/// With every field ≤ 12 both readings are valid dates, but an export is in
/// time order, so a reading that makes dates run backwards is the wrong one.
fn by_chronology(
    group: &[&(usize, Stamp<'_>)],
    year_first: bool,
    words: &dyn Fn(bool) -> &'static str,
) -> Decision {
    let default = !year_first;
    let first_backstep = |day_first: bool| -> (usize, Option<(usize, &str)>) {
        let mut back = 0;
        let mut first = None;
        let mut prev: Option<NaiveDate> = None;
        for (line, s) in group {
            let Some(d) = date_of(s, day_first) else {
                continue;
            };
            if prev.is_some_and(|p| d < p) {
                back += 1;
                first.get_or_insert((*line, s.date_text));
            }
            prev = Some(d);
        }
        (back, first)
    };
    let (back_default, step_default) = first_backstep(default);
    let (back_other, _) = first_backstep(!default);
    if back_other < back_default
        && let Some((line, text)) = step_default
    {
        let note = format!(
            "day/month order: {} (evidence: no field above 12, and read {} the dates would go back in time at {text} on line {line})",
            words(!default),
            words(default)
        );
        return Decision {
            day_first: !default,
            note,
        };
    }
    let why = if year_first {
        "the year-first default"
    } else {
        "the Android default outside the US"
    };
    let note = format!(
        "day/month order: {} (no field above 12 and the message order fits both; {why})",
        words(default)
    );
    Decision {
        day_first: default,
        note,
    }
}

/// Splits `Name: text` from a notice. Names rarely contain a colon, so the first
/// colon ends the name, unless the would-be name reads like a notice.
fn split_sender(rest: &str) -> (Option<&str>, &str) {
    let Some(pos) = rest.find(':') else {
        return (None, rest);
    };
    let name = rest[..pos].trim();
    if name.is_empty() || name.contains(['"', '“', '「']) || SYSTEM_PHRASE.is_match(name) {
        return (None, rest);
    }
    let text = &rest[pos + 1..];
    (Some(name), text.strip_prefix(' ').unwrap_or(text))
}

/// Kind of a WhatsApp body from the markers the export writes for media.
fn body_kind(text: &str) -> MessageKind {
    let t = strip_marks(text.trim()).trim();
    let lower = t.to_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
    if has(&[
        "this message was deleted",
        "you deleted this message",
        "此消息已删除",
        "你删除了此消息",
        "此訊息已刪除",
        "你已刪除此訊息",
    ]) {
        MessageKind::Recall
    } else if has(&["<attached:", "(file attached)"]) {
        attached_kind(&lower)
    } else if has(&["image omitted", "圖片已略去", "图片已省略"]) {
        MessageKind::Image
    } else if has(&["video omitted", "影片已略去", "视频已省略", "gif omitted"]) {
        MessageKind::Video
    } else if has(&["audio omitted", "音訊已略去", "音频已省略"]) {
        MessageKind::Voice
    } else if has(&["sticker omitted", "貼圖已略去", "贴图已省略"]) {
        MessageKind::Sticker
    } else if has(&["document omitted", "文件已略去", "文件已省略"]) {
        MessageKind::File
    } else if has(&[
        "missed voice call",
        "missed video call",
        "未接语音通话",
        "未接视频通话",
    ]) {
        MessageKind::Call
    } else if lower.starts_with("location:")
        || has(&["live location shared", "maps.google.com/?q="])
    {
        MessageKind::Location
    } else if matches!(
        t,
        "<Media omitted>" | "<省略影音内容>" | "<媒體已略去>" | "<媒体已省略>"
    ) || has(&["contact card omitted"])
    {
        // Media whose type the export does not say.
        MessageKind::Other
    } else {
        MessageKind::Text
    }
}

/// Kind of an attachment from the file name the export writes
/// (`<attached: 00000012-PHOTO-2020-01-01.jpg>`, `IMG-20200101-WA0001.jpg (file attached)`).
fn attached_kind(lower: &str) -> MessageKind {
    let has = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
    if has(&["sticker", ".webp"]) {
        MessageKind::Sticker
    } else if has(&["photo", "img-", ".jpg", ".jpeg", ".png"]) {
        MessageKind::Image
    } else if has(&["video", "vid-", ".mp4", ".mov"]) {
        MessageKind::Video
    } else if has(&["audio", "ptt-", "aud-", ".opus", ".m4a"]) {
        MessageKind::Voice
    } else if has(&[".vcf"]) {
        MessageKind::Other
    } else {
        MessageKind::File
    }
}

/// Parses a WhatsApp text export.
pub(super) fn parse(text: &str, opts: &ParseOptions) -> ParseOutput {
    let mut out = ParseOutput::new(ChatFormat::WhatsappTxt);
    let lines = source_lines(text);
    let stamps: Vec<(usize, Stamp<'_>)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((i + 1, stamp(l)?)))
        .collect();
    let year_last = decide(&stamps, false, opts.day_first);
    let year_first = decide(&stamps, true, None);
    for d in [&year_last, &year_first].into_iter().flatten() {
        out.notes.push(d.note.clone());
    }
    let mut next = stamps.iter().peekable();
    let mut skipping = false;
    for (idx, &line) in lines.iter().enumerate() {
        let no = idx + 1;
        let header = next.next_if(|(l, _)| *l == no).map(|(_, s)| s);
        let Some(s) = header else {
            if skipping {
                if !line.trim().is_empty() {
                    out.reject(no, line, "body of a message whose header was rejected");
                }
            } else if !push_body(&mut out.messages, line) && !strip_marks(line).trim().is_empty() {
                out.reject(no, line, "text before the first message header");
            }
            continue;
        };
        let decision = if s.widths[0] == 4 {
            &year_first
        } else {
            &year_last
        };
        let Some(at) = decision.as_ref().and_then(|d| datetime_of(s, d.day_first)) else {
            out.reject(
                no,
                line,
                format!(
                    "date {} or its time does not exist in this file's date order",
                    s.date_text
                ),
            );
            skipping = true;
            continue;
        };
        skipping = false;
        let (sender, body) = split_sender(s.rest);
        let mut m = out.message(no, at, body.to_string());
        m.sender = sender.map(str::to_string);
        m.is_system = sender.is_none();
        out.messages.push(m);
    }
    let group_notice = out
        .messages
        .iter()
        .any(|m| m.is_system && (m.text.to_lowercase().contains("group") || m.text.contains('群')));
    if group_notice {
        out.chat_kind = ChatKind::Group;
    }
    out.infer_group_from_senders();
    out.finish(|m| {
        m.kind = if m.is_system {
            MessageKind::System
        } else {
            body_kind(&m.text)
        };
    });
    out
}

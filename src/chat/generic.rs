//! Signal-style bracketed logs and the lenient fallback for chat text that
//! has no documented export, such as DingTalk messages copied out of the
//! client. Each file is read in one header style, the one most of its lines
//! use, because a style that is only tried line by line (`name date time`)
//! would also match body text like "李四复试定在 2024-03-06 14:00".

use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
use regex::Regex;

use super::{ChatFormat, MessageKind, ParseOutput, marker_kind, naive, push_body, source_lines};

const DATE: &str = r"(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?";
const TIME: &str = r"(\d{1,2}):(\d{2})(?::(\d{2}))?";

/// `[YYYY-MM-DD, HH:MM] Name: text` (Signal and similar).
static BRACKET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^\[{DATE},?\s*{TIME}\]\s*(.*)$")).expect("bracket regex")
});
/// `YYYY-MM-DD HH:MM[:SS] Name: text`, or `… Name` with the body below.
static DATE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^{DATE}\s+{TIME}\s+(\S.*?)\s*$")).expect("date-first regex")
});
/// `Name YYYY-MM-DD HH:MM[:SS]` with the body below (DingTalk, WeChat copy).
static NAME_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(\S.{{0,40}}?)\s+{DATE}\s+{TIME}\s*$")).expect("name-first regex")
});
/// A date alone on a line, optionally with the weekday, heading the messages below it.
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[-=—\s]*{DATE}(?:\s*(?:星期|周|週)[一二三四五六日天])?[-=—\s]*$"
    ))
    .expect("date line regex")
});
/// `HH:MM[:SS] Name: text` under a date line.
static TIME_FIRST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^{TIME}\s+(\S.*?)\s*$")).expect("time-first regex"));

/// How a file writes its message headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Bracket,
    DateFirst,
    NameFirst,
    TimeUnderDate,
}

/// A header line: time, and either an inline `Name: text`, a name whose body
/// follows, or a bare notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Header {
    pub at: NaiveDateTime,
    pub rest: String,
    /// The name is on the header line and the body on the lines below it.
    pub body_below: bool,
}

fn num<T: std::str::FromStr>(c: &regex::Captures<'_>, i: usize) -> Option<T> {
    c.get(i)?.as_str().parse().ok()
}

fn datetime(c: &regex::Captures<'_>, first: usize) -> Option<NaiveDateTime> {
    let sec = c
        .get(first + 5)
        .map_or(Some(0), |m| m.as_str().parse().ok())?;
    naive(
        num(c, first)?,
        num(c, first + 1)?,
        num(c, first + 2)?,
        num(c, first + 3)?,
        num(c, first + 4)?,
        sec,
    )
}

/// The date of a date-only line.
pub(super) fn date_line(line: &str) -> Option<NaiveDate> {
    let c = DATE_LINE.captures(line.trim())?;
    NaiveDate::from_ymd_opt(num(&c, 1)?, num(&c, 2)?, num(&c, 3)?)
}

/// Reads `line` as a header of `style`; `day` is the date of the last date line.
/// `Some(None)` is a header-shaped line with an impossible date or time.
pub(super) fn header(line: &str, style: Style, day: Option<NaiveDate>) -> Option<Option<Header>> {
    let line = line.trim_end();
    let (at, rest, body_below) = match style {
        Style::Bracket => {
            let c = BRACKET.captures(line)?;
            (datetime(&c, 1), c.get(7)?.as_str().to_string(), false)
        }
        Style::DateFirst => {
            let c = DATE_FIRST.captures(line)?;
            let rest = c.get(7)?.as_str();
            (
                datetime(&c, 1),
                rest.to_string(),
                split_sender(rest).0.is_none(),
            )
        }
        Style::NameFirst => {
            let c = NAME_FIRST.captures(line)?;
            let name = c.get(1)?.as_str().trim();
            // Sentence punctuation means body text that mentions a date, not a name.
            if name.contains(['，', '。', '！', '？', '；', '：', ',', '!', '?', ';', ':']) {
                return None;
            }
            (datetime(&c, 2), name.to_string(), true)
        }
        Style::TimeUnderDate => {
            let day = day?;
            let c = TIME_FIRST.captures(line)?;
            let sec = c.get(3).map_or(Some(0), |m| m.as_str().parse().ok());
            let at = sec.and_then(|s| day.and_hms_opt(num(&c, 1)?, num(&c, 2)?, s));
            let rest = c.get(4)?.as_str();
            (at, rest.to_string(), split_sender(rest).0.is_none())
        }
    };
    Some(at.map(|at| Header {
        at,
        rest,
        body_below,
    }))
}

/// Splits `Name: text` / `Name：text`. A colon between digits is a clock time,
/// not the end of a name, and a long "name" is a sentence.
pub(super) fn split_sender(rest: &str) -> (Option<&str>, &str) {
    let colon = rest.char_indices().find(|&(i, ch)| {
        let digit_around = rest[..i].ends_with(|c: char| c.is_ascii_digit())
            && rest[i + ch.len_utf8()..].starts_with(|c: char| c.is_ascii_digit());
        (ch == ':' || ch == '：') && !digit_around
    });
    let Some((pos, ch)) = colon else {
        return (None, rest);
    };
    let name = rest[..pos].trim();
    if name.is_empty() || name.chars().count() > 40 {
        return (None, rest);
    }
    let text = &rest[pos + ch.len_utf8()..];
    (Some(name), text.strip_prefix(' ').unwrap_or(text))
}

/// The style most header-like lines of the file use (ties go to the stricter style).
fn pick_style(lines: &[&str]) -> Option<Style> {
    let mut counts = [0usize; 4];
    let mut day = None;
    for line in lines {
        if let Some(d) = date_line(line) {
            day = Some(d);
            continue;
        }
        for (slot, style) in [
            Style::Bracket,
            Style::DateFirst,
            Style::NameFirst,
            Style::TimeUnderDate,
        ]
        .into_iter()
        .enumerate()
        {
            if header(line, style, day).is_some() {
                counts[slot] += 1;
            }
        }
    }
    let best = counts.iter().copied().max().filter(|&n| n > 0)?;
    let slot = counts.iter().position(|&n| n == best)?;
    [
        Style::Bracket,
        Style::DateFirst,
        Style::NameFirst,
        Style::TimeUnderDate,
    ]
    .get(slot)
    .copied()
}

/// Parses Signal-style bracketed text (`SignalTxt`) or any copy-pasted log (`Generic`).
pub(super) fn parse(text: &str, format: ChatFormat) -> ParseOutput {
    let mut out = ParseOutput::new(format);
    let lines = source_lines(text);
    let style = if format == ChatFormat::SignalTxt {
        Some(Style::Bracket)
    } else {
        pick_style(&lines)
    };
    let Some(style) = style else {
        if let Some((i, l)) = lines.iter().enumerate().find(|(_, l)| !l.trim().is_empty()) {
            out.reject(i + 1, l, "no line in the file looks like a message header");
        }
        return out;
    };
    if format == ChatFormat::Generic {
        out.notes
            .push(format!("generic header style: {}", style_words(style)));
    }
    let mut day: Option<NaiveDate> = None;
    let mut skipping = false;
    for (idx, &line) in lines.iter().enumerate() {
        let no = idx + 1;
        if style == Style::TimeUnderDate
            && let Some(d) = date_line(line)
        {
            day = Some(d);
            continue;
        }
        match header(line, style, day) {
            Some(Some(h)) => {
                skipping = false;
                let next_is_body = lines.get(idx + 1).is_some_and(|l| {
                    !l.trim().is_empty()
                        && header(l, style, day).is_none()
                        && date_line(l).is_none()
                });
                let mut m = out.message(no, h.at, String::new());
                if h.body_below && (next_is_body || style == Style::NameFirst) {
                    m.sender = Some(h.rest);
                } else if h.body_below {
                    m.is_system = true;
                    m.text = h.rest;
                } else {
                    let (sender, body) = split_sender(&h.rest);
                    m.sender = sender.map(str::to_string);
                    m.is_system = sender.is_none();
                    m.text = body.to_string();
                }
                out.messages.push(m);
            }
            Some(None) => {
                out.reject(no, line, "message header has an impossible date or time");
                skipping = true;
            }
            None if skipping => {
                if !line.trim().is_empty() {
                    out.reject(no, line, "body of a message whose header was rejected");
                }
            }
            None => {
                if !push_body(&mut out.messages, line) && !line.trim().is_empty() {
                    out.reject(no, line, "text before the first message header");
                }
            }
        }
    }
    out.infer_group_from_senders();
    out.finish(|m| {
        m.kind = match (m.is_system, marker_kind(&m.text)) {
            (true, MessageKind::Recall) => MessageKind::Recall,
            (true, _) => MessageKind::System,
            (false, k) => k,
        };
    });
    out
}

fn style_words(style: Style) -> &'static str {
    match style {
        Style::Bracket => "[date, time] name: text",
        Style::DateFirst => "date time name: text",
        Style::NameFirst => "name date time, body on the following lines",
        Style::TimeUnderDate => "time name: text under date lines",
    }
}

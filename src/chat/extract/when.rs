//! Dates and clock times in chat text (`下周三下午两点`, `明天上午10点`,
//! `周五 14:00`, `3月5日下午3点`, `tomorrow 10am`), resolved against the time
//! of the message that contains them. Weeks start on Monday, as Chinese
//! calendars do, so `下周三` said on a Sunday is three days later. An hour
//! without 上午/下午 from 1 to 7 is read as afternoon, because nobody invites
//! a candidate at three in the morning; such readings lower the confidence.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;

/// A resolved date/time found in a matching-form text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct When {
    /// The resolved local time (00:00 when only a date was given).
    pub(super) at: NaiveDateTime,
    /// Confidence factor for how the time was read (1.0 = fully explicit).
    pub(super) factor: f32,
    /// A clock time was given (not just a date).
    pub(super) clock: bool,
    /// Byte offset where the expression starts.
    pub(super) start: usize,
    /// Byte offset just past the expression.
    pub(super) end: usize,
}

/// Part of the day that decides whether `3点` is 03:00 or 15:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Period {
    Morning,
    Noon,
    Evening,
    Night,
}

fn period_of(word: &str) -> Option<Period> {
    Some(match word {
        "凌晨" => Period::Night,
        "早上" | "早晨" | "上午" | "早" | "今早" | "明早" | "am" | "a.m." => {
            Period::Morning
        }
        "中午" => Period::Noon,
        "下午" | "傍晚" | "晚上" | "晚" | "今晚" | "明晚" | "pm" | "p.m." => {
            Period::Evening
        }
        _ => return None,
    })
}

const CN_DIGITS: &str = "零〇一二两三四五六七八九十";

static DATE_CN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]?|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
        .expect("date regex")
});
static DATE_SLASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,2})/(\d{1,2})(?:[日号])?").expect("slash date regex"));
static RELATIVE_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"大后天|后天|明天|明日|明早|明晚|今天|今日|今晚|今早|(?-u:\b)today(?-u:\b)|(?-u:\b)tonight(?-u:\b)|(?-u:\b)tomorrow(?-u:\b)")
        .expect("relative day regex")
});
static WEEKDAY_CN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(下下个?|下个?|这个?|本|上个?)?(?:周|星期|礼拜)([一二三四五六日天1-7])")
        .expect("weekday regex")
});
static WEEKDAY_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(?:(next|this)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri)(?-u:\b)",
    )
    .expect("weekday regex")
});
static MONTH_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u:\b)(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?-u:\b)|(?-u:\b)(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*(?-u:\b)",
    )
    .expect("month regex")
});
static CLOCK_COLON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|晚)?\s*(\d{1,2}):(\d{2})(?:\s*(am(?-u:\b)|pm(?-u:\b)|a\.m\.|p\.m\.))?")
        .expect("clock regex")
});
static CLOCK_CN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|晚)?\s*(\d{1,2}|[一二三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九])\s*[点时](半|一刻|三刻|\d{1,2}分?|[零〇一二三四五六七八九十]{1,3}分)?",
    )
    .expect("clock regex")
});
static CLOCK_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(\d{1,2})(?::(\d{2}))?\s*(am(?-u:\b)|pm(?-u:\b)|a\.m\.|p\.m\.)")
        .expect("clock regex")
});

/// Reads `一` … `九十九` (and plain digits).
fn number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        CN_DIGITS.chars().position(|d| d == c).map(|i| match i {
            0 | 1 => 0,
            2 => 1,
            3 | 4 => 2,
            i => i as u32 - 2,
        })
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', u] => Some(10 * digit(*t)? + digit(*u)?),
        [u] => digit(*u),
        _ => None,
    }
}

/// A date expression with the part of day it implies (`明晚`).
#[derive(Clone, Copy, Debug)]
struct DateToken {
    date: NaiveDate,
    factor: f32,
    hint: Option<Period>,
    start: usize,
    end: usize,
}

/// A clock expression before it is put on a date.
#[derive(Clone, Copy, Debug)]
struct ClockToken {
    hour: u32,
    minute: u32,
    period: Option<Period>,
    start: usize,
    end: usize,
}

/// `month/day` with no year: this year, or next year when that date is more
/// than half a year ago (`1月5日` said in December).
fn month_day(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this < today - Duration::days(180) {
        NaiveDate::from_ymd_opt(today.year() + 1, month, day)
    } else {
        Some(this)
    }
}

/// Day of week 1 (Monday) … 7 (Sunday) from `一`…`日`, `天`, `1`…`7` or an English name.
fn weekday_number(word: &str) -> Option<u32> {
    Some(match word {
        "一" | "1" | "monday" | "mon" => 1,
        "二" | "2" | "tuesday" | "tue" | "tues" => 2,
        "三" | "3" | "wednesday" | "wed" => 3,
        "四" | "4" | "thursday" | "thu" | "thur" | "thurs" => 4,
        "五" | "5" | "friday" | "fri" => 5,
        "六" | "6" | "saturday" => 6,
        "日" | "天" | "7" | "sunday" => 7,
        _ => return None,
    })
}

/// The date of weekday `n` for a week qualifier (`下`, `这`, `上`, none).
fn weekday_date(today: NaiveDate, qualifier: &str, n: u32) -> (NaiveDate, f32) {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let offset = i64::from(n) - 1;
    let week = match qualifier.trim_end_matches('个') {
        "下下" => 14,
        "下" | "next" => 7,
        "这" | "本" | "this" => 0,
        "上" => -7,
        _ => {
            // A bare weekday is the next one on or after today.
            let this = monday + Duration::days(offset);
            let date = if this >= today {
                this
            } else {
                this + Duration::days(7)
            };
            return (date, 0.9);
        }
    };
    (monday + Duration::days(week + offset), 1.0)
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    MONTHS.iter().position(|m| *m == word).map(|i| i as u32 + 1)
}

/// `re`'s matches in `form` with their groups. Most text has none: the
/// plain search rules it out without setting up room for the groups.
fn captures<'h>(re: &Regex, form: &'h str) -> impl Iterator<Item = regex::Captures<'h>> {
    re.is_match(form)
        .then(|| re.captures_iter(form))
        .into_iter()
        .flatten()
}

fn date_tokens(form: &str, today: NaiveDate) -> Vec<DateToken> {
    let mut out = Vec::new();
    fn push(
        out: &mut Vec<DateToken>,
        date: Option<NaiveDate>,
        factor: f32,
        hint: Option<Period>,
        m: regex::Match<'_>,
    ) {
        if let Some(date) = date {
            out.push(DateToken {
                date,
                factor,
                hint,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    for c in captures(&DATE_CN, form) {
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let date = if let (Some(y), Some(mo), Some(d)) = (n(4), n(5), n(6)) {
            NaiveDate::from_ymd_opt(y as i32, mo, d)
        } else {
            match (n(1), n(2), n(3)) {
                (Some(y), Some(mo), Some(d)) => NaiveDate::from_ymd_opt(y as i32, mo, d),
                (None, Some(mo), Some(d)) => month_day(today, mo, d),
                _ => None,
            }
        };
        push(&mut out, date, 1.0, None, c.get(0).expect("whole match"));
    }
    for c in captures(&DATE_SLASH, form) {
        let m = c.get(0).expect("whole match");
        let digit_around = form[..m.start()].ends_with(|c: char| c.is_ascii_digit() || c == '/')
            || form[m.end()..].starts_with(|c: char| c.is_ascii_digit() || c == '/');
        let taken = out.iter().any(|t| t.start < m.end() && m.start() < t.end);
        if digit_around || taken {
            continue;
        }
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        if let (Some(mo), Some(d)) = (n(1), n(2)) {
            push(&mut out, month_day(today, mo, d), 1.0, None, m);
        }
    }
    for m in RELATIVE_DAY.find_iter(form) {
        let word = m.as_str();
        let days = match word {
            "大后天" => 3,
            "后天" => 2,
            "明天" | "明日" | "明早" | "明晚" | "tomorrow" => 1,
            _ => 0,
        };
        push(
            &mut out,
            Some(today + Duration::days(days)),
            1.0,
            period_of(word),
            m,
        );
    }
    for c in captures(&WEEKDAY_CN, form) {
        let qualifier = c.get(1).map_or("", |m| m.as_str());
        if let Some(n) = c.get(2).and_then(|m| weekday_number(m.as_str())) {
            let (date, factor) = weekday_date(today, qualifier, n);
            push(
                &mut out,
                Some(date),
                factor,
                None,
                c.get(0).expect("whole match"),
            );
        }
    }
    for c in captures(&WEEKDAY_EN, form) {
        let qualifier = c.get(1).map_or("", |m| m.as_str());
        if let Some(n) = c.get(2).and_then(|m| weekday_number(m.as_str())) {
            let (date, factor) = weekday_date(today, qualifier, n);
            push(
                &mut out,
                Some(date),
                factor,
                None,
                c.get(0).expect("whole match"),
            );
        }
    }
    for c in captures(&MONTH_EN, form) {
        let (month, day) = match (c.get(1), c.get(2)) {
            (Some(mo), Some(d)) => (mo.as_str(), d.as_str()),
            _ => match (c.get(4), c.get(3)) {
                (Some(mo), Some(d)) => (mo.as_str(), d.as_str()),
                _ => continue,
            },
        };
        if let (Some(mo), Ok(d)) = (month_number(month), day.parse::<u32>()) {
            push(
                &mut out,
                month_day(today, mo, d),
                1.0,
                None,
                c.get(0).expect("whole match"),
            );
        }
    }
    out.sort_by_key(|t| t.start);
    out
}

fn clock_tokens(form: &str) -> Vec<ClockToken> {
    let mut out: Vec<ClockToken> = Vec::new();
    let overlaps =
        |out: &[ClockToken], s: usize, e: usize| out.iter().any(|t| t.start < e && s < t.end);
    for c in captures(&CLOCK_COLON, form) {
        let m = c.get(0).expect("whole match");
        let digits = c.get(2).expect("hour");
        if form[..digits.start()].ends_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let period = c.get(1).or(c.get(4)).and_then(|p| period_of(p.as_str()));
        let hour = digits.as_str().parse().unwrap_or(99);
        let minute = c.get(3).map_or(99, |m| m.as_str().parse().unwrap_or(99));
        out.push(ClockToken {
            hour,
            minute,
            period,
            start: m.start(),
            end: m.end(),
        });
    }
    for c in captures(&CLOCK_EN, form) {
        let m = c.get(0).expect("whole match");
        if overlaps(&out, m.start(), m.end()) {
            continue;
        }
        out.push(ClockToken {
            hour: c[1].parse().unwrap_or(99),
            minute: c.get(2).map_or(0, |m| m.as_str().parse().unwrap_or(99)),
            period: period_of(&c[3]),
            start: m.start(),
            end: m.end(),
        });
    }
    for c in captures(&CLOCK_CN, form) {
        let m = c.get(0).expect("whole match");
        let hour_text = c.get(2).expect("hour");
        if overlaps(&out, m.start(), m.end())
            || form[..hour_text.start()].ends_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let period = c.get(1).and_then(|p| period_of(p.as_str()));
        // `一点` alone usually means "a little" (有一点紧张), not one o'clock.
        if hour_text.as_str() == "一" && period.is_none() {
            continue;
        }
        let minute = match c.get(3).map(|m| m.as_str().trim_end_matches('分')) {
            None => Some(0),
            Some("半") => Some(30),
            Some("一刻") => Some(15),
            Some("三刻") => Some(45),
            Some(n) => number(n),
        };
        let (Some(hour), Some(minute)) = (number(hour_text.as_str()), minute) else {
            continue;
        };
        out.push(ClockToken {
            hour,
            minute,
            period,
            start: m.start(),
            end: m.end(),
        });
    }
    out.sort_by_key(|t| t.start);
    out
}

/// The 24-hour clock time and a confidence factor for a clock token.
fn clock_time(clock: &ClockToken, hint: Option<Period>) -> Option<(NaiveTime, f32)> {
    let (mut hour, mut factor) = (clock.hour, 1.0);
    match clock.period.or(hint) {
        Some(Period::Night) if hour == 12 => hour = 0,
        Some(Period::Morning) if hour == 12 && clock.period.is_some() => hour = 0,
        Some(Period::Noon) if hour <= 3 => hour += 12,
        Some(Period::Evening) if hour < 12 => hour += 12,
        None if (1..=7).contains(&hour) => {
            hour += 12;
            factor = 0.9;
        }
        _ => {}
    }
    Some((NaiveTime::from_hms_opt(hour, clock.minute, 0)?, factor))
}

/// Every date/time expression in `form`, resolved against `now`. A clock is
/// put on the date written just before or after it (at most 12 bytes away);
/// a clock with no date is today, a date with no clock is 00:00.
pub(super) fn find(form: &str, now: NaiveDateTime) -> Vec<When> {
    let today = now.date();
    let dates = date_tokens(form, today);
    let mut clocks = clock_tokens(form);
    // In `明晚8点` the clock's part of day is the end of the date word.
    for clock in &mut clocks {
        if let Some(d) = dates
            .iter()
            .find(|d| clock.start >= d.start && clock.start < d.end)
        {
            clock.start = d.end.min(clock.end);
        }
    }
    let mut used = vec![false; dates.len()];
    let mut out = Vec::new();
    for clock in &clocks {
        let gap_ok = |a: usize, b: usize| {
            b >= a && b - a <= 12 && !form[a..b].chars().any(|c| c.is_ascii_digit())
        };
        let paired = dates
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .find(|(_, d)| gap_ok(d.end, clock.start) || gap_ok(clock.end, d.start));
        let (date, date_factor, hint, start, end) = match paired {
            Some((i, d)) => {
                used[i] = true;
                (
                    d.date,
                    d.factor,
                    d.hint,
                    d.start.min(clock.start),
                    d.end.max(clock.end),
                )
            }
            None => (today, 0.8, None, clock.start, clock.end),
        };
        if let Some((time, clock_factor)) = clock_time(clock, hint) {
            out.push(When {
                at: date.and_time(time),
                factor: date_factor * clock_factor,
                clock: true,
                start,
                end,
            });
        }
    }
    for (i, d) in dates.iter().enumerate() {
        if !used[i] {
            out.push(When {
                at: d.date.and_time(NaiveTime::MIN),
                factor: d.factor * 0.7,
                clock: false,
                start: d.start,
                end: d.end,
            });
        }
    }
    out.sort_by_key(|w| w.start);
    out
}

#[cfg(test)]
mod captures_tests {
    use super::*;

    fn spans<'h>(c: impl Iterator<Item = regex::Captures<'h>>) -> Vec<Vec<Option<(usize, usize)>>> {
        c.map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect())
            .collect()
    }

    proptest::proptest! {
        /// Ruling text out by the plain search first finds exactly the
        /// matches and groups the full search finds.
        #[test]
        fn captures_agree_with_the_full_search(
            text in "[0-9０-９年月日号点时分半:/.\\- 上下午晚明天周星期一二三四五六七八九十amp]{0,24}"
        ) {
            for re in [
                &DATE_CN, &DATE_SLASH, &WEEKDAY_CN, &WEEKDAY_EN, &MONTH_EN,
                &CLOCK_COLON, &CLOCK_EN, &CLOCK_CN,
            ] {
                proptest::prop_assert_eq!(
                    spans(captures(re, &text)),
                    spans(re.captures_iter(&text))
                );
            }
        }
    }
}

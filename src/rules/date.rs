//! Dates as they appear in recruiting sheets: ISO and slash/dot forms
//! (`2023-05-01`, `2023/5/1`, `2023.5.1`), Chinese forms (`2023年5月1日`,
//! `2023年5月1号`), month-only (`2023.05`, `2023年5月`), compact `20230501`,
//! two-digit years (`23/5/1`), US/European order (`5/1/2023`), date-times
//! (`2023-05-01 14:30`) and Excel serial numbers, whether they arrive as cell
//! values ([`from_excel_serial`]) or as text (`44197`). `至今` ("until now")
//! is rejected with its own reason so the caller can record an open end.

use std::sync::LazyLock;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::Reject;
use super::text::nfkc_clean;

/// Choices that the text alone cannot settle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateOptions {
    /// Read `1/5/2023` as 1 May instead of 5 January. A first field above 12
    /// is read day-first either way.
    pub day_first: bool,
    /// Accept a bare year (`2023`, `2023年`) with [`DatePrecision::Year`].
    pub allow_year_only: bool,
    /// Serial numbers given as text use Excel's 1904 date system.
    pub is_1904: bool,
}

/// How much of the date the source gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// A full date.
    Day,
    /// Year and month; the day is set to 1.
    Month,
    /// Year only; month and day are set to 1.
    Year,
}

/// A parsed date and how precise the source was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedDate {
    /// The date, with missing parts set to 1.
    pub date: NaiveDate,
    /// Which parts were present.
    pub precision: DatePrecision,
}

const NOT_A_DATE: &str =
    "not a date: expected forms like 2023-05-01, 2023年5月1日 or an Excel serial";

/// Last serial Excel can display (9999-12-31 in the 1900 system).
const MAX_SERIAL_1900: i64 = 2_958_465;
/// Last serial in the 1904 system (9999-12-31).
const MAX_SERIAL_1904: i64 = 2_957_003;

/// Spaces around date separators (`2023 年 5 月`, `2023 - 05 - 01`).
static SPACED_SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*([年月/.\-:])\s*|\s+([日号])").expect("valid regex"));
/// A trailing time of day: `14:30`, `14:30:00`, `14:30:00.000`.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*?)[\sT]*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$").expect("valid regex")
});
static CHINESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4}|\d{2})年(?:(\d{1,2})月(?:(\d{1,2})[日号]?)?)?$").expect("valid regex")
});
static YMD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$").expect("valid regex"));
static YM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})[-/.](\d{1,2})$").expect("valid regex"));
static MDY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$").expect("valid regex"));
static SHORT3: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{1,2})$").expect("valid regex"));
static COMPACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})(\d{2})(\d{2})$").expect("valid regex"));
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+)(?:\.(\d+))?$").expect("valid regex"));
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,2}月\d{1,2}[日号]?|\d{1,2}[-/]\d{1,2})$").expect("valid regex")
});

/// Words meaning "until now" in work-history end dates.
const PRESENT: &[&str] = &[
    "至今",
    "今",
    "现在",
    "目前",
    "至现在",
    "present",
    "now",
    "current",
    "till now",
    "today",
];

/// Converts an Excel serial date (days since the epoch, fraction = time of
/// day) to a date-time. In the 1900 system serial 1 is 1900-01-01 and serial
/// 60 is Excel's non-existent 1900-02-29, for which `None` is returned; serials
/// after it are shifted back by one day. In the 1904 system serial 0 is
/// 1904-01-01. Serials outside what Excel can display give `None`.
pub fn from_excel_serial(serial: f64, is_1904: bool) -> Option<NaiveDateTime> {
    if !serial.is_finite() || serial < 0.0 {
        return None;
    }
    let mut days = serial.floor() as i64;
    // Round to the second: stored fractions like 0.999999999 mean midnight.
    let mut seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if seconds >= 86_400 {
        days += 1;
        seconds -= 86_400;
    }
    let date = if is_1904 {
        if days > MAX_SERIAL_1904 {
            return None;
        }
        NaiveDate::from_ymd_opt(1904, 1, 1)? + Duration::days(days)
    } else {
        if !(1..=MAX_SERIAL_1900).contains(&days) || days == 60 {
            return None;
        }
        let epoch = if days < 60 {
            NaiveDate::from_ymd_opt(1899, 12, 31)?
        } else {
            NaiveDate::from_ymd_opt(1899, 12, 30)?
        };
        epoch + Duration::days(days)
    };
    let time = NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(seconds).ok()?, 0)?;
    Some(date.and_time(time))
}

/// Two-digit year pivot: 00–69 → 2000–2069, 70–99 → 1970–1999.
fn expand_year(year: u32, digits: usize) -> u32 {
    match (digits, year) {
        (2, 0..=69) => 2000 + year,
        (2, _) => 1900 + year,
        _ => year,
    }
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(u32::MAX)
}

/// Builds a checked date; the reject names the offending part.
fn ymd(year: u32, month: u32, day: u32) -> Result<NaiveDate, Reject> {
    if !(1900..=2100).contains(&year) {
        return Err(Reject::new(format!("year {year} outside 1900–2100")));
    }
    if !(1..=12).contains(&month) {
        return Err(Reject::new(format!(
            "invalid date: month {month} is not 1–12"
        )));
    }
    i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        .ok_or_else(|| {
            Reject::new(format!(
                "invalid date: {year}-{month:02}-{day:02} does not exist"
            ))
        })
}

/// The date part of a cell: date, precision, and a time from an Excel serial.
fn parse_date_part(
    s: &str,
    opts: &DateOptions,
) -> Result<(NaiveDate, DatePrecision, Option<NaiveTime>), Reject> {
    use DatePrecision::*;
    let lower = s.to_lowercase();
    if PRESENT.contains(&lower.as_str()) {
        return Err(Reject::new(format!(
            "'{s}' means up to the present, not a date: record an open end instead"
        )));
    }
    if let Some(c) = CHINESE.captures(s) {
        let year = expand_year(num(&c[1]), c[1].len());
        return match (c.get(2), c.get(3)) {
            (Some(m), Some(d)) => Ok((ymd(year, num(m.as_str()), num(d.as_str()))?, Day, None)),
            (Some(m), None) => Ok((ymd(year, num(m.as_str()), 1)?, Month, None)),
            _ => year_only(year, opts),
        };
    }
    if let Some(c) = YMD.captures(s) {
        return Ok((ymd(num(&c[1]), num(&c[2]), num(&c[3]))?, Day, None));
    }
    if let Some(c) = YM.captures(s) {
        return Ok((ymd(num(&c[1]), num(&c[2]), 1)?, Month, None));
    }
    if let Some(c) = MDY.captures(s) {
        let (a, b, year) = (num(&c[1]), num(&c[2]), num(&c[3]));
        let (month, day) = order_month_day(a, b, opts.day_first);
        return Ok((ymd(year, month, day)?, Day, None));
    }
    if let Some(c) = SHORT3.captures(s) {
        let (a, b, last) = (num(&c[1]), num(&c[2]), num(&c[3]));
        // Chinese sheets write 23/5/1 year-first; only a last field that
        // cannot be a day (> 31) is read as a trailing year.
        if last > 31 {
            let (month, day) = order_month_day(a, b, opts.day_first);
            return Ok((ymd(expand_year(last, 2), month, day)?, Day, None));
        }
        return Ok((ymd(expand_year(a, c[1].len()), b, last)?, Day, None));
    }
    if let Some(c) = COMPACT.captures(s) {
        return Ok((ymd(num(&c[1]), num(&c[2]), num(&c[3]))?, Day, None));
    }
    if let Some(c) = NUMBER.captures(s) {
        let whole = &c[1];
        if whole.len() == 4 && c.get(2).is_none() && (1900..=2100).contains(&num(whole)) {
            return year_only(num(whole), opts);
        }
        if whole.len() >= 4 {
            let serial: f64 = s.parse().map_err(|_| Reject::new(NOT_A_DATE))?;
            if serial.floor() > MAX_SERIAL_1900 as f64 {
                return Err(Reject::new(format!(
                    "number {s} is too large for an Excel date serial (max {MAX_SERIAL_1900})"
                )));
            }
            let dt = from_excel_serial(serial, opts.is_1904)
                .ok_or_else(|| Reject::new(format!("{s} is not a valid Excel date serial")))?;
            if !(1900..=2100).contains(&dt.date().year()) {
                return Err(Reject::new(format!(
                    "Excel serial {s} is a date outside 1900–2100"
                )));
            }
            let time = (dt.time() != NaiveTime::MIN).then_some(dt.time());
            return Ok((dt.date(), Day, time));
        }
    }
    if MONTH_DAY.is_match(s) {
        return Err(Reject::new(format!(
            "date without a year: '{s}'; the year must come from the file or sheet"
        )));
    }
    Err(Reject::new(NOT_A_DATE))
}

fn year_only(
    year: u32,
    opts: &DateOptions,
) -> Result<(NaiveDate, DatePrecision, Option<NaiveTime>), Reject> {
    if !opts.allow_year_only {
        return Err(Reject::new(format!(
            "a bare year ({year}) is not a date: expected a day or month as well"
        )));
    }
    Ok((ymd(year, 1, 1)?, DatePrecision::Year, None))
}

/// Month and day from two fields in US (month-first) or European order; a
/// field above 12 can only be the day, which settles the order.
fn order_month_day(a: u32, b: u32, day_first: bool) -> (u32, u32) {
    if a > 12 || (day_first && b <= 12) {
        (b, a)
    } else {
        (a, b)
    }
}

/// Cleans the text and splits off a trailing time of day.
fn split_time(raw: &str) -> Result<(String, Option<NaiveTime>), Reject> {
    let cleaned = nfkc_clean(raw);
    let s = SPACED_SEPARATORS.replace_all(&cleaned, |c: &regex::Captures<'_>| {
        let sep = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
        sep.to_string()
    });
    if let Some(c) = TIME.captures(&s) {
        let date = c[1].trim();
        if !date.is_empty() {
            let (h, m) = (num(&c[2]), num(&c[3]));
            let sec = c.get(4).map_or(0, |x| num(x.as_str()));
            let time = NaiveTime::from_hms_opt(h, m, sec).ok_or_else(|| {
                Reject::new(format!("invalid time of day {h:02}:{m:02}:{sec:02}"))
            })?;
            return Ok((date.to_string(), Some(time)));
        }
    }
    Ok((s.trim().to_string(), None))
}

/// Parses a date cell; a time of day, if present, is checked and dropped.
pub fn parse_date(raw: &str, opts: &DateOptions) -> Result<ParsedDate, Reject> {
    let (date_text, _) = split_time(raw)?;
    if date_text.is_empty() {
        return Err(Reject::new("empty date"));
    }
    let (date, precision, _) = parse_date_part(&date_text, opts)?;
    Ok(ParsedDate { date, precision })
}

/// Parses a date-time cell, keeping the time of day (midnight when absent).
/// Month- or year-only values are rejected because they have no day.
pub fn parse_datetime(raw: &str, opts: &DateOptions) -> Result<NaiveDateTime, Reject> {
    let (date_text, time) = split_time(raw)?;
    if date_text.is_empty() {
        return Err(Reject::new("empty date"));
    }
    let (date, precision, serial_time) = parse_date_part(&date_text, opts)?;
    if precision != DatePrecision::Day {
        return Err(Reject::new(
            "not a full date: a date-time needs year, month and day",
        ));
    }
    Ok(date.and_time(time.or(serial_time).unwrap_or(NaiveTime::MIN)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DatePrecision::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const DEFAULT: DateOptions = DateOptions {
        day_first: false,
        allow_year_only: false,
        is_1904: false,
    };

    /// (raw, (year, month, day, precision))
    type Case = (&'static str, (i32, u32, u32, DatePrecision));
    const OK: &[Case] = &[
        ("2023-05-01", (2023, 5, 1, Day)),
        ("2023/5/1", (2023, 5, 1, Day)),
        ("2023.5.1", (2023, 5, 1, Day)),
        ("2023-5-1", (2023, 5, 1, Day)),
        ("2023年5月1日", (2023, 5, 1, Day)),
        ("2023年05月01日", (2023, 5, 1, Day)),
        ("2023年5月1号", (2023, 5, 1, Day)),
        ("2023 年 5 月 1 日", (2023, 5, 1, Day)),
        ("２０２３年５月１日", (2023, 5, 1, Day)),
        ("2023.05", (2023, 5, 1, Month)),
        ("2023-05", (2023, 5, 1, Month)),
        ("2023/5", (2023, 5, 1, Month)),
        ("2023年5月", (2023, 5, 1, Month)),
        ("23/5/1", (2023, 5, 1, Day)),
        ("23.5.1", (2023, 5, 1, Day)),
        ("69.1.1", (2069, 1, 1, Day)),
        ("70.1.1", (1970, 1, 1, Day)),
        ("99/12/31", (1999, 12, 31, Day)),
        ("23年5月1日", (2023, 5, 1, Day)),
        ("20230501", (2023, 5, 1, Day)),
        ("2023-05-01 14:30", (2023, 5, 1, Day)),
        ("2023/5/1 14:30:00", (2023, 5, 1, Day)),
        ("2023-05-01T14:30:00", (2023, 5, 1, Day)),
        ("2023年5月1日 14:30", (2023, 5, 1, Day)),
        ("5/1/2023", (2023, 5, 1, Day)),
        ("13/5/2023", (2023, 5, 13, Day)),
        ("5/13/2023", (2023, 5, 13, Day)),
        ("5/1/98", (1998, 5, 1, Day)),
        ("44197", (2021, 1, 1, Day)),
        ("44197.0", (2021, 1, 1, Day)),
        ("44197.75", (2021, 1, 1, Day)),
        ("45047", (2023, 5, 1, Day)),
        ("1000", (1902, 9, 26, Day)),
        ("  2023-05-01  ", (2023, 5, 1, Day)),
    ];

    #[test]
    fn parse_date_ok_table() {
        for (raw, (y, m, day, precision)) in OK {
            let got = parse_date(raw, &DEFAULT).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert_eq!(
                got,
                ParsedDate {
                    date: d(*y, *m, *day),
                    precision: *precision
                },
                "{raw:?}"
            );
        }
    }

    const REJECTED: &[(&str, &str)] = &[
        ("2023-02-30", "invalid date: 2023-02-30 does not exist"),
        ("2023-13-01", "invalid date: month 13 is not 1–12"),
        ("2023年2月29日", "invalid date: 2023-02-29 does not exist"),
        ("1899-12-31", "year 1899 outside 1900–2100"),
        ("2101-01-01", "year 2101 outside 1900–2100"),
        ("20231301", "invalid date: month 13 is not 1–12"),
        (
            "2023",
            "a bare year (2023) is not a date: expected a day or month as well",
        ),
        (
            "2023年",
            "a bare year (2023) is not a date: expected a day or month as well",
        ),
        (
            "至今",
            "'至今' means up to the present, not a date: record an open end instead",
        ),
        (
            "今",
            "'今' means up to the present, not a date: record an open end instead",
        ),
        (
            "Present",
            "'Present' means up to the present, not a date: record an open end instead",
        ),
        (
            "5月1日",
            "date without a year: '5月1日'; the year must come from the file or sheet",
        ),
        ("下周一", NOT_A_DATE),
        ("abc", NOT_A_DATE),
        ("123", NOT_A_DATE),
        ("", "empty date"),
        ("2023-05-01 25:00", "invalid time of day 25:00:00"),
        ("100000", "Excel serial 100000 is a date outside 1900–2100"),
        (
            "2958466",
            "number 2958466 is too large for an Excel date serial (max 2958465)",
        ),
        (
            "1234567890",
            "number 1234567890 is too large for an Excel date serial (max 2958465)",
        ),
        ("2023-05-01-02", NOT_A_DATE),
    ];

    #[test]
    fn parse_date_reject_table() {
        for (raw, reason) in REJECTED {
            assert_eq!(
                parse_date(raw, &DEFAULT),
                Err(Reject::new(*reason)),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn options_change_the_reading() {
        let day_first = DateOptions {
            day_first: true,
            ..DEFAULT
        };
        assert_eq!(
            parse_date("5/1/2023", &day_first).unwrap().date,
            d(2023, 1, 5)
        );
        // A second field above 12 cannot be a month, so month-first wins.
        assert_eq!(
            parse_date("5/13/2023", &day_first).unwrap().date,
            d(2023, 5, 13)
        );

        let years = DateOptions {
            allow_year_only: true,
            ..DEFAULT
        };
        assert_eq!(
            parse_date("2023", &years),
            Ok(ParsedDate {
                date: d(2023, 1, 1),
                precision: Year
            })
        );
        assert_eq!(parse_date("2023年", &years).unwrap().precision, Year);

        let mac = DateOptions {
            is_1904: true,
            ..DEFAULT
        };
        assert_eq!(parse_date("42735", &mac).unwrap().date, d(2021, 1, 1));
    }

    /// (serial, is_1904, expected "YYYY-MM-DD HH:MM:SS")
    const SERIALS: &[(f64, bool, Option<&str>)] = &[
        (1.0, false, Some("1900-01-01 00:00:00")),
        (59.0, false, Some("1900-02-28 00:00:00")),
        (60.0, false, None),
        (61.0, false, Some("1900-03-01 00:00:00")),
        (44197.0, false, Some("2021-01-01 00:00:00")),
        (44197.5, false, Some("2021-01-01 12:00:00")),
        (45047.604166666664, false, Some("2023-05-01 14:30:00")),
        (44197.99999999, false, Some("2021-01-02 00:00:00")),
        (2958465.0, false, Some("9999-12-31 00:00:00")),
        (2958466.0, false, None),
        (0.0, false, None),
        (0.5, false, None),
        (-1.0, false, None),
        (f64::NAN, false, None),
        (0.0, true, Some("1904-01-01 00:00:00")),
        (42735.0, true, Some("2021-01-01 00:00:00")),
        (2957003.0, true, Some("9999-12-31 00:00:00")),
        (2957004.0, true, None),
    ];

    #[test]
    fn from_excel_serial_table() {
        for (serial, is_1904, expected) in SERIALS {
            let got = from_excel_serial(*serial, *is_1904)
                .map(|dt| dt.format("%Y-%m-%d %H:%M:%S").to_string());
            assert_eq!(got.as_deref(), *expected, "{serial} {is_1904}");
        }
    }

    const DATETIMES: &[(&str, Result<&str, &str>)] = &[
        ("2023-05-01 14:30", Ok("2023-05-01 14:30:00")),
        ("2023/5/1 14:30:05", Ok("2023-05-01 14:30:05")),
        ("2023-05-01", Ok("2023-05-01 00:00:00")),
        ("45047.604166666664", Ok("2023-05-01 14:30:00")),
        ("2023年5月1日 9:05", Ok("2023-05-01 09:05:00")),
        (
            "2023.05",
            Err("not a full date: a date-time needs year, month and day"),
        ),
        ("14:30", Err(NOT_A_DATE)),
    ];

    #[test]
    fn parse_datetime_table() {
        for (raw, expected) in DATETIMES {
            let got =
                parse_datetime(raw, &DEFAULT).map(|dt| dt.format("%Y-%m-%d %H:%M:%S").to_string());
            let expected = expected.map(str::to_string).map_err(Reject::new);
            assert_eq!(got, expected, "{raw:?}");
        }
    }
}

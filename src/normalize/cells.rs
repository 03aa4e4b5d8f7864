//! Typed readings of single cells that need more than one rule: dates that
//! may be Excel date cells, serial numbers or text; numbers with units;
//! lists of skills. The text rules themselves live in [`crate::rules`].

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::ingest::Cell;
use crate::rules::{self, Reject};

/// Reads a date from any cell a sheet might hold it in.
pub fn date(cell: &Cell, day_first: bool) -> Result<NaiveDate, Reject> {
    datetime(cell, day_first).map(|d| d.date())
}

/// Reads a date and time (midnight when only a date is given).
pub fn datetime(cell: &Cell, day_first: bool) -> Result<NaiveDateTime, Reject> {
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Number(n) if (1.0..=2_958_465.0).contains(n) => {
            rules::date::from_excel_serial(*n, false)
                .ok_or_else(|| Reject::new("not a date: an Excel serial number out of range"))
        }
        Cell::Number(_) => Err(Reject::new(
            "not a date: a number that is not an Excel date serial",
        )),
        Cell::Text(t) => {
            let opts = rules::date::DateOptions {
                day_first,
                ..Default::default()
            };
            rules::date::parse_datetime(t, &opts).or_else(|_| {
                rules::date::parse_date(t, &opts).map(|p| p.date.and_time(NaiveTime::MIN))
            })
        }
        Cell::Duration(_) => Err(Reject::new("not a date: a duration")),
        Cell::Bool(_) | Cell::Empty | Cell::Error(_) => Err(Reject::new("not a date")),
    }
}

/// Reads an interview score: a number, or text like `8`, `8分`, `8/10`,
/// `85%`. Scores must lie in 0..=100.
pub fn score(cell: &Cell) -> Result<f64, Reject> {
    let value = match cell {
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            let t = rules::text::nfkc_clean(t);
            let t = t.trim_end_matches(['分', '%']).trim();
            let t = t.split('/').next().unwrap_or(t).trim();
            t.parse::<f64>()
                .map_err(|_| Reject::new("not a score: expected a number such as 8, 8分 or 8/10"))?
        }
        _ => {
            return Err(Reject::new(
                "not a score: expected a number such as 8, 8分 or 8/10",
            ));
        }
    };
    if value.is_finite() && (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(Reject::new("score out of range: expected 0 to 100"))
    }
}

/// Reads a whole count (`3`, `3人`, `3.0`).
pub fn count(cell: &Cell) -> Result<i32, Reject> {
    let n = match cell {
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            let t = rules::text::nfkc_clean(t);
            t.trim_end_matches(['人', '名', '个'])
                .trim()
                .parse::<f64>()
                .map_err(|_| Reject::new("not a count: expected a whole number"))?
        }
        _ => return Err(Reject::new("not a count: expected a whole number")),
    };
    if n.fract() == 0.0 && (0.0..=10_000.0).contains(&n) {
        Ok(n as i32)
    } else {
        Err(Reject::new(
            "not a count: expected a whole number from 0 to 10000",
        ))
    }
}

/// Splits a skills cell on the separators people type: `,，、;；/|` and
/// newlines; trims and drops empties, keeps first-seen order, drops
/// duplicates compared case-insensitively.
pub fn list(text: &str) -> Vec<String> {
    let cleaned = rules::text::nfkc_clean(text);
    let mut out: Vec<String> = Vec::new();
    for part in cleaned.split([',', '，', '、', ';', '；', '/', '|', '\n']) {
        let p = part.trim();
        if !p.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(p)) {
            out.push(p.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_every_cell_kind() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(
            date(&Cell::Date(d(2023, 5, 1).and_time(NaiveTime::MIN)), false),
            Ok(d(2023, 5, 1))
        );
        assert_eq!(date(&Cell::Number(44197.0), false), Ok(d(2021, 1, 1)));
        assert_eq!(
            date(&Cell::Text("2023年5月1日".into()), false),
            Ok(d(2023, 5, 1))
        );
        assert!(date(&Cell::Text("下周".into()), false).is_err());
        assert!(date(&Cell::Number(-3.0), false).is_err());
    }

    #[test]
    fn scores_accept_common_notations() {
        const CASES: &[(&str, Option<f64>)] = &[
            ("8", Some(8.0)),
            ("8分", Some(8.0)),
            ("8/10", Some(8.0)),
            ("7.5", Some(7.5)),
            ("优", None),
            ("120", None),
        ];
        for (raw, want) in CASES {
            assert_eq!(score(&Cell::Text((*raw).into())).ok(), *want, "{raw}");
        }
        assert_eq!(score(&Cell::Number(9.0)), Ok(9.0));
    }

    #[test]
    fn lists_split_on_chinese_and_latin_separators() {
        assert_eq!(list("Go、SQL，Python; go"), ["Go", "SQL", "Python"]);
        assert_eq!(list(" 销售 / 大客户 "), ["销售", "大客户"]);
        assert!(list(" , ").is_empty());
    }

    #[test]
    fn counts_are_whole_numbers() {
        assert_eq!(count(&Cell::Text("3人".into())), Ok(3));
        assert_eq!(count(&Cell::Number(2.0)), Ok(2));
        assert!(count(&Cell::Number(2.5)).is_err());
    }
}

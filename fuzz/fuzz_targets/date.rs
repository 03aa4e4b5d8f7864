//! The date rules: a cell read as a date and as a date-time, month-first
//! and day-first, with and without year-only values and in both Excel date
//! systems. Besides "never panics": a full date read back from its ISO form
//! is the same date, and a date-time agrees with the date.

#![no_main]

use hrflow::rules::date::{DateOptions, DatePrecision, parse_date, parse_datetime};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    for bits in 0..8u8 {
        let opts = DateOptions {
            day_first: bits & 1 != 0,
            allow_year_only: bits & 2 != 0,
            is_1904: bits & 4 != 0,
        };
        let date = parse_date(text, &opts);
        if let Ok(d) = &date
            && d.precision == DatePrecision::Day
        {
            let again = parse_date(&d.date.format("%Y-%m-%d").to_string(), &opts);
            assert_eq!(again.as_ref().map(|a| a.date), Ok(d.date), "{text:?}");
        }
        if let Ok(at) = parse_datetime(text, &opts) {
            let d = date.as_ref().expect("a date-time is also a date");
            assert_eq!(at.date(), d.date, "{text:?}");
        }
    }
});

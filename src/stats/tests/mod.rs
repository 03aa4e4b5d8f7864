//! Tests of the statistics against hand-computed values on small fixtures.

mod describe;
mod funnel;
mod groups;
mod survey;

use chrono::{NaiveDate, NaiveDateTime};

/// Asserts `a` is within `tol` of `b`.
#[track_caller]
fn close(a: f64, b: f64, tol: f64) {
    assert!((a - b).abs() <= tol, "{a} is not within {tol} of {b}");
}

/// Asserts an optional figure is present and within `tol` of `b`.
#[track_caller]
fn some_close(a: Option<f64>, b: f64, tol: f64) {
    close(a.expect("a figure"), b, tol);
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, 0).expect("valid time")
}

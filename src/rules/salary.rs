//! Salary cells (期望薪资, 薪资范围 …) read into a monthly CNY range.
//!
//! Units: `k`/`K`/`千` ×1 000, `w`/`W`/`万` ×10 000, `元` ×1. A number with no
//! unit and below 1 000 is read as thousands, so `15` is 15 000, and so are
//! `500` and `800` (500 000 and 800 000 a month; the range check rejects only
//! values beyond 1 000 000). A unitless number of 1 000 or more is yuan. For
//! daily and hourly pay a unitless number is always yuan (`日薪300`). Annual
//! amounts are divided by 12, daily ones multiplied by 21.75 and hourly ones by
//! 174 (the statutory average working days and hours per month). Ranges take
//! `- ~ ～ — – 至 到`; a unit written only on one side applies to the other
//! side when that side is below 1 000 (`15-20k`, `1.5万-2`), and `8000-1.2万`
//! keeps 8 000 as yuan. A months suffix (`·13薪`, `*13个月`) is kept as
//! `months` and never multiplied in. `面议`-style words mark the value
//! negotiable. Only CNY is accepted.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::Reject;
use super::text::nfkc_clean;

/// The pay period the source used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// Per month (the default).
    Month,
    /// Per year.
    Year,
    /// Per working day.
    Day,
    /// Per hour.
    Hour,
}

impl Period {
    /// Factor that turns an amount for this period into a monthly amount.
    pub fn to_monthly_factor(self) -> f64 {
        match self {
            Period::Month => 1.0,
            Period::Year => 1.0 / 12.0,
            Period::Day => WORKING_DAYS_PER_MONTH,
            Period::Hour => WORKING_HOURS_PER_MONTH,
        }
    }
}

/// Average working days per month used for daily pay (China's statutory 21.75).
pub const WORKING_DAYS_PER_MONTH: f64 = 21.75;
/// Average working hours per month used for hourly pay (21.75 × 8).
pub const WORKING_HOURS_PER_MONTH: f64 = 174.0;

/// Smallest monthly amount accepted.
const MIN_MONTHLY: f64 = 500.0;
/// Largest monthly amount accepted.
const MAX_MONTHLY: f64 = 1_000_000.0;

/// A salary range as monthly CNY.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Salary {
    /// Lower bound, monthly CNY; `None` for "up to" values (`2万以内`).
    pub min: Option<f64>,
    /// Upper bound, monthly CNY; `None` for "at least" values (`15k以上`).
    pub max: Option<f64>,
    /// Salaries per year (`13薪` → 13) when stated.
    pub months: Option<u8>,
    /// The cell says the amount is open to negotiation (面议, 可谈 …).
    pub negotiable: bool,
    /// The period the amount was quoted in; `min`/`max` are already monthly.
    pub period: Period,
}

const NOT_A_SALARY: &str =
    "not a salary: expected forms like 15k-20k, 2万/月, 30万/年, 300元/天 or 面议";

/// Words that make a value negotiable.
const NEGOTIABLE: &[&str] = &[
    "薪资面议",
    "薪酬面议",
    "面议",
    "面谈",
    "保密",
    "待定",
    "可谈",
    "可议",
    "可商议",
    "按公司规定",
    "按公司标准",
    "公司规定",
    "negotiable",
    "tbd",
];

/// Currencies other than CNY.
const FOREIGN: &[&str] = &[
    "$", "usd", "美元", "美金", "€", "eur", "欧元", "£", "gbp", "英镑", "hkd", "港币", "港元",
    "jpy", "日元", "円", "twd", "ntd", "台币", "sgd", "新币", "韩元", "krw",
];

/// Words that carry no information for the amount.
const NOISE: &[&str] = &[
    "期望薪资",
    "期望薪酬",
    "期望月薪",
    "期望",
    "薪资",
    "薪酬",
    "工资",
    "税前",
    "税后",
    "人民币",
    "rmb",
    "cny",
    "¥",
    "大约",
    "左右",
    "上下",
    "约",
    "about",
    "around",
    "approx",
];

/// Period markers, most specific first.
static PERIODS: LazyLock<Vec<(Regex, Period)>> = LazyLock::new(|| {
    [
        (
            r"年薪|年收入|/年|每年|一年|per ?year|per ?annum|/year|/yr|p\.a\.|annual(?:ly)?|yearly",
            Period::Year,
        ),
        (r"日薪|/天|每天|/日|per ?day|/day|daily", Period::Day),
        (
            r"时薪|/小时|每小时|/时|per ?hour|/hour|/hr|/h|hourly",
            Period::Hour,
        ),
        (
            r"月薪|/月|每月|/mo(?:nth)?|per ?month|monthly",
            Period::Month,
        ),
    ]
    .into_iter()
    .map(|(p, period)| (Regex::new(p).expect("valid regex"), period))
    .collect()
});

/// Salaries per year: `·13薪`, `13薪`, `*13个月`, `×14个月`.
static MONTHS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[·・•*x×]?(\d{1,2})(?:薪|个月)").expect("valid regex"));

/// `15,000` → `15000` (the trailing character is captured to check it is not a digit).
static THOUSANDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d),(\d{3})(\D|$)").expect("valid regex"));

static PARENS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(([^()]*)\)").expect("valid regex"));

static MONTHLY_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/月|月薪|每月|/mo").expect("valid regex"));

/// "At least" and "at most" markers around a single value.
static AT_LEAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"及以上|以上|起|\+$|^(?:≥|>=|>|不低于|至少|最低|above|over|from|min)")
        .expect("valid regex")
});
static AT_MOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"及以下|以下|以内|之内|^(?:≤|<=|<|不超过|最多|最高|below|under|upto|max)")
        .expect("valid regex")
});

/// The numeric core: a value with an optional unit, optionally a range.
static CORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d+(?:\.\d+)?)(k|千元|千|w|万元|万|元)?(?:(?:-|~|—|–|―|〜|至|到)(\d+(?:\.\d+)?)(k|千元|千|w|万元|万|元)?)?$",
    )
    .expect("valid regex")
});

fn unit_factor(unit: &str) -> f64 {
    match unit {
        "k" | "千" | "千元" => 1_000.0,
        "w" | "万" | "万元" => 10_000.0,
        _ => 1.0,
    }
}

/// Finds the period markers in `s`, removes them and returns the period.
fn take_period(s: &mut String) -> Result<Option<Period>, Reject> {
    let mut found: Option<Period> = None;
    for (re, period) in PERIODS.iter() {
        if re.is_match(s) {
            if found.is_some_and(|p| p != *period) {
                return Err(Reject::new("conflicting pay periods in one salary"));
            }
            found = Some(*period);
            *s = re.replace_all(s, "").into_owned();
        }
    }
    Ok(found)
}

/// Reads a unit hint from a header (`K`, `万/年`, `元/月`, `月薪(千元)`) into
/// a unit factor and a period.
fn parse_hint(hint: &str) -> (Option<f64>, Option<Period>) {
    let mut s = nfkc_clean(hint).to_lowercase();
    s.retain(|c| !c.is_whitespace());
    let period = take_period(&mut s).ok().flatten();
    let factor = if s.contains('万') || s.contains('w') {
        Some(10_000.0)
    } else if s.contains('千') || s.contains('k') {
        Some(1_000.0)
    } else if s.contains('元') || s.contains("rmb") || s.contains("cny") {
        Some(1.0)
    } else {
        None
    };
    (factor, period)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Longest cell text whose reading is remembered.
const REMEMBERED_LEN: usize = 48;
/// Readings remembered per thread and column unit before starting over.
const REMEMBERED: usize = 4096;

type Readings = Vec<(
    Option<Box<str>>,
    foldhash::HashMap<Box<str>, Result<Salary, Reject>>,
)>;

thread_local! {
    /// Readings of recent cells by column unit: a sheet writes the same
    /// few dozen expectations (`15-20k`, `面议`, `1.5万`) thousands of
    /// times, and reading one takes a dozen pattern searches.
    static READINGS: std::cell::RefCell<Readings> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Parses a salary cell into monthly CNY. `unit_hint` is the unit written in
/// the column header (`K`, `万/年`, `元/月`), used only where the cell itself
/// gives no unit or period.
pub fn parse_salary(raw: &str, unit_hint: Option<&str>) -> Result<Salary, Reject> {
    if raw.len() > REMEMBERED_LEN {
        return read_salary(raw, unit_hint);
    }
    let slot = |readings: &mut Readings| match readings
        .iter()
        .position(|(u, _)| u.as_deref() == unit_hint)
    {
        Some(i) => i,
        None => {
            readings.push((unit_hint.map(Box::from), Default::default()));
            readings.len() - 1
        }
    };
    if let Some(r) = READINGS.with_borrow_mut(|readings| {
        let i = slot(readings);
        readings[i].1.get(raw).cloned()
    }) {
        return r;
    }
    // Read outside the borrow: a reading may read a part of the cell.
    let r = read_salary(raw, unit_hint);
    READINGS.with_borrow_mut(|readings| {
        let i = slot(readings);
        let seen = &mut readings[i].1;
        if seen.len() >= REMEMBERED {
            seen.clear();
        }
        seen.insert(raw.into(), r.clone());
    });
    r
}

fn read_salary(raw: &str, unit_hint: Option<&str>) -> Result<Salary, Reject> {
    let mut s = nfkc_clean(raw).to_lowercase();
    s.retain(|c| !c.is_whitespace());
    if s.is_empty() {
        return Err(Reject::new("empty salary"));
    }
    if FOREIGN.iter().any(|c| s.contains(c)) {
        return Err(Reject::new("not in CNY: only 人民币 amounts are supported"));
    }
    let mut negotiable = false;
    for word in NEGOTIABLE {
        if s.contains(word) {
            negotiable = true;
            s = s.replace(word, "");
        }
    }
    // `10.79万（8300元/月 * 13个月）`: the bracket holds the monthly figure
    // the annual one was computed from, which is the one to keep.
    for c in PARENS.captures_iter(&s) {
        let inner = &c[1];
        if MONTHLY_MARKER.is_match(inner)
            && inner.chars().any(|c| c.is_ascii_digit())
            && let Ok(mut salary) = parse_salary(inner, unit_hint)
        {
            salary.negotiable |= negotiable;
            return Ok(salary);
        }
    }
    s = s.replace(['(', ')'], "");
    while THOUSANDS.is_match(&s) {
        s = THOUSANDS.replace_all(&s, "$1$2$3").into_owned();
    }

    let months = match MONTHS.captures(&s) {
        Some(c) => {
            let n: u8 = c[1].parse().unwrap_or(0);
            if !(12..=24).contains(&n) {
                return Err(Reject::new(format!(
                    "{n} salaries per year: expected 12–24 (as in 13薪)"
                )));
            }
            s = MONTHS.replace(&s, "").into_owned();
            Some(n)
        }
        None => None,
    };

    let (hint_factor, hint_period) = unit_hint.map(parse_hint).unwrap_or((None, None));
    let period = take_period(&mut s)?
        .or(hint_period)
        .unwrap_or(Period::Month);
    for word in NOISE {
        // `replace` copies the string even when there is nothing to replace.
        if s.contains(word) {
            s = s.replace(word, "");
        }
    }
    let s = s.trim_matches(|c: char| matches!(c, '/' | ':' | ',' | '，' | '.' | '·'));

    if !s.chars().any(|c| c.is_ascii_digit()) {
        if negotiable && s.is_empty() {
            return Ok(Salary {
                min: None,
                max: None,
                months,
                negotiable,
                period,
            });
        }
        return Err(Reject::new(NOT_A_SALARY));
    }

    let at_least = AT_LEAST.is_match(s);
    let at_most = AT_MOST.is_match(s);
    let core = AT_MOST
        .replace_all(&AT_LEAST.replace_all(s, ""), "")
        .into_owned();
    let Some(c) = CORE.captures(&core) else {
        return Err(Reject::new(NOT_A_SALARY));
    };
    let a: f64 = c[1].parse().map_err(|_| Reject::new(NOT_A_SALARY))?;
    let b: Option<f64> = c.get(3).and_then(|m| m.as_str().parse().ok());
    let unit_a = c.get(2).map(|m| unit_factor(m.as_str()));
    let unit_b = c.get(4).map(|m| unit_factor(m.as_str()));

    // Unitless values: thousands below 1 000, yuan from 1 000 — except daily
    // and hourly pay, which is quoted in yuan.
    let default_factor = |largest: f64| {
        hint_factor.unwrap_or(
            if matches!(period, Period::Day | Period::Hour) || largest >= 1_000.0 {
                1.0
            } else {
                1_000.0
            },
        )
    };
    let borrow = |value: f64, other: Option<f64>| match other {
        Some(f) if value < 1_000.0 => f,
        _ => 1.0,
    };
    let (low, high) = match b {
        None => {
            let v = a * unit_a.unwrap_or_else(|| default_factor(a));
            (v, v)
        }
        Some(b) => {
            let (fa, fb) = match (unit_a, unit_b) {
                (Some(fa), Some(fb)) => (fa, fb),
                (None, Some(fb)) => (borrow(a, Some(fb)), fb),
                (Some(fa), None) => (fa, borrow(b, Some(fa))),
                (None, None) => {
                    let f = default_factor(a.max(b));
                    (f, f)
                }
            };
            (a * fa, b * fb)
        }
    };
    let factor = period.to_monthly_factor();
    let (low, high) = (round2(low * factor), round2(high * factor));
    for v in [low, high] {
        if !(MIN_MONTHLY..=MAX_MONTHLY).contains(&v) {
            return Err(Reject::new(format!(
                "monthly salary {v} outside 500–1000000 CNY: check the unit"
            )));
        }
    }
    if low > high {
        return Err(Reject::new("salary range minimum above maximum"));
    }
    let (min, max) = match (b.is_some(), at_least, at_most) {
        (false, true, false) => (Some(low), None),
        (false, false, true) => (None, Some(high)),
        _ => (Some(low), Some(high)),
    };
    Ok(Salary {
        min,
        max,
        months,
        negotiable,
        period,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Period::*;

    /// (raw, hint, (min, max, months, negotiable, period))
    type Expected = (Option<f64>, Option<f64>, Option<u8>, bool, Period);
    const OK: &[(&str, Option<&str>, Expected)] = &[
        (
            "15k",
            None,
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "15K-25K",
            None,
            (Some(15000.0), Some(25000.0), None, false, Month),
        ),
        (
            "15k-25k",
            None,
            (Some(15000.0), Some(25000.0), None, false, Month),
        ),
        (
            "15-20k",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "15-20K/月",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "15k-2万",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "1.5-2万",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "1.5万-2",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "8000-1.2万",
            None,
            (Some(8000.0), Some(12000.0), None, false, Month),
        ),
        (
            "15k~20k",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "15k～20k",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "15k—20k",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "15k–20k",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "15k至20k",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "15到20k",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "5千-8千",
            None,
            (Some(5000.0), Some(8000.0), None, false, Month),
        ),
        (
            "2万/月",
            None,
            (Some(20000.0), Some(20000.0), None, false, Month),
        ),
        (
            "2.5万/每月",
            None,
            (Some(25000.0), Some(25000.0), None, false, Month),
        ),
        (
            "1.3万/每月",
            None,
            (Some(13000.0), Some(13000.0), None, false, Month),
        ),
        (
            "月薪15k",
            None,
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "15Ｋ／月",
            None,
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "15k/mo",
            None,
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "15k per month",
            None,
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "8000-12000",
            None,
            (Some(8000.0), Some(12000.0), None, false, Month),
        ),
        (
            "8000-12000元/月",
            None,
            (Some(8000.0), Some(12000.0), None, false, Month),
        ),
        (
            "15,000-20,000元",
            None,
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "¥15000",
            None,
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "15000 RMB",
            None,
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "期望薪资：15k（税前）",
            None,
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "15",
            None,
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "500",
            None,
            (Some(500000.0), Some(500000.0), None, false, Month),
        ),
        (
            "800",
            None,
            (Some(800000.0), Some(800000.0), None, false, Month),
        ),
        (
            "1500",
            None,
            (Some(1500.0), Some(1500.0), None, false, Month),
        ),
        (
            "30万/年",
            None,
            (Some(25000.0), Some(25000.0), None, false, Year),
        ),
        (
            "年薪30万",
            None,
            (Some(25000.0), Some(25000.0), None, false, Year),
        ),
        (
            "20-30万/年",
            None,
            (Some(16666.67), Some(25000.0), None, false, Year),
        ),
        (
            "30w per year",
            None,
            (Some(25000.0), Some(25000.0), None, false, Year),
        ),
        (
            "300元/天",
            None,
            (Some(6525.0), Some(6525.0), None, false, Day),
        ),
        (
            "日薪300",
            None,
            (Some(6525.0), Some(6525.0), None, false, Day),
        ),
        (
            "50元/小时",
            None,
            (Some(8700.0), Some(8700.0), None, false, Hour),
        ),
        (
            "时薪50",
            None,
            (Some(8700.0), Some(8700.0), None, false, Hour),
        ),
        ("15k以上", None, (Some(15000.0), None, None, false, Month)),
        ("≥15k", None, (Some(15000.0), None, None, false, Month)),
        ("15k+", None, (Some(15000.0), None, None, false, Month)),
        ("15k起", None, (Some(15000.0), None, None, false, Month)),
        ("2万以内", None, (None, Some(20000.0), None, false, Month)),
        ("≤2万", None, (None, Some(20000.0), None, false, Month)),
        ("20k以下", None, (None, Some(20000.0), None, false, Month)),
        (
            "15k·13薪",
            None,
            (Some(15000.0), Some(15000.0), Some(13), false, Month),
        ),
        (
            "15-20k·13薪",
            None,
            (Some(15000.0), Some(20000.0), Some(13), false, Month),
        ),
        (
            "20k 13薪",
            None,
            (Some(20000.0), Some(20000.0), Some(13), false, Month),
        ),
        (
            "20k*13个月",
            None,
            (Some(20000.0), Some(20000.0), Some(13), false, Month),
        ),
        (
            "20k×14个月",
            None,
            (Some(20000.0), Some(20000.0), Some(14), false, Month),
        ),
        (
            "10.79万（8300元/月 * 13个月）",
            None,
            (Some(8300.0), Some(8300.0), Some(13), false, Month),
        ),
        ("面议", None, (None, None, None, true, Month)),
        ("薪资面议", None, (None, None, None, true, Month)),
        ("保密", None, (None, None, None, true, Month)),
        ("待定", None, (None, None, None, true, Month)),
        ("可谈", None, (None, None, None, true, Month)),
        ("按公司规定", None, (None, None, None, true, Month)),
        ("Negotiable", None, (None, None, None, true, Month)),
        (
            "15k 可谈",
            None,
            (Some(15000.0), Some(15000.0), None, true, Month),
        ),
        (
            "面议（8k左右）",
            None,
            (Some(8000.0), Some(8000.0), None, true, Month),
        ),
        (
            "15",
            Some("K"),
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "30",
            Some("万/年"),
            (Some(25000.0), Some(25000.0), None, false, Year),
        ),
        (
            "8000",
            Some("元/月"),
            (Some(8000.0), Some(8000.0), None, false, Month),
        ),
        (
            "1.5",
            Some("万"),
            (Some(15000.0), Some(15000.0), None, false, Month),
        ),
        (
            "15-20",
            Some("月薪(千元)"),
            (Some(15000.0), Some(20000.0), None, false, Month),
        ),
        (
            "15k",
            Some("万/年"),
            (Some(1250.0), Some(1250.0), None, false, Year),
        ),
        (
            "2万",
            Some("K"),
            (Some(20000.0), Some(20000.0), None, false, Month),
        ),
    ];

    #[test]
    fn remembered_readings_are_the_readings() {
        let cells: Vec<String> = (0..(REMEMBERED + 100))
            .map(|i| format!("{}-{}k", i % 900 + 1, i % 900 + 2 + i / 900))
            .chain(["面议", "15k·14薪", "1.5万/月", "USD 3000", "", "abc"].map(String::from))
            .collect();
        for round in 0..3 {
            for hint in [None, Some("万/年"), Some("K")] {
                for cell in &cells {
                    assert_eq!(
                        parse_salary(cell, hint),
                        read_salary(cell, hint),
                        "round {round}, {cell:?} under {hint:?}"
                    );
                }
            }
        }
        // The unit hint is part of what is remembered.
        assert_ne!(
            parse_salary("20", Some("K")),
            parse_salary("20", Some("万/年"))
        );
    }

    #[test]
    fn parse_salary_ok_table() {
        for (raw, hint, (min, max, months, negotiable, period)) in OK {
            let got = parse_salary(raw, *hint).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            let expected = Salary {
                min: *min,
                max: *max,
                months: *months,
                negotiable: *negotiable,
                period: *period,
            };
            assert_eq!(got, expected, "{raw:?} {hint:?}");
        }
    }

    const REJECTED: &[(&str, Option<&str>, &str)] = &[
        (
            "$5000",
            None,
            "not in CNY: only 人民币 amounts are supported",
        ),
        (
            "5000 USD",
            None,
            "not in CNY: only 人民币 amounts are supported",
        ),
        (
            "5000美元",
            None,
            "not in CNY: only 人民币 amounts are supported",
        ),
        ("20k-15k", None, "salary range minimum above maximum"),
        ("看情况", None, NOT_A_SALARY),
        ("abc", None, NOT_A_SALARY),
        ("15k左右吧看情况", None, NOT_A_SALARY),
        ("13薪", None, NOT_A_SALARY),
        ("", None, "empty salary"),
        (
            "5元",
            None,
            "monthly salary 5 outside 500–1000000 CNY: check the unit",
        ),
        (
            "100",
            Some("元/月"),
            "monthly salary 100 outside 500–1000000 CNY: check the unit",
        ),
        (
            "2000万",
            None,
            "monthly salary 20000000 outside 500–1000000 CNY: check the unit",
        ),
        (
            "15k·6薪",
            None,
            "6 salaries per year: expected 12–24 (as in 13薪)",
        ),
        (
            "15k/月 30万/年",
            None,
            "conflicting pay periods in one salary",
        ),
    ];

    #[test]
    fn parse_salary_reject_table() {
        for (raw, hint, reason) in REJECTED {
            assert_eq!(
                parse_salary(raw, *hint),
                Err(Reject::new(*reason)),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn period_factors() {
        assert_eq!(Month.to_monthly_factor(), 1.0);
        assert_eq!(Day.to_monthly_factor(), 21.75);
        assert_eq!(Hour.to_monthly_factor(), 174.0);
        assert_eq!(120_000.0 * Year.to_monthly_factor(), 10_000.0);
    }
}

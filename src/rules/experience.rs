//! Years of work experience (工作年限): `5年`, `5`, `五年`, `十二年`, `3-5年`,
//! `3~5 years`, `10年以上`, `半年`, `1年半`, `18个月`, and `应届`/`在校生`/
//! `无经验` as zero. A single value gives `min == max`; "or more" leaves `max`
//! open; "less than" gives `min = 0`.

use std::sync::LazyLock;

use regex::Regex;

use super::Reject;
use super::text::nfkc_clean;

/// Experience as a range of years.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Years {
    /// Lower bound in years.
    pub min: f32,
    /// Upper bound in years; `None` when open-ended (`10年以上`).
    pub max: Option<f32>,
}

/// Most years of experience accepted.
const MAX_YEARS: f32 = 60.0;

const NOT_YEARS: &str =
    "not years of experience: expected forms like 5年, 3-5年, 10年以上, 半年 or 应届";

/// Phrases meaning no work experience yet.
const ZERO: &[&str] = &[
    "应届",
    "应届生",
    "应届毕业生",
    "无经验",
    "无工作经验",
    "没有经验",
    "在校生",
    "在校",
    "实习生",
    "fresh graduate",
    "graduate",
    "no experience",
    "none",
];

/// Words around the number that carry nothing.
const NOISE: &[&str] = &[
    "工作经验",
    "相关经验",
    "工作年限",
    "经验",
    "工作",
    "左右",
    "约",
    "多",
    "about",
    "around",
    "experience",
    "of",
];

static CHINESE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[零〇一二两三四五六七八九十]+").expect("valid regex"));
static MONTHS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d+(?:\.\d+)?)(?:个月|months?)").expect("valid regex"));
static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"年|years?|yrs?|y").expect("valid regex"));
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+(?:\.\d+)?)(?:-|~|—|–|至|到|to)(\d+(?:\.\d+)?)$").expect("valid regex")
});
static AT_LEAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:>|≥|>=|over|morethan|atleast|超过|至少)?(\d+(?:\.\d+)?)(?:\+|以上|及以上|ormore)?$",
    )
    .expect("valid regex")
});
static AT_MOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:<|≤|<=|lessthan|under|不到|不满|少于)(\d+(?:\.\d+)?)$|^(\d+(?:\.\d+)?)(?:以下|以内|及以下)$")
        .expect("valid regex")
});

/// Value of a Chinese numeral up to 99 (`十二` → 12, `两` → 2, `二十五` → 25).
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = s
        .chars()
        .map(|c| match c {
            '两' => '二',
            '〇' => '零',
            other => other,
        })
        .collect();
    match chars.iter().position(|&c| c == '十') {
        None if chars.len() == 1 => digit(chars[0]),
        None => None,
        Some(i) => {
            let tens = match i {
                0 => 1,
                1 => digit(chars[0])?,
                _ => return None,
            };
            let ones = match &chars[i + 1..] {
                [] => 0,
                [c] => digit(*c)?,
                _ => return None,
            };
            Some(tens * 10 + ones)
        }
    }
}

fn years(min: f32, max: Option<f32>) -> Result<Years, Reject> {
    let top = max.unwrap_or(min);
    if min > MAX_YEARS || top > MAX_YEARS {
        return Err(Reject::new(format!(
            "{top} years of experience is more than {MAX_YEARS}"
        )));
    }
    if max.is_some_and(|m| m < min) {
        return Err(Reject::new("experience range minimum above maximum"));
    }
    Ok(Years { min, max })
}

/// Parses a years-of-experience cell.
pub fn parse_years(raw: &str) -> Result<Years, Reject> {
    let mut s = nfkc_clean(raw).to_lowercase();
    if ZERO.contains(&s.as_str()) {
        return Ok(Years {
            min: 0.0,
            max: Some(0.0),
        });
    }
    s.retain(|c| !c.is_whitespace());
    for word in NOISE {
        if s.contains(word) {
            s = s.replace(word, "");
        }
    }
    if s.is_empty() {
        return Err(Reject::new("empty years of experience"));
    }
    // Chinese numerals to digits, halves to decimals: 一年半 → 1.5年.
    let mut bad_numeral = false;
    s = CHINESE_NUMBER
        .replace_all(&s, |c: &regex::Captures<'_>| match chinese_number(&c[0]) {
            Some(n) => n.to_string(),
            None => {
                bad_numeral = true;
                String::new()
            }
        })
        .into_owned();
    if bad_numeral {
        return Err(Reject::new(NOT_YEARS));
    }
    s = s.replace("年半", ".5年");
    if s.starts_with("半年") || s == "半" {
        s = s.replacen('半', "0.5", 1);
    }
    s = MONTHS
        .replace_all(&s, |c: &regex::Captures<'_>| {
            let months: f32 = c[1].parse().unwrap_or(f32::NAN);
            format!("{}", months / 12.0)
        })
        .into_owned();
    let s = UNIT.replace_all(&s, "").into_owned();

    let parse = |x: &str| x.parse::<f32>().map_err(|_| Reject::new(NOT_YEARS));
    if let Some(c) = RANGE.captures(&s) {
        return years(parse(&c[1])?, Some(parse(&c[2])?));
    }
    if let Some(c) = AT_MOST.captures(&s) {
        let value = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
        return years(0.0, Some(parse(value)?));
    }
    if let Some(c) = AT_LEAST.captures(&s) {
        let value = parse(&c[1])?;
        let open = s.len() > c[1].len();
        return years(value, if open { None } else { Some(value) });
    }
    Err(Reject::new(NOT_YEARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &[(&str, f32, Option<f32>)] = &[
        ("5年", 5.0, Some(5.0)),
        ("5", 5.0, Some(5.0)),
        (" 5 年 ", 5.0, Some(5.0)),
        ("五年", 5.0, Some(5.0)),
        ("两年", 2.0, Some(2.0)),
        ("十年", 10.0, Some(10.0)),
        ("十二年", 12.0, Some(12.0)),
        ("二十年", 20.0, Some(20.0)),
        ("二十五年", 25.0, Some(25.0)),
        ("3-5年", 3.0, Some(5.0)),
        ("3~5 years", 3.0, Some(5.0)),
        ("3到5年", 3.0, Some(5.0)),
        ("三到五年", 3.0, Some(5.0)),
        ("3年-5年", 3.0, Some(5.0)),
        ("10年以上", 10.0, None),
        ("10+年", 10.0, None),
        ("10年+", 10.0, None),
        ("5 years+", 5.0, None),
        ("over 5 years", 5.0, None),
        ("1年以下", 0.0, Some(1.0)),
        ("不到1年", 0.0, Some(1.0)),
        ("半年", 0.5, Some(0.5)),
        ("1年半", 1.5, Some(1.5)),
        ("一年半", 1.5, Some(1.5)),
        ("6个月", 0.5, Some(0.5)),
        ("18个月", 1.5, Some(1.5)),
        ("应届", 0.0, Some(0.0)),
        ("应届生", 0.0, Some(0.0)),
        ("无经验", 0.0, Some(0.0)),
        ("在校生", 0.0, Some(0.0)),
        ("5 years", 5.0, Some(5.0)),
        ("5 yrs", 5.0, Some(5.0)),
        ("1 year", 1.0, Some(1.0)),
        ("5年工作经验", 5.0, Some(5.0)),
        ("工作5年", 5.0, Some(5.0)),
        ("2.5年", 2.5, Some(2.5)),
        ("５年", 5.0, Some(5.0)),
        ("60", 60.0, Some(60.0)),
    ];

    #[test]
    fn parse_years_ok_table() {
        for (raw, min, max) in OK {
            let got = parse_years(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert_eq!(
                got,
                Years {
                    min: *min,
                    max: *max
                },
                "{raw:?}"
            );
        }
    }

    const REJECTED: &[(&str, &str)] = &[
        ("", "empty years of experience"),
        ("经验丰富", NOT_YEARS),
        ("很多年", NOT_YEARS),
        ("abc", NOT_YEARS),
        ("61", "61 years of experience is more than 60"),
        ("100年", "100 years of experience is more than 60"),
        ("5-3年", "experience range minimum above maximum"),
        ("十二三年", NOT_YEARS),
        ("2015", "2015 years of experience is more than 60"),
    ];

    #[test]
    fn parse_years_reject_table() {
        for (raw, reason) in REJECTED {
            assert_eq!(parse_years(raw), Err(Reject::new(*reason)), "{raw:?}");
        }
    }

    const NUMERALS: &[(&str, Option<u32>)] = &[
        ("五", Some(5)),
        ("十", Some(10)),
        ("十二", Some(12)),
        ("二十", Some(20)),
        ("三十五", Some(35)),
        ("两", Some(2)),
        ("零", Some(0)),
        ("十二三", None),
        ("一百", None),
    ];

    #[test]
    fn chinese_number_table() {
        for (s, expected) in NUMERALS {
            assert_eq!(chinese_number(s), *expected, "{s:?}");
        }
    }
}

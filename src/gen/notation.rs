//! How values get written down: phone formats, salary notations, text
//! dates, name renderings, education and experience labels.
//!
//! Each function turns a clean value into one of the spellings seen in real
//! Chinese HR sheets (hr-domain research §4). Files differ in which
//! spellings they favour, so the styles are chosen by the layouts, not here.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::people::{Edu, Person};
use super::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneStyle {
    Plain,
    /// 138-0013-8000
    Dashed,
    /// 138 0013 8000
    Spaced,
    /// +86 13800138000
    Plus86,
    /// +86 138 0013 8000
    Plus86Spaced,
    /// +8613800138000
    Plus86Tight,
    /// 0086-13800138000
    Zero86,
    /// １３８００１３８０００ (typed with a full-width input method)
    FullWidth,
}

pub fn phone(p: &str, style: PhoneStyle) -> String {
    let (a, b, c) = (&p[..3], &p[3..7], &p[7..]);
    match style {
        PhoneStyle::Plain => p.to_string(),
        PhoneStyle::Dashed => format!("{a}-{b}-{c}"),
        PhoneStyle::Spaced => format!("{a} {b} {c}"),
        PhoneStyle::Plus86 => format!("+86 {p}"),
        PhoneStyle::Plus86Spaced => format!("+86 {a} {b} {c}"),
        PhoneStyle::Plus86Tight => format!("+86{p}"),
        PhoneStyle::Zero86 => format!("0086-{p}"),
        PhoneStyle::FullWidth => full_width(p),
    }
}

/// ASCII digits and letters → full-width forms (U+FF10…).
pub fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_graphic() {
                char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// How a job board masks numbers before the candidate unlocks contact.
pub fn masked(p: &str) -> String {
    format!("{}****{}", &p[..3], &p[7..])
}

/// Draws a phone style from `(style, weight)` pairs.
pub fn pick_phone_style(rng: &mut Rng, table: &[(PhoneStyle, u32)]) -> PhoneStyle {
    let w: Vec<u32> = table.iter().map(|t| t.1).collect();
    table[rng.weighted(&w)].0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalaryStyle {
    K,
    KPerMonth,
    Wan,
    RangeK,
    AnnualWan,
    ThirteenMonths,
    YuanTimesMonths,
    AtLeast,
    Negotiable,
    Secret,
    Yuan,
    W,
    TildeRange,
    MonthlyPrefix,
    AnnualPrefix,
}

fn num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

/// Upper end of a range a candidate would quote around `k`.
fn upper(k: f64) -> f64 {
    ((k * 1.3) / 5.0).ceil().max(1.0) * 5.0
}

/// Renders an expected monthly salary of `k` thousand CNY.
pub fn salary(k: f64, style: SalaryStyle) -> String {
    match style {
        SalaryStyle::K => format!("{}k", num(k)),
        SalaryStyle::KPerMonth => format!("{}K/月", num(k)),
        SalaryStyle::Wan => format!("{}万", num(k / 10.0)),
        SalaryStyle::RangeK => format!("{}-{}k", num(k), num(upper(k))),
        SalaryStyle::AnnualWan => format!("{}万/年", num((k * 13.0 / 10.0).round())),
        SalaryStyle::ThirteenMonths => format!("{}k·13薪", num(k)),
        SalaryStyle::YuanTimesMonths => {
            format!("{}元/月*13个月", ((k * 10.0).round() * 100.0) as i64)
        }
        SalaryStyle::AtLeast => format!("{}k以上", num(k)),
        SalaryStyle::Negotiable => "面议".to_string(),
        SalaryStyle::Secret => "保密".to_string(),
        SalaryStyle::Yuan => format!("{}", (k * 1000.0) as i64),
        SalaryStyle::W => format!("{}w", num(k / 10.0)),
        SalaryStyle::TildeRange => format!("{}~{}K", num(k), num(upper(k))),
        SalaryStyle::MonthlyPrefix => format!("月薪{}k", num(k)),
        SalaryStyle::AnnualPrefix => format!("年薪{}万", num((k * 13.0 / 10.0).round())),
    }
}

pub fn pick_salary(rng: &mut Rng, k: f64, table: &[(SalaryStyle, u32)]) -> String {
    let w: Vec<u32> = table.iter().map(|t| t.1).collect();
    salary(k, table[rng.weighted(&w)].0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// 2019.5.1
    Dots,
    /// 2019/5/1
    Slashes,
    /// 2019-05-01
    Iso,
    /// 2019年5月1日
    Chinese,
}

pub fn date_text(d: NaiveDate, style: DateStyle) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    match style {
        DateStyle::Dots => format!("{y}.{m}.{day}"),
        DateStyle::Slashes => format!("{y}/{m}/{day}"),
        DateStyle::Iso => format!("{y}-{m:02}-{day:02}"),
        DateStyle::Chinese => format!("{y}年{m}月{day}日"),
    }
}

/// `2024/3/5 14:23:11`, the form a mini-program export uses.
pub fn datetime_text(d: NaiveDateTime) -> String {
    format!(
        "{}/{}/{} {:02}:{:02}:{:02}",
        d.year(),
        d.month(),
        d.day(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// Education as typed in Chinese sheets; `formal` picks the system-export
/// vocabulary (硕士研究生) over free typing (研究生, 全日制本科).
pub fn education_cn(rng: &mut Rng, e: Edu, formal: bool) -> &'static str {
    let options: &[&str] = match (e, formal) {
        (Edu::HighSchool, true) => &["高中", "中专"],
        (Edu::College, true) => &["大专"],
        (Edu::Bachelor, true) => &["本科"],
        (Edu::Master, true) => &["硕士研究生"],
        (Edu::Doctor, true) => &["博士研究生"],
        (Edu::HighSchool, false) => &["高中", "中专", "职高"],
        (Edu::College, false) => &["大专", "专科", "大专（自考本科在读）"],
        (Edu::Bachelor, false) => &["本科", "本科", "全日制本科", "本科（统招）", "学士"],
        (Edu::Master, false) => &["硕士", "硕士", "研究生", "硕士（非全日制）"],
        (Edu::Doctor, false) => &["博士", "博士研究生"],
    };
    rng.choose(options)
}

pub fn education_en(rng: &mut Rng, e: Edu) -> &'static str {
    let options: &[&str] = match e {
        Edu::HighSchool => &["High School"],
        Edu::College => &["Associate", "College Diploma"],
        Edu::Bachelor => &["Bachelor", "Bachelor", "BSc", "本科"],
        Edu::Master => &["Master", "Master", "MSc", "MBA"],
        Edu::Doctor => &["PhD", "Doctorate"],
    };
    rng.choose(options)
}

/// The old HR system's experience drop-down.
pub fn years_bucket(y: i32) -> &'static str {
    match y {
        0 => "应届生",
        1 => "1年以下",
        2..=3 => "1-3年",
        4..=5 => "3-5年",
        6..=10 => "5-10年",
        _ => "10年以上",
    }
}

pub fn years_cn(rng: &mut Rng, y: i32) -> String {
    match (y, rng.below(4)) {
        (0, _) => "应届".to_string(),
        (_, 0) => years_bucket(y).to_string(),
        (y, 1) if y > 10 => "10年以上".to_string(),
        (y, 2) => format!("{y}年以上"),
        (y, _) => format!("{y}年"),
    }
}

pub fn years_en(rng: &mut Rng, y: i32) -> String {
    match (y, rng.below(5)) {
        (0, _) => "Fresh graduate".to_string(),
        (1, _) => "1 year".to_string(),
        (y, 0) => format!("{y}+ yrs"),
        (y, 1) => format!("{y}"),
        (y, _) => format!("{y} years"),
    }
}

/// Romanized renderings of a person's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roman {
    /// San Zhang
    GivenFirst,
    /// Zhang San
    SurnameFirst,
    /// ZHANG San (passport style)
    Passport,
    /// zhangsan (user-typed)
    Lower,
    /// Kevin Zhou
    English,
}

pub fn roman(p: &Person, style: Roman, alt: usize) -> String {
    let sur = if alt > 0 && !p.surname.alt.is_empty() {
        p.surname.alt[(alt - 1) % p.surname.alt.len()]
    } else {
        p.surname.pinyin
    };
    let given = p.given_pinyin();
    match style {
        Roman::GivenFirst => format!("{given} {sur}"),
        Roman::SurnameFirst => format!("{sur} {given}"),
        Roman::Passport => format!("{} {given}", sur.to_uppercase()),
        Roman::Lower => format!("{}{}", sur.to_lowercase(), given.to_lowercase()),
        Roman::English => match p.english {
            Some(e) => format!("{e} {sur}"),
            None => format!("{given} {sur}"),
        },
    }
}

/// The name with one homophone typo, if any character has a known one.
pub fn typo_name(p: &Person, rng: &mut Rng) -> Option<String> {
    let slots: Vec<usize> = (0..p.given.len())
        .filter(|&i| p.given[i].typo.is_some())
        .collect();
    if slots.is_empty() {
        return None;
    }
    let slot = *rng.pick(&slots);
    let mut s = p.surname.hanzi.to_string();
    for (i, g) in p.given.iter().enumerate() {
        s.push_str(if i == slot {
            g.typo.unwrap_or(g.hanzi)
        } else {
            g.hanzi
        });
    }
    Some(s)
}

/// Skill tokens as people write them (Go is also "Golang", "GO语言").
pub fn skill(rng: &mut Rng, s: &str) -> String {
    let options: &[&str] = match s {
        "Go" => &["Go", "Golang", "golang", "GO语言"],
        "JavaScript" => &["JavaScript", "JS", "javascript"],
        "Kubernetes" => &["Kubernetes", "k8s", "K8S"],
        "Python" => &["Python", "python", "Python3"],
        "SQL" => &["SQL", "sql", "SQL优化"],
        "Excel" => &["Excel", "excel", "EXCEL（熟练）"],
        "销售" => &["销售", "销售经验", "To B销售"],
        "大客户" => &["大客户", "大客户开发", "KA"],
        _ => return s.to_string(),
    };
    rng.pick(options).to_string()
}

pub fn skills_text(rng: &mut Rng, p: &Person, sep: &str) -> String {
    let items: Vec<String> = p.skills.iter().map(|s| skill(rng, s)).collect();
    items.join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_styles_keep_the_digits() {
        let p = "13800138000";
        assert_eq!(phone(p, PhoneStyle::Dashed), "138-0013-8000");
        assert_eq!(phone(p, PhoneStyle::Plus86Spaced), "+86 138 0013 8000");
        assert_eq!(phone(p, PhoneStyle::FullWidth), "１３８００１３８０００");
        assert_eq!(masked(p), "138****8000");
    }

    #[test]
    fn salary_notations() {
        assert_eq!(salary(15.0, SalaryStyle::K), "15k");
        assert_eq!(salary(15.0, SalaryStyle::KPerMonth), "15K/月");
        assert_eq!(salary(15.0, SalaryStyle::Wan), "1.5万");
        assert_eq!(salary(15.0, SalaryStyle::RangeK), "15-20k");
        assert_eq!(salary(15.0, SalaryStyle::AnnualWan), "20万/年");
        assert_eq!(salary(15.0, SalaryStyle::ThirteenMonths), "15k·13薪");
        assert_eq!(
            salary(8.3, SalaryStyle::YuanTimesMonths),
            "8300元/月*13个月"
        );
        assert_eq!(salary(15.0, SalaryStyle::AtLeast), "15k以上");
        assert_eq!(salary(7.5, SalaryStyle::Yuan), "7500");
    }

    #[test]
    fn text_dates() {
        let d = NaiveDate::from_ymd_opt(2019, 5, 1).unwrap();
        assert_eq!(date_text(d, DateStyle::Dots), "2019.5.1");
        assert_eq!(date_text(d, DateStyle::Slashes), "2019/5/1");
        assert_eq!(date_text(d, DateStyle::Chinese), "2019年5月1日");
    }
}

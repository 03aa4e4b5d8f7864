//! Masking contact details in the management report: `[report] mask =
//! ["phone", "email", "id_number"]`.
//!
//! The report is read by managers who need figures, not ways to reach a
//! candidate. Most of it is counts, but some cells carry free text written
//! by people — survey comments, interview evaluations on the recall list,
//! panel and reason labels — and a candidate who writes "call me on
//! 13800138000" puts a phone number there. So masking is one pass over
//! every text cell of the finished [`ReportModel`], finding phones, e-mail
//! addresses and 身份证 numbers wherever they stand in the text, rather than
//! a rule per column: a column added to the report later is covered
//! without anyone remembering to. Charts drawn from a changed table are
//! drawn again. `mask_names` stays separate: a name cannot be recognised in
//! free text, so names are masked where the report places them.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{ReportModel, svg};

/// What `[report] mask` can hide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mask {
    /// Phone numbers: `138****8000`, `010-****5678`, `+86 138 **** 8000`.
    Phone,
    /// E-mail addresses: `z***@qq.com`.
    Email,
    /// 身份证 numbers (18 or 15 digits): the first 6 and last 4 stay,
    /// `110101********1234`.
    IdNumber,
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
        .expect("valid regex")
});
/// 身份证 numbers by their shape: a region code (first digit 1–8), a birth
/// date (YYYYMMDD, or YYMMDD in the old 15-digit form), a sequence number
/// and, in the 18-digit form, a check character.
static ID_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]|[1-8]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}",
    )
    .expect("valid regex")
});
/// Chinese mobiles (3-4-4, with optional +86 / 0086), landlines with an
/// area code, and anything written with a `+` country code.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:(?:\+|00)86[\s-]?)?(?:1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|0\d{2,3}[\s-]?\d{7,8})|\+\d{1,3}[\s-]?\d(?:[\s-]?\d){6,13}",
    )
    .expect("valid regex")
});

/// Masks every text cell of `model` (and redraws the charts of tables that
/// changed).
pub fn apply(model: &mut ReportModel, masks: &[Mask]) {
    if masks.is_empty() {
        return;
    }
    for section in &mut model.sections {
        for table in &mut section.tables {
            let mut changed = false;
            for value in table.rows.iter_mut().flatten() {
                if value.number.is_some() || value.date.is_some() {
                    continue;
                }
                if let Cow::Owned(masked) = mask_text(&value.display, masks) {
                    value.display = masked;
                    changed = true;
                }
            }
            if changed && let Some(mut chart) = table.chart.take() {
                chart.svg = svg::render(table, &chart);
                table.chart = Some(chart);
            }
        }
    }
}

/// `text` with the kinds in `masks` masked wherever they occur. E-mails
/// go first (their local part may be a phone number), then id numbers
/// (which contain phone-shaped runs), then phones.
pub fn mask_text<'a>(text: &'a str, masks: &[Mask]) -> Cow<'a, str> {
    let mut out = Cow::Borrowed(text);
    if masks.contains(&Mask::Email) {
        out = replace(out, &EMAIL, |m| {
            let (local, domain) = m.split_once('@').expect("the pattern has an @");
            let first: String = local.chars().take(1).collect();
            Some(format!("{first}***@{domain}"))
        });
    }
    if masks.contains(&Mask::IdNumber) {
        out = replace(out, &ID_NUMBER, |m| Some(keep_ends(m, 6, 4)));
    }
    if masks.contains(&Mask::Phone) {
        out = replace(out, &PHONE, |m| {
            // The digits after a +86 / 0086 prefix are the national number:
            // keep its first three (carrier or area code) and last four.
            let national = m
                .strip_prefix("+86")
                .or_else(|| m.strip_prefix("0086"))
                .map(str::trim_start)
                .map(|n| n.strip_prefix('-').unwrap_or(n));
            Some(match national {
                Some(n) => format!("{}{}", &m[..m.len() - n.len()], keep_ends(n, 3, 4)),
                None => keep_ends(m, 3, 4),
            })
        });
    }
    out
}

/// Replaces each match that is not part of a longer run of digits or
/// letters (a 20-digit account number is not a phone plus two digits).
fn replace<'a>(
    text: Cow<'a, str>,
    re: &Regex,
    masked: impl Fn(&str) -> Option<String>,
) -> Cow<'a, str> {
    let mut out = String::new();
    let mut last = 0;
    for m in re.find_iter(&text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
        if glued(before) || glued(after) {
            continue;
        }
        if let Some(replacement) = masked(m.as_str()) {
            out.push_str(&text[last..m.start()]);
            out.push_str(&replacement);
            last = m.end();
        }
    }
    if last == 0 {
        return text;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// Keeps the first `head` and last `tail` digits (or `X`) of `s`, stars the
/// others, and leaves separators where they were.
fn keep_ends(s: &str, head: usize, tail: usize) -> String {
    let digit = |c: char| c.is_ascii_digit() || c == 'X' || c == 'x';
    let total = s.chars().filter(|&c| digit(c)).count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if !digit(c) {
                return c;
            }
            seen += 1;
            if seen <= head || seen > total.saturating_sub(tail) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Chart, ChartKind, Column, Fmt, Section, Table, Value};

    const ALL: &[Mask] = &[Mask::Phone, Mask::Email, Mask::IdNumber];

    #[test]
    fn each_kind_is_masked_wherever_it_stands() {
        const CASES: &[(&str, &str)] = &[
            ("13800138000", "138****8000"),
            ("请打13800138000联系我", "请打138****8000联系我"),
            ("138-0013-8000", "138-****-8000"),
            ("+86 138 0013 8000", "+86 138 **** 8000"),
            ("+8613800138000", "+86138****8000"),
            ("008613800138000", "0086138****8000"),
            ("座机 010-12345678", "座机 010-****5678"),
            ("WhatsApp +41 79 123 45 67", "WhatsApp +41 7* *** 45 67"),
            ("zhangsan@qq.com", "z***@qq.com"),
            ("邮箱：Li.Si+hr@Example.COM。", "邮箱：L***@Example.COM。"),
            ("13800138000@163.com", "1***@163.com"),
            ("身份证110101199003071234", "身份证110101********1234"),
            ("11010119900307123X", "110101********123X"),
            ("老身份证 110101900307123", "老身份证 110101*****7123"),
        ];
        for (text, masked) in CASES {
            assert_eq!(mask_text(text, ALL), *masked, "{text}");
        }
    }

    #[test]
    fn figures_dates_and_longer_numbers_are_left_alone() {
        for text in [
            "2024-03-06 14:00 面试",
            "15000-20000元",
            "工号 12345678",
            "账号 6222021234567890123456",
            "SV24-001",
            "138****8000",
            "NPS +25",
        ] {
            assert_eq!(mask_text(text, ALL), text);
        }
    }

    #[test]
    fn only_the_kinds_asked_for_are_masked() {
        let text = "13800138000 zhangsan@qq.com 110101199003071234";
        assert_eq!(
            mask_text(text, &[Mask::Email]),
            "13800138000 z***@qq.com 110101199003071234"
        );
        assert_eq!(
            mask_text(text, &[Mask::Phone]),
            "138****8000 zhangsan@qq.com 110101199003071234"
        );
        assert_eq!(mask_text(text, &[]), text);
    }

    #[test]
    fn every_text_cell_is_masked_and_charts_redrawn() {
        let mut t = Table {
            id: "t",
            title: "t".into(),
            note: None,
            columns: vec![
                Column::new("c".into(), Fmt::Text),
                Column::new("n".into(), Fmt::Int),
            ],
            rows: vec![vec![
                Value::text("张三 13800138000"),
                Value::num(Some(13800138000.0), Fmt::Int),
            ]],
            chart: None,
        };
        let chart = Chart {
            kind: ChartKind::Bar,
            title: "t".into(),
            category: 0,
            series: vec![1],
            svg: String::new(),
        };
        t.chart = Some(Chart {
            svg: svg::render(&t, &chart),
            ..chart
        });
        assert!(t.chart.as_ref().unwrap().svg.contains("13800138000"));
        let mut model = ReportModel {
            lang: "zh",
            title: String::new(),
            company: String::new(),
            as_of: String::new(),
            period: String::new(),
            pipeline: String::new(),
            labels: Default::default(),
            summary_title: String::new(),
            summary_note: String::new(),
            figures: Vec::new(),
            scopes: Vec::new(),
            sections: vec![Section {
                id: "s",
                title: String::new(),
                sheet: String::new(),
                tables: vec![t],
            }],
        };
        apply(&mut model, ALL);
        let t = &model.sections[0].tables[0];
        assert_eq!(t.rows[0][0].display, "张三 138****8000");
        // A number is a figure, not a phone.
        assert_eq!(t.rows[0][1].number, Some(13800138000.0));
        let svg = &t.chart.as_ref().unwrap().svg;
        assert!(!svg.contains("13800138000") && svg.contains("138****8000"));
    }
}

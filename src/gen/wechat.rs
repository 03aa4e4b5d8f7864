//! Layout of `wechat_form_signups_utf16.csv`: sign-ups from a WeChat
//! mini-form, saved by Excel as "Unicode text" — UTF-16LE with a BOM,
//! tab-delimited, CRLF.
//!
//! People fill these in themselves on a phone, so names are sometimes typed
//! in pinyin, numbers with a full-width keyboard, and a few people submit
//! the form twice within minutes.

use std::fs::File;
use std::io::BufWriter;

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime};

use super::cells::{TextEncoding, TextSink, record_line};
use super::company::POSITIONS;
use super::notation::{self as n, PhoneStyle, Roman, SalaryStyle};
use super::people::Person;
use super::plan::Appearance;
use super::rng::Rng;

pub const FILE: &str = "wechat_form_signups_utf16.csv";
pub const HEADERS: [&str; 8] = [
    "姓名",
    "手机号码",
    "微信号",
    "意向岗位",
    "期望月薪",
    "工作经验",
    "最高学历",
    "提交时间",
];

const SALARY: &[(SalaryStyle, u32)] = &[
    (SalaryStyle::K, 30),
    (SalaryStyle::Yuan, 25),
    (SalaryStyle::Wan, 15),
    (SalaryStyle::RangeK, 15),
    (SalaryStyle::Negotiable, 10),
];

/// Short free-text wishes for the 意向岗位 field.
fn wish(rng: &mut Rng, position: usize, year: i32) -> String {
    let pos = &POSITIONS[position];
    match rng.below(4) {
        0 => pos.title_for(year),
        1 => rng.pick(pos.variants).to_string(),
        2 => match pos.category {
            "技术" => rng
                .pick(&["后端开发", "技术岗", "开发", "数据相关"])
                .to_string(),
            "销售" => rng.pick(&["销售", "销售岗", "商务"]).to_string(),
            "校招" => rng.pick(&["应届生岗位", "管培", "校招"]).to_string(),
            _ => rng.pick(&["行政人事", "财务", "都可以"]).to_string(),
        },
        _ => pos.title_for(year),
    }
}

/// When the form was submitted: the application date, at a waking hour.
pub fn submitted(rng: &mut Rng, a: &Appearance) -> NaiveDateTime {
    let t = NaiveTime::from_hms_opt(
        rng.range(8, 23) as u32,
        rng.range(0, 59) as u32,
        rng.range(0, 59) as u32,
    )
    .expect("valid time");
    NaiveDateTime::new(a.app.date, t)
}

pub fn fields(rng: &mut Rng, p: &Person, a: &Appearance, at: NaiveDateTime) -> Vec<String> {
    let year = a.app.date.year();
    let name = match (a.forced.name, rng.below(20)) {
        (Some(f), _) => f.to_string(),
        (None, 0) => n::roman(p, Roman::Lower, 0),
        (None, 1) if p.english.is_some() => n::roman(p, Roman::English, 0),
        _ => p.name(),
    };
    let style = match rng.below(100) {
        0..=84 => PhoneStyle::Plain,
        85..=92 => PhoneStyle::FullWidth,
        93..=96 => PhoneStyle::Plus86,
        _ => PhoneStyle::Spaced,
    };
    let phone = a
        .forced
        .phone
        .map_or_else(|| n::phone(p.phone_at(year), style), str::to_string);
    vec![
        name,
        phone,
        if rng.chance(0.8) {
            p.wechat.clone()
        } else {
            String::new()
        },
        wish(rng, a.app.position, year),
        n::pick_salary(rng, a.app.salary_k, SALARY),
        n::years_cn(rng, p.years_at(year)),
        n::education_cn(rng, p.education, false).to_string(),
        n::datetime_text(at),
    ]
}

pub fn header_line() -> String {
    let h: Vec<(String, bool)> = HEADERS.iter().map(|h| (h.to_string(), false)).collect();
    record_line(&h, '\t')
}

pub fn line(fields: Vec<String>) -> String {
    let cells: Vec<(String, bool)> = fields.into_iter().map(|f| (f, false)).collect();
    record_line(&cells, '\t')
}

pub fn write_sample(
    ctx: &mut super::sample::Ctx,
    apps: &[&Appearance],
) -> Result<super::FileSummary> {
    let mut rng = ctx.rng(5);
    let path = ctx.out.join(FILE);
    let mut sink = TextSink::new(
        BufWriter::new(File::create(&path)?),
        TextEncoding::Utf16LeBom,
    )?;
    sink.write(&header_line())?;
    let mut rows: Vec<(NaiveDateTime, usize, Vec<String>)> = apps
        .iter()
        .map(|a| {
            let at = submitted(&mut rng, a);
            (
                at,
                a.person,
                fields(&mut rng, &ctx.persons[a.person], a, at),
            )
        })
        .collect();
    // One person sends the form twice a few minutes apart.
    let twice = (0..rows.len())
        .filter(|&i| rows[i].1 >= super::plan::SCRIPTED)
        .nth(rows.len() / 3)
        .expect("enough rows");
    let mut again = rows[twice].clone();
    again.0 += Duration::minutes(rng.range(2, 6));
    again.2[7] = n::datetime_text(again.0);
    let (dup_person, dup_first) = (again.1, rows[twice].0);
    rows.push(again);
    rows.sort_by_key(|r| (r.0, r.1));
    let mut dup_lines = Vec::new();
    let mut full_width = Vec::new();
    for (at, person, f) in rows {
        let fw = f[1].chars().any(|c| ('０'..='９').contains(&c));
        let start = sink.write(&line(f))?;
        if fw {
            full_width.push(start.to_string());
        }
        if person == dup_person && (at - dup_first).num_minutes().abs() < 10 {
            dup_lines.push(start.to_string());
        }
        ctx.record(FILE, "", start, person)?;
    }
    ctx.notes.general(
        FILE,
        "",
        format!(
            "the same person submitted twice within minutes: lines {}",
            dup_lines.join(", ")
        ),
    );
    if !full_width.is_empty() {
        ctx.notes.general(
            FILE,
            "",
            format!(
                "phone typed in full-width digits on lines {}",
                full_width.join(", ")
            ),
        );
    }
    ctx.notes.general(FILE, "", "UTF-16LE with BOM, tab-separated, CRLF; row numbers are physical lines (line 1 is the header)");
    sink.finish()?;
    Ok(super::FileSummary {
        path,
        rows: apps.len() + 1,
        description: "WeChat mini-form sign-ups, UTF-16LE tab-separated".into(),
    })
}

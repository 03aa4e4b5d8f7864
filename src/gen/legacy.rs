//! Layout of `2019-2021_招聘登记表.xls`: the register HR kept in Excel
//! 97–2003 format before the 2022 ledger.
//!
//! A title row, the header on row 2, one row per application, a blank row
//! where 2020 ends, and a `注：` note under the table. Dates are text
//! (`2019.5.1`) in early rows and real date cells later; some phones were
//! typed as numbers. rust_xlsxwriter cannot write BIFF8, so the workbook is
//! staged as .xlsx under `.xls-staging/` and converted by
//! `sample-data/tools/xlsx_to_xls.py`, which keeps cell types and rows.

use std::fs;
use std::path::Path;

use anyhow::Result;
use chrono::Datelike;

use super::cells::{self, Cell, Merge, Sheet};
use super::company::{CHANNELS, INTERVIEWERS, POSITIONS};
use super::history::Outcome;
use super::notation::{self as n, DateStyle, PhoneStyle, SalaryStyle};
use super::people::Person;
use super::plan::Appearance;
use super::reasons::{R_NO_SHOW, REASONS};
use super::rng::Rng;
use super::sample::Ctx;
use super::{FileSummary, XLS_STAGING_DIR, XlsConversion};

pub const FILE: &str = "2019-2021_招聘登记表.xls";
pub const SHEET: &str = "招聘登记";
const STAGED: &str = "2019-2021_招聘登记表.xlsx";

pub const HEADERS: [&str; 19] = [
    "序号",
    "登记日期",
    "姓名",
    "性别",
    "年龄",
    "联系电话",
    "邮箱",
    "学历",
    "毕业院校",
    "工作年限",
    "应聘岗位",
    "技能特长",
    "期望薪资",
    "招聘渠道",
    "面试官",
    "面试评价",
    "面试结果",
    "未录取原因",
    "备注",
];
#[cfg(test)]
pub const NAME_COL: u16 = 2;

pub fn conversion(out: &Path) -> XlsConversion {
    XlsConversion {
        xlsx: out.join(XLS_STAGING_DIR).join(STAGED),
        xls: out.join(FILE),
    }
}

const SALARY: &[(SalaryStyle, u32)] = &[
    (SalaryStyle::K, 15),
    (SalaryStyle::KPerMonth, 14),
    (SalaryStyle::Wan, 12),
    (SalaryStyle::RangeK, 12),
    (SalaryStyle::AnnualWan, 6),
    (SalaryStyle::ThirteenMonths, 6),
    (SalaryStyle::YuanTimesMonths, 4),
    (SalaryStyle::AtLeast, 6),
    (SalaryStyle::Negotiable, 8),
    (SalaryStyle::Secret, 3),
    (SalaryStyle::Yuan, 8),
    (SalaryStyle::W, 3),
];

fn result(o: Outcome) -> &'static str {
    match o {
        Outcome::New | Outcome::Screening => "待定",
        Outcome::Interviewing => "面试中",
        Outcome::Offer => "已发offer",
        Outcome::Hired => "录用",
        Outcome::Rejected(_) => "未录用",
        Outcome::Withdrew(r) if r == R_NO_SHOW => "未到面",
        Outcome::Withdrew(_) => "放弃",
        Outcome::Pool => "人才库",
    }
}

/// What a row's cells say about how it was typed (for the README).
#[derive(Default)]
struct Quirks {
    phone_number_cell: bool,
    name: Option<&'static str>,
}

fn row(rng: &mut Rng, p: &Person, a: &Appearance, seq: i64) -> (Vec<Cell>, Quirks) {
    let app = &a.app;
    let year = app.date.year();
    let mut q = Quirks::default();
    let date = match (year, rng.below(10)) {
        (2019, 0..=7) | (2020, 0..=4) | (2021, 0..=1) => {
            Cell::Text(n::date_text(app.date, DateStyle::Dots))
        }
        (_, 8) if year > 2019 => Cell::Text(n::date_text(app.date, DateStyle::Chinese)),
        _ => Cell::Date(app.date),
    };
    let name = if let Some(f) = a.forced.name {
        f.to_string()
    } else if rng.chance(0.06)
        && let Some(t) = n::typo_name(p, rng)
    {
        q.name = Some("homophone typo");
        t
    } else if p.given.len() == 1 && p.surname.hanzi.chars().count() == 1 && rng.chance(0.12) {
        // Two-character names padded with a full-width space to line up.
        q.name = Some("padded with a full-width space");
        format!("{}\u{3000}{}", p.surname.hanzi, p.given[0].hanzi)
    } else {
        p.name()
    };
    let digits = p.phone_at(year);
    let phone = match a.forced.phone {
        Some(f) => Cell::text(f),
        None => match rng.below(20) {
            0..=5 => {
                q.phone_number_cell = true;
                Cell::Int(digits.parse().expect("mobile digits"))
            }
            6..=12 => Cell::text(digits),
            13..=15 => Cell::text(n::phone(digits, PhoneStyle::Dashed)),
            16..=17 => Cell::text(n::phone(digits, PhoneStyle::Spaced)),
            18 => Cell::text(format!("{digits}（微信同号）")),
            _ => Cell::Empty,
        },
    };
    let email = match a.forced.email {
        Some(f) => Cell::text(f),
        None => match p.email_at(year) {
            Some(e) if rng.chance(0.05) => Cell::text(e.to_uppercase()),
            Some(e) if rng.chance(0.7) => Cell::text(e),
            _ => Cell::Empty,
        },
    };
    let pos = &POSITIONS[app.position];
    let title = pos.title_typed(rng, year);
    let years = p.years_at(year);
    let years_cell = if rng.chance(0.3) {
        Cell::Int(i64::from(years))
    } else {
        Cell::Text(n::years_cn(rng, years))
    };
    let salary = match a.forced.salary {
        Some(f) => f.to_string(),
        None => n::pick_salary(rng, app.salary_k, SALARY),
    };
    let last = app.last_interview();
    let reason = match (a.forced.reason, app.outcome.reason()) {
        (Some(f), _) => f.to_string(),
        (None, Some(r)) => rng.pick(REASONS[r].cn).to_string(),
        _ => String::new(),
    };
    let note = match (a.forced.note, app.outcome) {
        (Some(f), _) => f.to_string(),
        (None, Outcome::Hired) => app
            .onboard_note(a.source.as_of(), DateStyle::Dots, "入职")
            .unwrap_or_default(),
        (None, _) if CHANNELS[app.channel].0 == "内推" => {
            format!("内推人：{}", rng.pick(&["何磊", "陈工", "周晓东"]))
        }
        _ => String::new(),
    };
    let cells = vec![
        Cell::Int(seq),
        date,
        Cell::text(name),
        Cell::text(if p.female { "女" } else { "男" }),
        if rng.chance(0.85) {
            Cell::Int(i64::from(p.age_at(app.date)))
        } else {
            Cell::Empty
        },
        phone,
        email,
        Cell::text(n::education_cn(rng, p.education, false)),
        if rng.chance(0.8) {
            Cell::text(p.school)
        } else {
            Cell::Empty
        },
        years_cell,
        Cell::text(title),
        if rng.chance(0.8) {
            Cell::text(n::skills_text(rng, p, "、"))
        } else {
            Cell::Empty
        },
        Cell::text(salary),
        Cell::text(CHANNELS[app.channel].0),
        Cell::opt(last.map(|i| INTERVIEWERS[i.interviewer].cn)),
        Cell::opt(last.map(|i| i.remark_cn.clone())),
        Cell::text(result(app.outcome)),
        Cell::text(reason),
        Cell::text(note),
    ];
    (cells, q)
}

pub fn write_sample(
    ctx: &mut Ctx,
    apps: &[&Appearance],
) -> Result<(FileSummary, Vec<Sheet>, XlsConversion)> {
    let mut rng = ctx.rng(1);
    let mut sheet = Sheet::new(SHEET);
    let last_col = HEADERS.len() as u16 - 1;
    sheet.merges.push(Merge {
        first: (0, 0),
        last: (0, last_col),
        text: "杭州星河数据科技有限公司 招聘登记表（2019-2021）".into(),
        title: true,
    });
    sheet.push(1, 0, HEADERS.iter().map(|h| Cell::text(*h)).collect());
    sheet.header_rows.push(1);
    sheet.widths = vec![
        (1, 12.0),
        (2, 10.0),
        (5, 16.0),
        (6, 24.0),
        (8, 18.0),
        (10, 18.0),
        (11, 22.0),
        (15, 40.0),
    ];
    // One repeat applicant gets a homophone typo in the name for certain.
    let typo_at = {
        let candidates: Vec<usize> = (0..apps.len())
            .filter(|&i| {
                let p = apps[i].person;
                p >= super::plan::SCRIPTED
                    && ctx.multi.contains(&p)
                    && ctx.persons[p].given.iter().any(|g| g.typo.is_some())
            })
            .collect();
        candidates.get(rng.index(candidates.len().max(1))).copied()
    };
    let mut r: u32 = 2;
    let mut number_phones = Vec::new();
    let (mut dotted_dates, mut chinese_dates) = (Vec::new(), Vec::new());
    let mut prev_year = 0;
    for (i, a) in apps.iter().enumerate() {
        let year = a.app.date.year();
        if prev_year != 0 && prev_year < 2021 && year == 2021 {
            ctx.notes.at(
                FILE,
                SHEET,
                u64::from(r) + 1,
                "blank row before the first 2021 entry",
            );
            r += 1;
        }
        prev_year = year;
        let p = &ctx.persons[a.person];
        let (mut cells, mut q) = row(&mut rng, p, a, i as i64 + 1);
        if Some(i) == typo_at
            && let Some(t) = n::typo_name(p, &mut rng)
        {
            cells[2] = Cell::Text(t);
            q.name = Some("homophone typo");
        }
        let excel_row = u64::from(r) + 1;
        if q.phone_number_cell {
            number_phones.push(excel_row);
        }
        match &cells[1] {
            Cell::Text(t) if t.contains('年') => chinese_dates.push(excel_row.to_string()),
            Cell::Text(_) => dotted_dates.push(excel_row.to_string()),
            _ => {}
        }
        if let Some(what) = q.name {
            ctx.notes.at(
                FILE,
                SHEET,
                excel_row,
                format!(
                    "name `{}` ({what}; the person is {})",
                    cells[2].display(),
                    p.name()
                ),
            );
        }
        sheet.push(r, 0, cells);
        ctx.record(FILE, SHEET, excel_row, a.person)?;
        r += 1;
    }
    let note_row = r + 1;
    sheet.push(note_row, 0, vec![Cell::text(
        "注：2022年起改用《2022年招聘台账》，本表停止更新。期望薪资按候选人原话登记，单位不统一。",
    )]);
    ctx.notes.at(
        FILE,
        SHEET,
        u64::from(note_row) + 1,
        "note row `注：2022年起改用…` under the table, after a blank row",
    );
    let list: Vec<String> = number_phones.iter().map(u64::to_string).collect();
    ctx.notes.general(
        FILE,
        SHEET,
        format!("phone stored as a number cell in rows {}", list.join(", ")),
    );
    ctx.notes.general(
        FILE,
        SHEET,
        format!(
            "登记日期 is text like `2019.5.1` in rows {} and text like `2020年5月1日` in rows {}; \
             all other rows have a date cell",
            dotted_dates.join(", "),
            chinese_dates.join(", ")
        ),
    );

    let conv = conversion(ctx.out);
    if let Some(dir) = conv.xlsx.parent() {
        fs::create_dir_all(dir)?;
    }
    cells::save_sheets(
        &conv.xlsx,
        "招聘登记表",
        std::slice::from_ref(&sheet),
        "yyyy/m/d",
    )?;
    let summary = FileSummary {
        path: conv.xls.clone(),
        rows: apps.len(),
        description: "legacy Excel 97-2003 register, 2019–2021".into(),
    };
    Ok((summary, vec![sheet], conv))
}

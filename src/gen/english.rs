//! Layout of the English sheet kept by a bilingual HR assistant in
//! 2023–2024 (`2023-2024_candidates_EN.xlsx`; `candidates_EN_NNN.xlsx` in
//! scale mode).
//!
//! The table does not start at A1: the header is at C3, after two blank
//! columns and two blank rows. Names are in English order (`San Zhang`),
//! pinyin order (`Zhang San`), passport style, an English first name
//! (`Kevin Zhou`) or left in Hanzi.

use anyhow::Result;
use chrono::Datelike;

use super::cells::{Cell, Sheet};
use super::company::POSITIONS;
use super::history::{self, Outcome};
use super::notation::{self as n, PhoneStyle, Roman};
use super::people::Person;
use super::plan::Appearance;
use super::reasons::REASONS;
use super::rng::Rng;

pub const FILE: &str = "2023-2024_candidates_EN.xlsx";
pub const SHEET: &str = "Candidates";
pub const HEADERS: [&str; 16] = [
    "Name",
    "Email",
    "Phone",
    "Position",
    "Department",
    "Applied",
    "Status",
    "Rejection Reason",
    "Expected Salary",
    "Education",
    "Years of Experience",
    "Interviewer",
    "Interview Date",
    "Overall Score",
    "Comments",
    "Start Date",
];
/// The header sits at C3.
pub const HEADER_ROW: u32 = 2;
pub const FIRST_COL: u16 = 2;

fn status(o: Outcome) -> &'static str {
    match o {
        Outcome::New => "New",
        Outcome::Screening => "Screening",
        Outcome::Interviewing => "Interviewing",
        Outcome::Offer => "Offer",
        Outcome::Hired => "Hired",
        Outcome::Rejected(_) => "Rejected",
        Outcome::Withdrew(_) => "Withdrawn",
        Outcome::Pool => "Talent Pool",
    }
}

fn salary(rng: &mut Rng, k: f64) -> String {
    let whole = (k * 1000.0) as i64;
    match rng.below(10) {
        0..=3 => n::salary(k, n::SalaryStyle::RangeK),
        4..=5 => n::salary(k, n::SalaryStyle::K),
        6 => format!("{}k/month", k),
        7 => format!("RMB {},{:03}", whole / 1000, whole % 1000),
        8 => format!("{}k/year", (k * 13.0).round()),
        _ => "Negotiable".to_string(),
    }
}

/// The name as typed into the English sheet.
pub fn name(rng: &mut Rng, p: &Person) -> String {
    let alt = if p.surname.alt.is_empty() {
        0
    } else {
        rng.index(p.surname.alt.len() + 1)
    };
    match rng.below(20) {
        0..=5 => n::roman(p, Roman::GivenFirst, alt),
        6..=10 => n::roman(p, Roman::SurnameFirst, alt),
        11..=12 => n::roman(p, Roman::Passport, alt),
        13..=15 if p.english.is_some() => n::roman(p, Roman::English, alt),
        _ => p.name(),
    }
}

pub fn row(rng: &mut Rng, p: &Person, a: &Appearance) -> Vec<Cell> {
    let app = &a.app;
    let year = app.date.year();
    let pos = &POSITIONS[app.position];
    let phone = match a.forced.phone {
        Some(f) => Cell::text(f),
        None if rng.chance(0.05) => Cell::Empty,
        None => {
            let style = match rng.below(20) {
                0..=10 => PhoneStyle::Plus86Spaced,
                11..=12 => PhoneStyle::Plus86Tight,
                13..=17 => PhoneStyle::Plain,
                _ => PhoneStyle::Dashed,
            };
            Cell::text(n::phone(p.phone_at(year), style))
        }
    };
    let email = match a.forced.email {
        Some(f) => Cell::text(f),
        None => Cell::opt(p.email_at(year).filter(|_| rng.chance(0.8))),
    };
    let reason = match (a.forced.reason, app.outcome.reason()) {
        (Some(f), _) => f.to_string(),
        (None, Some(r)) => REASONS[r].en.to_string(),
        _ => String::new(),
    };
    let last = app.last_interview();
    let overall = if app.interviews.is_empty() {
        Cell::Empty
    } else {
        let mean = app
            .interviews
            .iter()
            .map(|i| i.overall(app.position))
            .sum::<f64>()
            / app.interviews.len() as f64;
        let five = (mean / 2.0 * 10.0).round() / 10.0;
        if rng.chance(0.15) {
            Cell::Text(format!("{}/5", five))
        } else {
            Cell::Num(five)
        }
    };
    let mut comments = match (a.forced.note, last) {
        (Some(f), _) => f.to_string(),
        (None, Some(i)) => {
            let mut c = i.remark_en.clone();
            if let Some(f) = c.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            c
        }
        (None, None) => String::new(),
    };
    if a.forced.note.is_none() && rng.chance(0.3) {
        let skills = n::skills_text(rng, p, ", ");
        comments = if comments.is_empty() {
            format!("Skills: {skills}")
        } else {
            format!("{comments}. Skills: {skills}")
        };
    }
    vec![
        Cell::text(a.forced.name.map_or_else(|| name(rng, p), str::to_string)),
        email,
        phone,
        Cell::text(if rng.chance(0.8) {
            pos.en.to_string()
        } else {
            pos.title_for(year)
        }),
        Cell::text(pos.dept_en),
        if rng.chance(0.85) {
            Cell::Date(app.date)
        } else {
            Cell::Text(n::date_text(app.date, n::DateStyle::Iso))
        },
        Cell::text(status(app.outcome)),
        Cell::text(reason),
        Cell::text(
            a.forced
                .salary
                .map_or_else(|| salary(rng, app.salary_k), str::to_string),
        ),
        Cell::text(n::education_en(rng, p.education)),
        Cell::text(n::years_en(rng, p.years_at(year))),
        last.map_or(Cell::Empty, |i| {
            Cell::text(history::interviewer_en(rng, i.interviewer))
        }),
        app.interviews
            .first()
            .map_or(Cell::Empty, |i| Cell::Date(i.at.date())),
        overall,
        Cell::text(comments),
        // Filled in once a hire has started; empty for everyone else.
        app.onboard_date()
            .filter(|d| *d <= a.source.as_of())
            .map_or(Cell::Empty, Cell::Date),
    ]
}

pub fn header(sheet: &mut Sheet) {
    sheet.push(
        HEADER_ROW,
        FIRST_COL,
        HEADERS.iter().map(|h| Cell::text(*h)).collect(),
    );
    sheet.header_rows.push(HEADER_ROW);
    sheet.widths = vec![
        (0, 3.0),
        (1, 3.0),
        (2, 18.0),
        (3, 26.0),
        (4, 20.0),
        (5, 22.0),
        (16, 60.0),
        (17, 12.0),
    ];
}

pub fn write_sample(
    ctx: &mut super::sample::Ctx,
    apps: &[&Appearance],
) -> Result<(super::FileSummary, Vec<Sheet>)> {
    let mut rng = ctx.rng(3);
    let mut sheet = Sheet::new(SHEET);
    header(&mut sheet);
    let (mut text_scores, mut text_dates, mut hanzi) = (Vec::new(), Vec::new(), Vec::new());
    for (i, a) in apps.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        let excel = (r + 1).to_string();
        let p = &ctx.persons[a.person];
        let cells = row(&mut rng, p, a);
        if matches!(cells[13], Cell::Text(_)) {
            text_scores.push(excel.clone());
        }
        if matches!(cells[5], Cell::Text(_)) {
            text_dates.push(excel.clone());
        }
        if cells[0].display() == p.name() {
            hanzi.push(excel);
        }
        sheet.push(r, FIRST_COL, cells);
        ctx.record(FILE, SHEET, u64::from(r) + 1, a.person)?;
    }
    ctx.notes.general(
        FILE,
        SHEET,
        "the table starts at C3: columns A–B and rows 1–2 are empty",
    );
    ctx.notes.general(
        FILE,
        SHEET,
        format!(
            "Overall Score (1–5) is text like `4.1/5` instead of a number in rows {}",
            text_scores.join(", ")
        ),
    );
    ctx.notes.general(
        FILE,
        SHEET,
        format!(
            "Applied is text `2023-03-05` instead of a date cell in rows {}",
            text_dates.join(", ")
        ),
    );
    ctx.notes.general(
        FILE,
        SHEET,
        format!(
            "Name left in Hanzi in rows {}; all other names are romanized",
            hanzi.join(", ")
        ),
    );
    let path = ctx.out.join(FILE);
    super::cells::save_sheets(
        &path,
        "Candidates 2023-2024",
        std::slice::from_ref(&sheet),
        "yyyy-mm-dd",
    )?;
    let summary = super::FileSummary {
        path,
        rows: apps.len(),
        description: "English sheet, 2023–2024, table at C3".into(),
    };
    Ok((summary, vec![sheet]))
}

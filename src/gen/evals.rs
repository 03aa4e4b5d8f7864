//! `2024_面试评估表.xlsx` (`面试评估_NNN.xlsx` in scale mode): one row per
//! interview round of the 2024 applications in the English sheet, scored 1–5
//! per dimension. Final rounds are a panel, so the same round appears twice
//! with different interviewers and differing scores.

use anyhow::Result;
use chrono::Datelike;

use super::cells::{Cell, Sheet};
use super::company::{BOSS, INTERVIEWERS, POSITIONS};
use super::history::{Interview, Outcome};
use super::notation::{self as n, PhoneStyle};
use super::people::Person;
use super::plan::Appearance;
use super::rng::Rng;

pub const FILE: &str = "2024_面试评估表.xlsx";
pub const SHEET: &str = "面试评估";
pub const HEADERS: [&str; 13] = [
    "候选人",
    "手机",
    "应聘岗位",
    "面试轮次",
    "面试官",
    "面试日期",
    "技术能力",
    "沟通能力",
    "团队协作",
    "文化匹配",
    "综合评分",
    "面试评价",
    "结果",
];
const ROUNDS: [&str; 3] = ["一面", "二面", "终面"];

/// Whether an application belongs in the 2024 evaluation sheet.
pub fn eligible(a: &Appearance) -> bool {
    a.app.date.year() == 2024 && !a.app.interviews.is_empty()
}

fn five(v: u8) -> Cell {
    Cell::Num(f64::from(v) / 2.0)
}

fn nudge(rng: &mut Rng, v: u8) -> u8 {
    (i64::from(v) + rng.range(-2, 2)).clamp(1, 10) as u8
}

/// A second panel member's view of the same final round.
fn panel(rng: &mut Rng, i: &Interview, position: usize) -> Interview {
    let mut other = i.clone();
    other.interviewer = POSITIONS[position].lead;
    if other.interviewer == BOSS {
        other.interviewer = 4;
    }
    other.tech = nudge(rng, i.tech);
    other.comm = nudge(rng, i.comm);
    other.team = nudge(rng, i.team);
    other.culture = nudge(rng, i.culture);
    other.remark_cn = match (other.tech >= 7, other.comm >= 7) {
        (true, true) => "专业扎实，沟通能力强，建议录用".into(),
        (true, false) => "专业能力不错，表达一般".into(),
        (false, true) => "沟通能力强，但缺乏行业经验".into(),
        (false, false) => "整体一般，稳定性一般".into(),
    };
    other
}

pub fn rows(rng: &mut Rng, p: &Person, a: &Appearance) -> Vec<Vec<Cell>> {
    let app = &a.app;
    let pos = &POSITIONS[app.position];
    let phone = if rng.chance(0.85) {
        Cell::text(n::phone(
            p.phone_at(2024),
            if rng.chance(0.8) {
                PhoneStyle::Plain
            } else {
                PhoneStyle::Dashed
            },
        ))
    } else {
        Cell::Empty
    };
    let mut rounds: Vec<Interview> = Vec::new();
    for i in &app.interviews {
        rounds.push(i.clone());
        if i.round == 2 {
            rounds.push(panel(rng, i, app.position));
        }
    }
    let open = app.outcome == Outcome::Interviewing;
    let last_round = app.interviews.last().map_or(0, |i| i.round);
    rounds
        .iter()
        .map(|i| {
            let result = if open && i.round == last_round {
                "待定"
            } else if i.passed {
                "通过"
            } else {
                "不通过"
            };
            let overall = (i.overall(app.position) / 2.0 * 10.0).round() / 10.0;
            let overall = if rng.chance(0.05) {
                Cell::Text(format!("{overall}分"))
            } else {
                Cell::Num(overall)
            };
            vec![
                Cell::text(p.name()),
                phone.clone(),
                Cell::text(pos.title_for(app.date.year())),
                Cell::text(ROUNDS[usize::from(i.round.min(2))]),
                Cell::text(INTERVIEWERS[i.interviewer].cn),
                Cell::Date(i.at.date()),
                five(i.tech),
                five(i.comm),
                five(i.team),
                five(i.culture),
                overall,
                Cell::text(i.remark_cn.clone()),
                Cell::text(result),
            ]
        })
        .collect()
}

pub fn header(sheet: &mut Sheet) {
    sheet.push(0, 0, HEADERS.iter().map(|h| Cell::text(*h)).collect());
    sheet.header_rows.push(0);
    sheet.widths = vec![(1, 14.0), (2, 22.0), (5, 12.0), (11, 40.0)];
}

pub fn write_sample(
    ctx: &mut super::sample::Ctx,
    english: &[&Appearance],
) -> Result<(super::FileSummary, Vec<Sheet>)> {
    let mut rng = ctx.rng(7);
    let mut sheet = Sheet::new(SHEET);
    header(&mut sheet);
    let mut r: u32 = 1;
    let mut text_scores = Vec::new();
    for a in english.iter().filter(|a| eligible(a)) {
        let p = &ctx.persons[a.person];
        for cells in rows(&mut rng, p, a) {
            if matches!(cells[10], Cell::Text(_)) {
                text_scores.push((r + 1).to_string());
            }
            sheet.push(r, 0, cells);
            ctx.record(FILE, SHEET, u64::from(r) + 1, a.person)?;
            r += 1;
        }
    }
    if !text_scores.is_empty() {
        ctx.notes.general(
            FILE,
            SHEET,
            format!(
                "综合评分 is text like `4.2分` in rows {}",
                text_scores.join(", ")
            ),
        );
    }
    ctx.notes.general(FILE, SHEET, "scores are on a 1–5 scale (the 2022 ledger uses 1–10); each final round (终面) has two rows, one per panel interviewer, with differing scores");
    let path = ctx.out.join(FILE);
    super::cells::save_sheets(
        &path,
        "2024年面试评估表",
        std::slice::from_ref(&sheet),
        "yyyy-mm-dd",
    )?;
    let rows = (r - 1) as usize;
    Ok((
        super::FileSummary {
            path,
            rows,
            description: "2024 interview evaluations, one row per round".into(),
        },
        vec![sheet],
    ))
}

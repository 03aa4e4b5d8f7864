//! Layout of the 2022 ledger (`2022_招聘台账.xlsx`; `台账_NNN.xlsx` in scale
//! mode): a merged title row, a note row, then a two-row header whose first
//! row holds merged group cells (基础信息 / 应聘信息 / 面试评分) and whose
//! single columns span both rows; a 合计 row closes each data sheet.
//!
//! In the committed sample the 部门 column of the first half-year is a
//! VLOOKUP into the hidden 下拉选项 sheet; titles typed as a variant are not
//! in the lookup list, so those cells cache `#N/A` — which is how error
//! cells get into real ledgers.

use anyhow::Result;
use chrono::Datelike;

use super::cells::{Cell, Merge, Sheet};
use super::company::{CHANNELS, INTERVIEWERS, POSITIONS};
use super::history::Outcome;
use super::notation::{self as n, DateStyle, PhoneStyle, SalaryStyle};
use super::people::Person;
use super::plan::Appearance;
use super::reasons::REASONS;
use super::rng::Rng;

pub const FILE: &str = "2022_招聘台账.xlsx";
pub const LOOKUP_SHEET: &str = "下拉选项";
pub const GUIDE_SHEET: &str = "填表说明";

pub const CHILD: [&str; 12] = [
    "姓名",
    "性别",
    "手机号",
    "邮箱",
    "应聘岗位",
    "部门",
    "投递日期",
    "渠道",
    "期望薪资",
    "技术",
    "协作",
    "文化",
];
pub const SINGLE: [&str; 7] = [
    "面试官",
    "面试时间",
    "面试评价",
    "状态",
    "淘汰原因",
    "备注",
    "备注",
];
const GROUPS: [(&str, u16, u16); 3] = [("基础信息", 0, 3), ("应聘信息", 4, 8), ("面试评分", 9, 11)];

/// 0-based column indexes used when planting defects.
#[cfg(test)]
pub const C_NAME: usize = 0;
pub const C_PHONE: usize = 2;
pub const C_DEPT: usize = 5;
pub const C_APPLIED: usize = 6;
pub const C_SALARY: usize = 8;
pub const C_INTERVIEW_AT: usize = 13;
/// 0-based row of the first data row (Excel row 5).
pub const FIRST_DATA_ROW: u32 = 4;

pub const STATUSES: [&str; 8] = [
    "待筛选",
    "初筛通过",
    "已面试",
    "已发offer",
    "已入职",
    "淘汰",
    "放弃",
    "人才库",
];

fn status(o: Outcome) -> &'static str {
    match o {
        Outcome::New => STATUSES[0],
        Outcome::Screening => STATUSES[1],
        Outcome::Interviewing => STATUSES[2],
        Outcome::Offer => STATUSES[3],
        Outcome::Hired => STATUSES[4],
        Outcome::Rejected(_) => STATUSES[5],
        Outcome::Withdrew(_) => STATUSES[6],
        Outcome::Pool => STATUSES[7],
    }
}

const SALARY: &[(SalaryStyle, u32)] = &[
    (SalaryStyle::K, 20),
    (SalaryStyle::RangeK, 18),
    (SalaryStyle::KPerMonth, 10),
    (SalaryStyle::Wan, 10),
    (SalaryStyle::ThirteenMonths, 8),
    (SalaryStyle::TildeRange, 6),
    (SalaryStyle::MonthlyPrefix, 6),
    (SalaryStyle::AnnualPrefix, 5),
    (SalaryStyle::Negotiable, 6),
    (SalaryStyle::Yuan, 6),
];

const PHONES: &[(PhoneStyle, u32)] = &[
    (PhoneStyle::Plain, 60),
    (PhoneStyle::Dashed, 12),
    (PhoneStyle::Spaced, 8),
    (PhoneStyle::Plus86, 6),
    (PhoneStyle::FullWidth, 5),
];

/// Title, note and the two header rows of a data sheet.
pub fn header(sheet: &mut Sheet, title: &str) {
    let last = (CHILD.len() + SINGLE.len()) as u16 - 1;
    sheet.merges.push(Merge {
        first: (0, 0),
        last: (0, last),
        text: title.into(),
        title: true,
    });
    sheet.merges.push(Merge {
        first: (1, 0),
        last: (1, last),
        text: "说明：状态请从下拉选项中选择；面试评分为1-10分（技术/协作/文化）；手机号以简历为准。维护人：孙悦".into(),
        title: false,
    });
    for (text, a, b) in GROUPS {
        sheet.merges.push(Merge {
            first: (2, a),
            last: (2, b),
            text: text.into(),
            title: false,
        });
    }
    for (i, text) in SINGLE.iter().enumerate() {
        let col = CHILD.len() as u16 + i as u16;
        sheet.merges.push(Merge {
            first: (2, col),
            last: (3, col),
            text: (*text).into(),
            title: false,
        });
    }
    sheet.push(3, 0, CHILD.iter().map(|h| Cell::text(*h)).collect());
    sheet.header_rows.push(3);
    sheet.widths = vec![
        (2, 15.0),
        (3, 22.0),
        (4, 18.0),
        (6, 12.0),
        (13, 16.0),
        (14, 40.0),
    ];
}

/// The 合计 row under the data.
pub fn total_row(count: usize) -> Vec<Cell> {
    vec![Cell::text("合计"), Cell::text(format!("共 {count} 人"))]
}

/// One ledger row. `lookup_row` (1-based Excel row) makes 部门 a VLOOKUP.
pub fn row(rng: &mut Rng, p: &Person, a: &Appearance, lookup_row: Option<u32>) -> Vec<Cell> {
    let app = &a.app;
    let year = app.date.year();
    let pos = &POSITIONS[app.position];
    let title = if rng.chance(0.75) {
        pos.title_for(year)
    } else {
        rng.choose(pos.variants).to_string()
    };
    // The lookup list holds only current titles; anything else is #N/A.
    let listed = title == pos.title;
    let dept = match lookup_row {
        Some(r) => Cell::Formula {
            formula: format!("VLOOKUP(E{r},'{LOOKUP_SHEET}'!$D$2:$E$20,2,FALSE)"),
            cached: if listed {
                pos.dept.to_string()
            } else {
                "#N/A".to_string()
            },
        },
        None if rng.chance(0.9) => Cell::text(pos.dept),
        None => Cell::Empty,
    };
    let applied = if rng.chance(0.12) {
        Cell::Text(n::date_text(app.date, DateStyle::Dots))
    } else {
        Cell::Date(app.date)
    };
    let phone = match a.forced.phone {
        Some(f) => Cell::text(f),
        None => Cell::text(n::phone(p.phone_at(year), n::pick_phone_style(rng, PHONES))),
    };
    let email = match a.forced.email {
        Some(f) => Cell::text(f),
        None => Cell::opt(p.email_at(year).filter(|_| rng.chance(0.65))),
    };
    let salary = a
        .forced
        .salary
        .map_or_else(|| n::pick_salary(rng, app.salary_k, SALARY), str::to_string);
    let first = app.interviews.first();
    let score = |v: Option<u8>| v.map_or(Cell::Empty, |v| Cell::Int(i64::from(v)));
    let interviewers: Vec<&str> = app
        .interviews
        .iter()
        .map(|i| INTERVIEWERS[i.interviewer].cn)
        .collect();
    let remark = match app.interviews.as_slice() {
        [] => String::new(),
        [one] => one.remark_cn.clone(),
        many => many
            .iter()
            .map(|i| {
                format!(
                    "{}：{}",
                    ["一面", "二面", "终面"][usize::from(i.round.min(2))],
                    i.remark_cn
                )
            })
            .collect::<Vec<_>>()
            .join("；"),
    };
    let reason = match (a.forced.reason, app.outcome.reason()) {
        (Some(f), _) => f.to_string(),
        (None, Some(r)) => rng.pick(REASONS[r].cn).to_string(),
        _ => String::new(),
    };
    let note_hr = if CHANNELS[app.channel].0 == "内推" {
        format!("内推人：{}", rng.pick(&["何磊", "陈工", "林婷", "周晓东"]))
    } else if rng.chance(0.3) {
        format!("技能：{}", n::skills_text(rng, p, "/"))
    } else {
        String::new()
    };
    let note_dept = match rng.below(6) {
        0 => "已电话沟通",
        1 => "简历已转部门",
        2 if !app.interviews.is_empty() => "面试记录见附件",
        _ => "",
    };
    // The second 备注 is where the department notes the start of a hire.
    let note_dept = match app.onboard_note(a.source.as_of(), DateStyle::Dots, "到岗") {
        Some(start) if note_dept.is_empty() => start,
        Some(start) => format!("{note_dept}，{start}"),
        None => note_dept.to_string(),
    };
    vec![
        Cell::text(a.forced.name.map_or_else(|| p.name(), str::to_string)),
        Cell::text(if p.female { "女" } else { "男" }),
        phone,
        email,
        Cell::text(title),
        dept,
        applied,
        Cell::text(CHANNELS[app.channel].0),
        Cell::text(salary),
        score(first.map(|i| i.tech)),
        score(first.map(|i| ((u16::from(i.comm) + u16::from(i.team)) / 2) as u8)),
        score(first.map(|i| i.culture)),
        Cell::text(interviewers.join("、")),
        first.map_or(Cell::Empty, |i| Cell::DateTime(i.at)),
        Cell::text(remark),
        Cell::text(status(app.outcome)),
        Cell::text(reason),
        Cell::text(note_hr),
        Cell::text(note_dept),
    ]
}

/// The hidden drop-down lists: 状态, 渠道, and 岗位→部门 for the VLOOKUP.
pub fn lookup_sheet() -> Sheet {
    let mut s = Sheet::new(LOOKUP_SHEET);
    s.push(
        0,
        0,
        vec![
            Cell::text("状态"),
            Cell::text("渠道"),
            Cell::Empty,
            Cell::text("岗位"),
            Cell::text("部门"),
        ],
    );
    let rows = STATUSES.len().max(CHANNELS.len()).max(POSITIONS.len());
    for i in 0..rows {
        s.push(
            i as u32 + 1,
            0,
            vec![
                Cell::opt(STATUSES.get(i).copied()),
                Cell::opt(CHANNELS.get(i).map(|c| c.0)),
                Cell::Empty,
                Cell::opt(POSITIONS.get(i).map(|p| p.title)),
                Cell::opt(POSITIONS.get(i).map(|p| p.dept)),
            ],
        );
    }
    s.hidden = true;
    s
}

/// Free-text instructions; a sheet with no header at all.
pub fn guide_sheet() -> Sheet {
    let mut s = Sheet::new(GUIDE_SHEET);
    let lines = [
        "填表说明",
        "1. 每投递一次登记一行，同一人多次投递请分别登记。",
        "2. 手机号填11位，不要加空格或横线（历史数据未统一）。",
        "3. 投递日期、面试时间请用日期格式，例如 2022/3/15。",
        "4. 状态、渠道请从“下拉选项”中选择，不要手工输入。",
        "5. 面试评分1-10分：技术=专业能力，协作=沟通与团队协作，文化=价值观匹配。",
        "6. 淘汰原因请写具体，例如：技术能力不足、期望薪资过高、岗位已满。",
        "如有疑问请联系人力资源部 孙悦（分机 8023）。",
    ];
    for (i, l) in lines.iter().enumerate() {
        s.push(i as u32, 0, vec![Cell::text(*l)]);
    }
    s.widths = vec![(0, 80.0)];
    s
}

pub fn write_sample(
    ctx: &mut super::sample::Ctx,
    apps: &[&Appearance],
) -> Result<(super::FileSummary, Vec<Sheet>)> {
    let mut rng = ctx.rng(2);
    let (h1, h2): (Vec<&Appearance>, Vec<&Appearance>) =
        apps.iter().partition(|a| a.app.date.month() <= 6);
    let mut sheets = Vec::new();
    for (name, list, vlookup) in [("2022上半年", h1, true), ("2022下半年", h2, false)] {
        let mut sheet = Sheet::new(name);
        header(&mut sheet, "2022年招聘台账");
        let mut rows: Vec<Vec<Cell>> = list
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let excel_row = FIRST_DATA_ROW + i as u32 + 1;
                row(
                    &mut rng,
                    &ctx.persons[a.person],
                    a,
                    vlookup.then_some(excel_row),
                )
            })
            .collect();
        let mut free: Vec<usize> = (0..list.len())
            .filter(|&i| list[i].person >= super::plan::SCRIPTED)
            .collect();
        rng.shuffle(&mut free);
        let excel = |i: usize| u64::from(FIRST_DATA_ROW) + i as u64 + 1;
        if vlookup {
            // An impossible date typed as text where the real one was late February.
            free.sort_by_key(|&i| (list[i].app.date.month() != 2, list[i].app.date));
            let i = free.remove(0);
            rows[i][C_APPLIED] = Cell::text("2022-02-30");
            ctx.notes.at(
                FILE,
                name,
                excel(i),
                "投递日期 is the impossible date `2022-02-30` (text)",
            );
            let i = free.pop().expect("enough rows for defects");
            let digits = ctx.persons[list[i].person].phone_at(2022);
            rows[i][C_PHONE] = Cell::text(&digits[..10]);
            ctx.notes.at(
                FILE,
                name,
                excel(i),
                format!("phone has only 10 digits: `{}`", &digits[..10]),
            );
            if let Some(pos) = free
                .iter()
                .position(|&i| !list[i].app.interviews.is_empty())
            {
                let i = free.remove(pos);
                let at = list[i].app.interviews[0].at;
                let text = format!("{}月{}日下午", at.month(), at.day());
                ctx.notes.at(
                    FILE,
                    name,
                    excel(i),
                    format!("面试时间 is the text `{text}` (no year)"),
                );
                rows[i][C_INTERVIEW_AT] = Cell::Text(text);
            }
        } else {
            let i = free.pop().expect("enough rows for defects");
            rows[i][C_SALARY] = Cell::text("看情况");
            ctx.notes.at(FILE, name, excel(i), "期望薪资 is `看情况`");
            let i = free.pop().expect("enough rows for defects");
            let digits = ctx.persons[list[i].person].phone_at(2022);
            rows[i][C_PHONE] = Cell::Text(n::masked(digits));
            rows[i][7] = Cell::text("BOSS直聘");
            ctx.notes.at(
                FILE,
                name,
                excel(i),
                format!(
                    "masked phone `{}` (job board number not unlocked)",
                    n::masked(digits)
                ),
            );
        }
        let mut na_rows = Vec::new();
        let mut text_dates = Vec::new();
        for (i, (cells, a)) in rows.into_iter().zip(&list).enumerate() {
            if matches!(&cells[C_DEPT], Cell::Formula { cached, .. } if cached == "#N/A") {
                na_rows.push(excel(i).to_string());
            }
            if matches!(&cells[C_APPLIED], Cell::Text(t) if t.contains('.')) {
                text_dates.push(excel(i).to_string());
            }
            sheet.push(FIRST_DATA_ROW + i as u32, 0, cells);
            ctx.record(FILE, name, excel(i), a.person)?;
        }
        let total_at = FIRST_DATA_ROW + list.len() as u32;
        sheet.push(total_at, 0, total_row(list.len()));
        ctx.notes.at(
            FILE,
            name,
            u64::from(total_at) + 1,
            format!("total row `合计` / `共 {} 人`", list.len()),
        );
        if !na_rows.is_empty() {
            ctx.notes.general(
                FILE,
                name,
                format!("部门 is a VLOOKUP formula; where the title is not in the lookup list its cached value is the error `#N/A`: rows {}", na_rows.join(", ")),
            );
        }
        if !text_dates.is_empty() {
            ctx.notes.general(
                FILE,
                name,
                format!(
                    "投递日期 is text like `2022.3.5` instead of a date cell in rows {}",
                    text_dates.join(", ")
                ),
            );
        }
        sheets.push(sheet);
    }
    sheets.push(lookup_sheet());
    sheets.push(guide_sheet());
    ctx.notes.general(
        FILE,
        LOOKUP_SHEET,
        "hidden sheet with drop-down lists (状态, 渠道, 岗位→部门); no candidate header",
    );
    ctx.notes.general(
        FILE,
        GUIDE_SHEET,
        "visible sheet of free-text instructions; no header",
    );
    ctx.notes.general(FILE, "", "two-row header: row 3 holds merged group cells (基础信息 A–D, 应聘信息 E–I, 面试评分 J–L), row 4 the field names; 面试官…备注 (M–S) are merged vertically over rows 3–4; `备注` appears twice (R, S); title row 1 and note row 2 are merged across A–S");
    let path = ctx.out.join(FILE);
    super::cells::save_sheets(&path, "2022年招聘台账", &sheets, "yyyy/m/d")?;
    let summary = super::FileSummary {
        path,
        rows: apps.len(),
        description: "2022 ledger, two-row merged header".into(),
    };
    Ok((summary, sheets))
}

//! Layout of `old_hr_system_export_gbk.csv`: the export of the HR system
//! used until mid-2021. Strictly GBK, comma-delimited, CRLF, quoted only
//! where needed.
//!
//! The system normalised some things (dates as `2020/5/1`, experience from a
//! drop-down such as `3-5年`) and not others (free-text salary, names typed
//! with a traditional-Chinese input method). The committed sample also
//! carries one ragged row (an unquoted comma in the employer), one remark
//! with a quoted line break and one 身份证 with a wrong check digit.

use std::fs::File;
use std::io::BufWriter;

use anyhow::Result;
use chrono::Datelike;

use super::cells::{TextEncoding, TextSink, record_line};
use super::company::{CHANNELS, INTERVIEWERS, POSITIONS};
use super::history::Outcome;
use super::ident;
use super::notation::{self as n, DateStyle, PhoneStyle, SalaryStyle};
use super::people::Person;
use super::plan::Appearance;
use super::reasons::REASONS;
use super::rng::Rng;

pub const FILE: &str = "old_hr_system_export_gbk.csv";
pub const HEADERS: [&str; 19] = [
    "候选人姓名",
    "性别",
    "手机号码",
    "电子邮箱",
    "身份证号码",
    "出生日期",
    "最高学历",
    "毕业院校",
    "专业",
    "工作年限",
    "最近工作单位",
    "期望薪资",
    "应聘职位",
    "用人部门",
    "投递日期",
    "招聘渠道",
    "当前状态",
    "未录用原因",
    "备注",
];
pub const C_ID: usize = 4;
pub const C_EMPLOYER: usize = 10;
pub const C_NOTE: usize = 18;

fn status(o: Outcome) -> &'static str {
    match o {
        Outcome::New => "待处理",
        Outcome::Screening => "筛选中",
        Outcome::Interviewing => "面试中",
        Outcome::Offer => "已发offer",
        Outcome::Hired => "已录用",
        Outcome::Rejected(_) => "已淘汰",
        Outcome::Withdrew(_) => "已放弃",
        Outcome::Pool => "储备",
    }
}

const SALARY: &[(SalaryStyle, u32)] = &[
    (SalaryStyle::Wan, 35),
    (SalaryStyle::Yuan, 25),
    (SalaryStyle::Negotiable, 12),
    (SalaryStyle::K, 10),
    (SalaryStyle::RangeK, 8),
    (SalaryStyle::AnnualWan, 5),
    (SalaryStyle::YuanTimesMonths, 5),
];

/// What a row's name cell shows, for the README.
pub enum NameForm {
    Plain,
    Traditional,
    Typo,
}

/// The 19 fields of one record.
pub fn fields(rng: &mut Rng, p: &Person, a: &Appearance) -> (Vec<String>, NameForm) {
    let app = &a.app;
    let year = app.date.year();
    let trad = p.trad_name();
    let (name, form) = if let Some(f) = a.forced.name {
        (
            f.to_string(),
            if f == trad {
                NameForm::Traditional
            } else {
                NameForm::Plain
            },
        )
    } else if trad != p.name() && rng.chance(0.25) {
        (trad, NameForm::Traditional)
    } else if rng.chance(0.03)
        && let Some(t) = n::typo_name(p, rng)
    {
        (t, NameForm::Typo)
    } else {
        (p.name(), NameForm::Plain)
    };
    let phone = match a.forced.phone {
        Some(f) => f.to_string(),
        None => match rng.below(100) {
            0..=74 => p.phone_at(year).to_string(),
            75..=86 => n::phone(p.phone_at(year), PhoneStyle::Plus86),
            87..=91 => n::phone(p.phone_at(year), PhoneStyle::Zero86),
            92..=96 => n::phone(p.phone_at(year), PhoneStyle::Dashed),
            _ => String::new(),
        },
    };
    let email = a.forced.email.map(str::to_string).or_else(|| {
        p.email_at(year)
            .filter(|_| rng.chance(0.6))
            .map(str::to_string)
    });
    let has_id = rng.chance(0.55);
    let birth = if has_id || rng.chance(0.7) {
        n::date_text(p.birth, DateStyle::Slashes)
    } else {
        String::new()
    };
    let pos = &POSITIONS[app.position];
    let reason = match (a.forced.reason, app.outcome.reason()) {
        (Some(f), _) => f.to_string(),
        (None, Some(r)) => rng.pick(REASONS[r].cn).to_string(),
        _ => String::new(),
    };
    let note = match (a.forced.note, app.last_interview()) {
        (Some(f), _) => f.to_string(),
        (None, Some(i)) if rng.chance(0.35) => {
            format!("{}：{}", INTERVIEWERS[i.interviewer].cn, i.remark_cn)
        }
        _ if rng.chance(0.1) => format!("技能: {}", n::skills_text(rng, p, ", ")),
        _ => String::new(),
    };
    // The system's 备注 is where HR typed the start date of a hire.
    let note = match app.onboard_note(a.source.as_of(), DateStyle::Slashes, "已入职") {
        Some(start) if a.forced.note.is_none() && note.is_empty() => start,
        Some(start) if a.forced.note.is_none() => format!("{note}；{start}"),
        _ => note,
    };
    let f = vec![
        name,
        (if p.female { "女" } else { "男" }).to_string(),
        phone,
        email.unwrap_or_default(),
        if has_id {
            p.id_card.clone()
        } else {
            String::new()
        },
        birth,
        n::education_cn(rng, p.education, true).to_string(),
        p.school.to_string(),
        p.major.to_string(),
        n::years_bucket(p.years_at(year)).to_string(),
        p.employer.to_string(),
        a.forced
            .salary
            .map_or_else(|| n::pick_salary(rng, app.salary_k, SALARY), str::to_string),
        pos.title_typed(rng, year),
        pos.dept.to_string(),
        n::date_text(app.date, DateStyle::Slashes),
        CHANNELS[app.channel].0.to_string(),
        status(app.outcome).to_string(),
        reason,
        note,
    ];
    (f, form)
}

pub fn header_line() -> String {
    let h: Vec<(String, bool)> = HEADERS.iter().map(|h| (h.to_string(), false)).collect();
    record_line(&h, ',')
}

pub fn write_sample(
    ctx: &mut super::sample::Ctx,
    apps: &[&Appearance],
) -> Result<super::FileSummary> {
    let mut rng = ctx.rng(4);
    let path = ctx.out.join(FILE);
    let mut sink = TextSink::new(BufWriter::new(File::create(&path)?), TextEncoding::Gbk)?;
    sink.write(&header_line())?;
    let mut rows: Vec<(Vec<String>, NameForm)> = apps
        .iter()
        .map(|a| fields(&mut rng, &ctx.persons[a.person], a))
        .collect();
    let mut free: Vec<usize> = (0..apps.len())
        .filter(|&i| apps[i].person >= super::plan::SCRIPTED)
        .collect();
    rng.shuffle(&mut free);
    let ragged = free.pop().expect("enough rows");
    let multiline = free.pop().expect("enough rows");
    rows[multiline].0[C_NOTE] = "电话沟通两次：\n第一次未接通，第二次约了面试".to_string();
    let bad_id = free
        .iter()
        .copied()
        .find(|&i| !rows[i].0[C_ID].is_empty())
        .expect("a row with an id");
    rows[bad_id].0[C_ID] = ident::corrupt_check_digit(&rows[bad_id].0[C_ID]);
    // One repeat applicant's name is typed with a homophone typo.
    if let Some(i) = free.iter().copied().find(|&i| {
        let p = apps[i].person;
        i != bad_id
            && ctx.multi.contains(&p)
            && matches!(rows[i].1, NameForm::Plain)
            && ctx.persons[p].given.iter().any(|g| g.typo.is_some())
    }) && let Some(t) = n::typo_name(&ctx.persons[apps[i].person], &mut rng)
    {
        rows[i].0[0] = t;
        rows[i].1 = NameForm::Typo;
    }
    let mut trad_rows = Vec::new();
    for (i, ((mut f, form), a)) in rows.into_iter().zip(apps).enumerate() {
        let mut cells: Vec<(String, bool)> = Vec::with_capacity(20);
        if i == ragged {
            // The employer typed with an ASCII comma and exported unquoted.
            f[C_EMPLOYER] = "杭州星辰网络有限公司,滨江分公司".to_string();
        }
        for (c, v) in f.into_iter().enumerate() {
            cells.push((v, i == ragged && c == C_EMPLOYER));
        }
        let line = sink.write(&record_line(&cells, ','))?;
        ctx.record(FILE, "", line, a.person)?;
        if matches!(form, NameForm::Traditional) {
            trad_rows.push(format!("{line} ({})", cells[0].0));
        }
        if i == ragged {
            ctx.notes.at(FILE, "", line, "ragged row: 最近工作单位 `杭州星辰网络有限公司,滨江分公司` is unquoted, so the record has 20 fields instead of 19");
        }
        if i == multiline {
            ctx.notes.at(
                FILE,
                "",
                line,
                "备注 is a quoted field with a line break; the record spans two physical lines",
            );
        }
        if matches!(form, NameForm::Typo) {
            let p = &ctx.persons[a.person];
            ctx.notes.at(
                FILE,
                "",
                line,
                format!(
                    "name `{}` (homophone typo; the person is {})",
                    cells[0].0,
                    p.name()
                ),
            );
        }
        if i == bad_id {
            ctx.notes.at(
                FILE,
                "",
                line,
                format!("身份证号码 `{}` has a wrong check digit", cells[C_ID].0),
            );
        }
    }
    ctx.notes.general(
        FILE,
        "",
        format!(
            "names in traditional characters on lines {}",
            trad_rows.join(", ")
        ),
    );
    ctx.notes.general(
        FILE,
        "",
        "row numbers are physical lines (line 1 is the header); GBK, CRLF",
    );
    sink.finish()?;
    Ok(super::FileSummary {
        path,
        rows: apps.len(),
        description: "old HR system export, GBK CSV".into(),
    })
}

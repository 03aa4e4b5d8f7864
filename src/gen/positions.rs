//! `positions.xlsx`: the current list of positions (sheet 岗位) with
//! required and bonus skills, budgets, status (开放 / 重新开放 / 关闭) and the
//! interview weighting. Identical in sample and scale mode.

use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;

use super::FileSummary;
use super::cells::{self, Cell, Sheet};
use super::company::POSITIONS;

pub const FILE: &str = "positions.xlsx";
pub const SHEET: &str = "岗位";
pub const HEADERS: [&str; 15] = [
    "岗位编号",
    "岗位名称",
    "部门",
    "岗位类别",
    "必备技能",
    "加分技能",
    "最低年限",
    "学历要求",
    "城市",
    "薪资预算",
    "岗位状态",
    "开放日期",
    "招聘人数",
    "评估权重",
    "英文名称",
];

pub fn sheet() -> Sheet {
    let mut s = Sheet::new(SHEET);
    s.push(0, 0, HEADERS.iter().map(|h| Cell::text(*h)).collect());
    s.header_rows.push(0);
    for (i, p) in POSITIONS.iter().enumerate() {
        let opened = NaiveDate::from_ymd_opt(p.opened.0, p.opened.1, p.opened.2)
            .expect("valid literal date");
        s.push(
            i as u32 + 1,
            0,
            vec![
                Cell::text(p.code),
                Cell::text(p.title),
                Cell::text(p.dept),
                Cell::text(p.category),
                Cell::text(p.required),
                Cell::text(p.bonus),
                Cell::Int(i64::from(p.min_years)),
                Cell::text(p.education),
                Cell::text(p.city),
                Cell::text(p.budget),
                Cell::text(p.status),
                Cell::Date(opened),
                Cell::Int(i64::from(p.headcount)),
                Cell::text(p.weights),
                Cell::text(p.en),
            ],
        );
    }
    s.widths = vec![(1, 24.0), (4, 20.0), (5, 22.0), (13, 22.0), (14, 22.0)];
    s
}

pub fn write(out: &Path) -> Result<(FileSummary, Vec<Sheet>)> {
    let path = out.join(FILE);
    let s = sheet();
    cells::save_sheets(&path, "岗位列表", std::slice::from_ref(&s), "yyyy-mm-dd")?;
    Ok((
        FileSummary {
            path,
            rows: POSITIONS.len(),
            description: "positions (role = positions)".into(),
        },
        vec![s],
    ))
}

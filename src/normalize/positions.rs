//! One row of a positions sheet: title, family, skills, requirements,
//! budget, status, headcount and per-position evaluation weights.

use super::Context;
use super::cells;
use super::row::{Outcome, RowReader};
use crate::columns::Field;
use crate::ingest::header::HeaderTable;
use crate::ingest::{RawRow, RawTable};
use crate::model::{Dataset, Origin, PositionRecord, stable_id};
use crate::rules::{self, Reject};

const POSITION: &str = "position";

/// Position status codes.
pub fn position_status(raw: &str) -> Result<&'static str, Reject> {
    let t = rules::text::nfkc_clean(raw).to_lowercase();
    const TABLE: &[(&str, &str)] = &[
        ("重新开放", "reopened"),
        ("重开", "reopened"),
        ("reopened", "reopened"),
        ("re-opened", "reopened"),
        ("开放", "open"),
        ("招聘中", "open"),
        ("在招", "open"),
        ("open", "open"),
        ("active", "open"),
        ("关闭", "closed"),
        ("已关闭", "closed"),
        ("暂停", "closed"),
        ("已招满", "closed"),
        ("closed", "closed"),
        ("paused", "closed"),
        ("filled", "closed"),
    ];
    TABLE
        .iter()
        .find(|(phrase, _)| t == *phrase)
        .or_else(|| TABLE.iter().find(|(phrase, _)| t.contains(phrase)))
        .map(|(_, code)| *code)
        .ok_or_else(|| {
            Reject::new(
                "not a position status: expected 开放/open, 重新开放/reopened or 关闭/closed",
            )
        })
}

/// Job family codes used to pick notice wording and suggestions.
pub fn job_family(raw: &str) -> &'static str {
    let t = rules::text::nfkc_clean(raw).to_lowercase();
    const TABLE: &[(&str, &str)] = &[
        ("校招", "campus"),
        ("校园", "campus"),
        ("应届", "campus"),
        ("campus", "campus"),
        ("graduate", "campus"),
        ("技术", "tech"),
        ("研发", "tech"),
        ("开发", "tech"),
        ("工程", "tech"),
        ("tech", "tech"),
        ("engineering", "tech"),
        ("销售", "sales"),
        ("商务", "sales"),
        ("sales", "sales"),
    ];
    TABLE
        .iter()
        .find(|(p, _)| t.contains(p))
        .map_or("other", |(_, c)| c)
}

/// Parses `技术40/协作30/文化30` or `technical: 0.4, teamwork: 0.3` into JSON
/// weights over score dimensions, normalized to sum to 1.
pub fn weights(raw: &str, headers: &HeaderTable) -> Result<String, Reject> {
    let text = rules::text::nfkc_clean(raw);
    let mut out: std::collections::BTreeMap<&'static str, f64> = std::collections::BTreeMap::new();
    for part in text.split(['/', ',', '，', ';', '；', '、']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let split = part
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(part.len());
        let (label, number) = part.split_at(split);
        let label = label.trim().trim_end_matches([':', '：', '=']).trim();
        let number = number.trim().trim_end_matches('%').trim();
        let value: f64 = number.parse().map_err(|_| {
            Reject::new("not evaluation weights: expected forms like 技术40/协作30/文化30")
        })?;
        let dim = match headers.lookup(label).map(|(f, _)| f) {
            Some(Field::ScoreTechnical) => "technical",
            Some(Field::ScoreBusiness) => "business",
            Some(Field::ScoreCommunication) => "communication",
            Some(Field::ScoreTeamwork) => "teamwork",
            Some(Field::ScoreCulture) => "culture",
            _ => {
                return Err(Reject::new(format!(
                    "unknown evaluation dimension `{label}`: expected technical/技术, business/业务, communication/沟通, teamwork/协作, culture/文化"
                )));
            }
        };
        *out.entry(dim).or_default() += value;
    }
    let total: f64 = out.values().sum();
    if out.is_empty() || total <= 0.0 {
        return Err(Reject::new(
            "not evaluation weights: expected forms like 技术40/协作30/文化30",
        ));
    }
    let normalized: std::collections::BTreeMap<&str, f64> = out
        .into_iter()
        .map(|(k, v)| (k, (v / total * 1000.0).round() / 1000.0))
        .collect();
    Ok(serde_json::to_string(&normalized).expect("map serializes"))
}

/// Normalizes one positions-sheet row into `out`.
pub fn position(
    table: &RawTable,
    raw: &RawRow,
    origin: Origin,
    ctx: &Context,
    out: &mut Dataset,
) -> Outcome {
    let s = ctx.settings;
    let mut r = RowReader::new(table, origin.clone());
    let mut p = PositionRecord {
        origin: Some(origin.clone()),
        ..Default::default()
    };
    let mut explicit_id = None;
    for (_, col, cell, field, text) in r.mapped_cells(table, raw) {
        let clean = rules::text::nfkc_clean(&text);
        let result: Result<String, Reject> = match field {
            Field::PositionId => {
                explicit_id = Some(clean.clone());
                Ok(clean)
            }
            Field::Position => {
                p.title = clean.clone();
                Ok(clean)
            }
            Field::Department => {
                p.department = Some(clean.clone());
                Ok(clean)
            }
            Field::City => {
                let c = rules::address::normalize_city(&text);
                p.city = Some(c.clone());
                Ok(c)
            }
            Field::JobFamily => {
                let f = job_family(&text);
                p.job_family = Some(f);
                Ok(f.to_string())
            }
            Field::RequiredSkills | Field::Skills => {
                p.required_skills = cells::list(&text);
                Ok(p.required_skills.join("; "))
            }
            Field::NiceSkills => {
                p.nice_skills = cells::list(&text);
                Ok(p.nice_skills.join("; "))
            }
            Field::MinYears | Field::YearsExperience => {
                rules::experience::parse_years(&text).map(|y| {
                    p.min_years = Some(y.min as f64);
                    crate::output::format_float(y.min as f64)
                })
            }
            Field::EducationMin | Field::Education => {
                rules::education::parse_education(&text, &s.vocab).map(|e| {
                    p.education_min = Some(e.level.code());
                    e.level.code().to_string()
                })
            }
            Field::Budget | Field::ExpectedSalary => {
                rules::salary::parse_salary(&text, col.unit_hint.as_deref()).map(|sal| {
                    p.budget_min = sal.min.map(f64::round);
                    p.budget_max = sal.max.map(f64::round);
                    clean.clone()
                })
            }
            Field::PositionStatus | Field::Status => position_status(&text).map(|st| {
                p.status = Some(st);
                st.to_string()
            }),
            Field::OpenedAt | Field::AppliedAt => cells::date(cell, s.day_first).map(|d| {
                p.opened_at = Some(d);
                d.to_string()
            }),
            Field::Headcount => cells::count(cell).map(|n| {
                p.headcount = Some(n);
                n.to_string()
            }),
            Field::Weights => weights(&text, &s.headers).inspect(|w| p.weights = Some(w.clone())),
            Field::TitleAliases => {
                p.aliases = cells::list(&text);
                Ok(p.aliases.join("; "))
            }
            _ => continue,
        };
        match result {
            Ok(v) => r.keep(POSITION, col, field, v),
            Err(x) => r.refuse(col, cell, &x),
        }
    }
    if p.title.is_empty() {
        let q = r.quarantine_row(raw, "a position row without a title");
        out.quarantine.push(q);
        return Outcome::Quarantined;
    }
    p.position_id = explicit_id
        .unwrap_or_else(|| stable_id("P", &[&p.title, p.department.as_deref().unwrap_or("")]));
    let id = p.position_id.clone();
    r.write_lineage(&|_| std::sync::Arc::from(id.as_str()), &mut out.lineage);
    let values_quarantined = r.quarantine.len() as u64;
    out.quarantine.append(&mut r.quarantine);
    out.positions.push(p);
    Outcome::Kept { values_quarantined }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_parse_and_normalize() {
        let h = HeaderTable::builtin();
        assert_eq!(
            weights("技术40/协作30/文化30", h).unwrap(),
            r#"{"culture":0.3,"teamwork":0.3,"technical":0.4}"#
        );
        assert_eq!(
            weights("technical: 2, culture: 1, teamwork: 1", h).unwrap(),
            r#"{"culture":0.25,"teamwork":0.25,"technical":0.5}"#
        );
        assert!(weights("颜值100", h).is_err());
        assert!(weights("技术", h).is_err());
    }

    #[test]
    fn statuses_and_families() {
        assert_eq!(position_status("重新开放"), Ok("reopened"));
        assert_eq!(position_status("开放"), Ok("open"));
        assert_eq!(position_status("Closed"), Ok("closed"));
        assert!(position_status("未知").is_err());
        assert_eq!(job_family("技术"), "tech");
        assert_eq!(job_family("销售类"), "sales");
        assert_eq!(job_family("校招"), "campus");
        assert_eq!(job_family("职能"), "other");
    }
}

//! `hrflow show <name|phone|email|id>`: one candidate's whole history on one
//! screen, read back from a run's Parquet outputs — the "pull up the archive"
//! moment when the boss asks why someone was not hired.
//!
//! Each table is a lazy Parquet scan filtered to the matching candidate ids,
//! so `show` stays quick on a large dataset without loading it all.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use polars::prelude::*;

use crate::columns::{col, table};
use crate::output::value_text;
use crate::rules;

/// One table row as column name → text.
type Row = BTreeMap<String, String>;

fn scan(out: &Path, name: &str) -> Result<LazyFrame, String> {
    let path = out.join("parquet").join(format!("{name}.parquet"));
    if !path.is_file() {
        return Err(format!(
            "`{}` does not exist; run the pipeline first (`hrflow run …`) or pass its output folder with --out",
            path.display()
        ));
    }
    let path = PlRefPath::try_from_path(&path).map_err(|e| e.to_string())?;
    LazyFrame::scan_parquet(path, ScanArgsParquet::default()).map_err(|e| e.to_string())
}

fn rows(df: &DataFrame) -> Vec<Row> {
    (0..df.height())
        .map(|i| {
            df.columns()
                .iter()
                .filter_map(|c| {
                    let v = c.get(i).ok()?;
                    value_text(&v).map(|t| (c.name().to_string(), t))
                })
                .collect()
        })
        .collect()
}

/// Whether column `column` holds one of `ids`.
fn any_of(column: &str, ids: &[String]) -> Result<Expr, String> {
    ids.iter()
        .map(|id| polars::prelude::col(column).eq(lit(id.clone())))
        .reduce(|a, b| a.or(b))
        .ok_or_else(|| "no ids".to_string())
}

fn of_candidates(out: &Path, name: &str, ids: &[String]) -> Result<Vec<Row>, String> {
    let df = scan(out, name)?
        .filter(any_of(col::CANDIDATE_ID, ids)?)
        .collect()
        .map_err(|e| e.to_string())?;
    Ok(rows(&df))
}

/// Finds candidates by id, name (any script), phone or email.
fn matches(query: &str, candidate: &Row) -> bool {
    let q = rules::text::nfkc_clean(query);
    let get = |k: &str| candidate.get(k).map(String::as_str).unwrap_or("");
    if get(col::CANDIDATE_ID).eq_ignore_ascii_case(&q) {
        return true;
    }
    let key = fast2s::convert(&q).to_lowercase().replace(' ', "");
    if !key.is_empty() && (get(col::NAME_KEY) == key || get(col::NAME_LATIN) == latin_key(&q)) {
        return true;
    }
    let phones = rules::phone::normalize_phones(&q, rules::phone::DEFAULT_REGION).numbers;
    if phones
        .iter()
        .any(|p| get(col::PHONES).split("; ").any(|x| x == p))
    {
        return true;
    }
    let email = q.to_lowercase();
    email.contains('@') && get(col::EMAILS).split("; ").any(|x| x == email)
}

fn latin_key(q: &str) -> String {
    let mut tokens: Vec<String> = q
        .split(|c: char| c.is_whitespace() || "_-.".contains(c))
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    tokens.sort();
    tokens.concat()
}

/// Renders the history of every candidate matching `query` in the run
/// output folder `out`.
pub fn show(out: &Path, query: &str) -> Result<String, String> {
    let all = scan(out, table::CANDIDATES)?
        .collect()
        .map_err(|e| e.to_string())?;
    let found: Vec<Row> = rows(&all)
        .into_iter()
        .filter(|c| matches(query, c))
        .collect();
    if found.is_empty() {
        return Err(format!(
            "No candidate matches `{query}` (searched names, phones, emails and ids)."
        ));
    }
    let ids: Vec<String> = found
        .iter()
        .filter_map(|c| c.get(col::CANDIDATE_ID).cloned())
        .collect();
    let applications = of_candidates(out, table::APPLICATIONS, &ids)?;
    let evaluations = of_candidates(out, table::EVALUATIONS, &ids)?;
    let events = of_candidates(out, table::EVENTS, &ids)?;
    let pairs = pairs_of(out, &ids)?;
    let names = names_of(&all, &pairs)?;
    let mut text = String::new();
    if found.len() > 1 {
        writeln!(text, "{} candidates match `{query}`.\n", found.len()).ok();
    }
    for c in &found {
        let id = &c[col::CANDIDATE_ID];
        render_candidate(&mut text, c);
        let mine = |rows: &[Row]| -> Vec<Row> {
            rows.iter()
                .filter(|r| r.get(col::CANDIDATE_ID) == Some(id))
                .cloned()
                .collect()
        };
        let mut timeline = mine(&events);
        // A bare mention adds nothing when the same chat line carries a fact.
        let facts: std::collections::BTreeSet<(String, String)> = timeline
            .iter()
            .filter(|e| {
                e.get(col::KIND)
                    .is_some_and(|k| k.starts_with("chat_") && k != "chat_mention")
            })
            .map(|e| (e[col::FILE].clone(), e[col::ROW].clone()))
            .collect();
        timeline.retain(|e| {
            e.get(col::KIND).map(String::as_str) != Some("chat_mention")
                || !facts.contains(&(e[col::FILE].clone(), e[col::ROW].clone()))
        });
        timeline.sort_by(|a, b| {
            a.get(col::AT)
                .cmp(&b.get(col::AT))
                .then(a.get(col::EVENT_ID).cmp(&b.get(col::EVENT_ID)))
        });
        if !timeline.is_empty() {
            writeln!(text, "  Timeline").ok();
            for e in &timeline {
                let at = e
                    .get(col::AT)
                    .map(|a| a.trim_end_matches(" 00:00:00").to_string())
                    .unwrap_or_default();
                let kind = e
                    .get(col::KIND)
                    .map_or("", |s| s.strip_prefix("chat_").unwrap_or(s));
                let who = e
                    .get(col::SAID_BY)
                    .map(|w| format!(" — {w}"))
                    .unwrap_or_default();
                writeln!(
                    text,
                    "    {at:<19}  {kind:<20} {}{who}",
                    e.get(col::TEXT).map_or("", |s| s)
                )
                .ok();
                writeln!(text, "    {:<19}  {:<20} ↳ {}", "", "", origin(e)).ok();
            }
        }
        let apps = mine(&applications);
        if !apps.is_empty() {
            writeln!(text, "  Applications").ok();
            for a in &apps {
                let g = |k: &str| a.get(k).map(String::as_str).unwrap_or("");
                let mut line = format!(
                    "    {}",
                    if g(col::POSITION).is_empty() {
                        "(position not given)"
                    } else {
                        g(col::POSITION)
                    }
                );
                if !g(col::DEPARTMENT).is_empty() {
                    line.push_str(&format!(" · {}", g(col::DEPARTMENT)));
                }
                if !g(col::APPLIED_AT).is_empty() {
                    line.push_str(&format!(" · applied {}", g(col::APPLIED_AT)));
                }
                if !g(col::STATUS).is_empty() {
                    line.push_str(&format!(" · {}", g(col::STATUS)));
                }
                if !g(col::REJECTION_REASON).is_empty() {
                    line.push_str(&format!(
                        " · reason {} ({}) «{}»",
                        g(col::REJECTION_REASON),
                        g(col::REJECTION_TYPE),
                        g(col::REJECTION_REASON_RAW)
                    ));
                }
                writeln!(text, "{line}").ok();
                writeln!(text, "      ↳ {}", origin(a)).ok();
            }
        }
        let evals = mine(&evaluations);
        if !evals.is_empty() {
            writeln!(text, "  Evaluations").ok();
            for e in &evals {
                let g = |k: &str| e.get(k).map(String::as_str).unwrap_or("");
                let scores: Vec<String> = [
                    (col::SCORE_TECHNICAL, "technical"),
                    (col::SCORE_BUSINESS, "business"),
                    (col::SCORE_COMMUNICATION, "communication"),
                    (col::SCORE_TEAMWORK, "teamwork"),
                    (col::SCORE_CULTURE, "culture"),
                    (col::SCORE_OVERALL, "overall"),
                ]
                .iter()
                .filter(|(k, _)| !g(k).is_empty())
                .map(|(k, label)| format!("{label} {}", g(k)))
                .collect();
                let when = g(col::AT).trim_end_matches(" 00:00:00");
                let who = if g(col::INTERVIEWER).is_empty() {
                    "interviewer not recorded"
                } else {
                    g(col::INTERVIEWER)
                };
                let round = if g(col::ROUND).is_empty() {
                    String::new()
                } else {
                    format!(" round {}", g(col::ROUND))
                };
                let mut parts: Vec<String> = Vec::new();
                if !when.is_empty() || !round.is_empty() {
                    parts.push(format!("{when}{round}").trim().to_string());
                }
                parts.push(who.to_string());
                if !scores.is_empty() {
                    parts.push(scores.join(", "));
                }
                writeln!(text, "    {}", parts.join(" · ")).ok();
                if !g(col::COMMENT).is_empty() {
                    writeln!(text, "      “{}”", g(col::COMMENT).replace('\n', " / ")).ok();
                }
                writeln!(text, "      ↳ {}", origin(e)).ok();
            }
        }
        render_resolution(&mut text, id, &pairs, &names);
        writeln!(text).ok();
    }
    Ok(text)
}

/// The compared pairs of records with a side in one of `ids`, from the
/// merges table.
fn pairs_of(out: &Path, ids: &[String]) -> Result<Vec<Row>, String> {
    let df = scan(out, table::MERGES)?
        .filter(any_of("candidate_a", ids)?.or(any_of("candidate_b", ids)?))
        .collect()
        .map_err(|e| e.to_string())?;
    Ok(rows(&df))
}

/// The names of the candidates on the other side of `pairs`.
fn names_of(all: &DataFrame, pairs: &[Row]) -> Result<BTreeMap<String, String>, String> {
    let wanted: std::collections::BTreeSet<&str> = pairs
        .iter()
        .flat_map(|p| ["candidate_a", "candidate_b"].map(|k| p.get(k).map(String::as_str)))
        .flatten()
        .collect();
    if wanted.is_empty() {
        return Ok(BTreeMap::new());
    }
    let text = |name: &str| -> Result<StringChunked, String> {
        let c = all.column(name).map_err(|e| e.to_string())?;
        Ok(c.cast(&DataType::String)
            .map_err(|e| e.to_string())?
            .str()
            .map_err(|e| e.to_string())?
            .clone())
    };
    let (id, name) = (text(col::CANDIDATE_ID)?, text(col::NAME)?);
    Ok(id
        .iter()
        .zip(name.iter())
        .filter_map(|(i, n)| {
            let i = i.filter(|i| wanted.contains(i))?;
            Some((i.to_string(), n.unwrap_or("(no name)").to_string()))
        })
        .collect())
}

/// How resolution made candidate `id`: the rules its records were joined
/// by, every pair a reviewer's verdict decided, and the pairs still waiting
/// for one.
fn render_resolution(text: &mut String, id: &str, pairs: &[Row], names: &BTreeMap<String, String>) {
    let g = |r: &Row, k: &str| r.get(k).map(String::as_str).unwrap_or("").to_string();
    let mut records: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut lines: Vec<String> = Vec::new();
    for p in pairs {
        let (a, b) = (g(p, "candidate_a"), g(p, "candidate_b"));
        if a != id && b != id {
            continue;
        }
        let (decision, rule) = (g(p, "decision"), g(p, "rule"));
        let records_of_pair = format!("{} + {}", g(p, "record_a"), g(p, "record_b"));
        let other = if a == id { &b } else { &a };
        let with = || {
            let name = names
                .get(other.as_str())
                .map_or("(no name)", String::as_str);
            format!("{name} ({other})")
        };
        if a == id && b == id && decision == "merge" {
            records.insert(g(p, "record_a"));
            records.insert(g(p, "record_b"));
            *rules.entry(rule_or_score(&rule).to_string()).or_default() += 1;
        }
        let verdict = match rule.as_str() {
            crate::resolve::RULE_REVIEWED_SAME => Some("one person"),
            crate::resolve::RULE_REVIEWED_DIFFERENT => Some("two people"),
            _ => None,
        };
        if let Some(said) = verdict {
            let kept = if other == id {
                String::new()
            } else {
                format!(", kept apart from {}", with())
            };
            lines.push(format!(
                "    {records_of_pair}: a reviewer said {said} ({rule}, {}){kept}",
                crate::review::VERDICTS_CSV
            ));
        } else if decision == "review" {
            let score = g(p, "score");
            let whose = if other == id {
                "within this candidate".to_string()
            } else {
                format!("with {}", with())
            };
            lines.push(format!(
                "    {records_of_pair}: awaits a verdict {whose}, score {score} ({}, {})",
                rule_or_score(&rule),
                crate::review::REVIEW_XLSX
            ));
        }
    }
    if records.is_empty() && lines.is_empty() {
        return;
    }
    writeln!(text, "  Resolution").ok();
    if !records.is_empty() {
        let by: Vec<String> = rules
            .iter()
            .map(|(rule, n)| format!("{rule} ×{n}"))
            .collect();
        writeln!(
            text,
            "    {} source records joined: {}",
            records.len(),
            by.join(", ")
        )
        .ok();
    }
    for line in lines {
        writeln!(text, "{line}").ok();
    }
}

/// A pair's rule, or what decided it when no rule fired.
fn rule_or_score(rule: &str) -> &str {
    if rule.is_empty() {
        "score above the threshold"
    } else {
        rule
    }
}

fn origin(r: &Row) -> String {
    let g = |k: &str| r.get(k).map(String::as_str).unwrap_or("");
    if g(col::SHEET).is_empty() {
        format!("{} › line {}", g(col::FILE), g(col::ROW))
    } else {
        format!("{} › {} › row {}", g(col::FILE), g(col::SHEET), g(col::ROW))
    }
}

fn render_candidate(text: &mut String, c: &Row) {
    let g = |k: &str| c.get(k).map(String::as_str).unwrap_or("");
    writeln!(
        text,
        "{}  ({})",
        if g(col::NAME).is_empty() {
            "(no name)"
        } else {
            g(col::NAME)
        },
        g(col::CANDIDATE_ID)
    )
    .ok();
    let mut facts = Vec::new();
    for (k, label) in [
        (col::PHONES, "phone"),
        (col::EMAILS, "email"),
        (col::WECHAT, "WeChat"),
        (col::CITY, "city"),
    ] {
        if !g(k).is_empty() {
            facts.push(format!("{label} {}", g(k)));
        }
    }
    if !facts.is_empty() {
        writeln!(text, "  {}", facts.join(" · ")).ok();
    }
    let mut profile = Vec::new();
    if !g(col::EDUCATION).is_empty() {
        profile.push(format!(
            "{}{}",
            g(col::EDUCATION),
            if g(col::SCHOOL).is_empty() {
                String::new()
            } else {
                format!(" ({})", g(col::SCHOOL))
            }
        ));
    }
    if !g(col::YEARS_EXPERIENCE).is_empty() {
        profile.push(format!("{} years' experience", g(col::YEARS_EXPERIENCE)));
    }
    if !g(col::CURRENT_COMPANY).is_empty() {
        profile.push(format!("at {}", g(col::CURRENT_COMPANY)));
    }
    if !g(col::SKILLS).is_empty() {
        profile.push(format!("skills {}", g(col::SKILLS)));
    }
    if !profile.is_empty() {
        writeln!(text, "  {}", profile.join(" · ")).ok();
    }
    if !g(col::EXPECTED_SALARY_RAW).is_empty() {
        let range = match (g(col::EXPECTED_SALARY_MIN), g(col::EXPECTED_SALARY_MAX)) {
            ("", "") => "negotiable".to_string(),
            (a, b) if a == b => format!("{a} CNY/month"),
            (a, "") => format!("from {a} CNY/month"),
            ("", b) => format!("up to {b} CNY/month"),
            (a, b) => format!("{a}–{b} CNY/month"),
        };
        writeln!(
            text,
            "  Expected salary: {range} (“{}”)",
            g(col::EXPECTED_SALARY_RAW)
        )
        .ok();
    }
    if !g(col::LATEST_STATUS).is_empty() {
        writeln!(text, "  Latest status: {}", g(col::LATEST_STATUS)).ok();
    }
    let mut contact = Vec::new();
    if !g(col::LAST_CONTACT_AT).is_empty() {
        contact.push(format!("last contacted {}", g(col::LAST_CONTACT_AT)));
    }
    if g(col::DO_NOT_CONTACT) == "true" {
        contact.push("asked not to be contacted again".to_string());
    }
    if !contact.is_empty() {
        writeln!(text, "  Contact: {}", contact.join(" · ")).ok();
    }
    writeln!(text, "  Record: {}", origin(c)).ok();
}

//! Rejection notices in a run: which applications get one, and the files.
//!
//! An application gets a notice when it is rejected (we rejected, or the
//! candidate was unreachable / did not show — never when the candidate
//! declined) and it has not had one in an earlier run: the notice state
//! (`notices_sent.csv` in the output folder) lists the applications already
//! handled, so each nightly run writes notices only for what is new. Only
//! rejections decided (or, without a decision date, interviewed or applied)
//! within `max_age_days` before the as-of date count — nobody wants a notice
//! for a 2019 interview that was never sent one. A notice is "ready" a fixed
//! number of days after the interview, so a same-day rejection does not
//! feel automatic.

use foldhash::HashMap;
use std::collections::BTreeSet;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::model::Dataset;
use crate::notices::{Channel, Lang, Notice, NoticeInput, NoticeSettings, Renderer};

/// The file listing applications that already had a notice.
pub const STATE: &str = "notices_sent.csv";

/// `[notices]` in a pipeline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NoticeConfig {
    pub company: String,
    pub sender: String,
    pub language: Lang,
    pub channel: Channel,
    /// On a first run, only rejections this recent get a notice.
    pub max_age_days: i64,
    /// A notice is ready this many days after the interview.
    pub ready_after_days: i64,
    /// Sender address for the `.eml` files; without it the mail client
    /// that sends them fills it in.
    pub from_email: Option<String>,
    /// A folder with the pipeline's own templates (`email.zh.j2`…, the
    /// names in `reports/notices/`); each file there replaces the shipped
    /// one. Relative to the pipeline's root; resolved when planned.
    pub templates: Option<std::path::PathBuf>,
}

impl Default for NoticeConfig {
    fn default() -> Self {
        NoticeConfig {
            company: "我们公司".into(),
            sender: "招聘组".into(),
            language: Lang::Zh,
            channel: Channel::Email,
            max_age_days: 30,
            ready_after_days: 2,
            from_email: None,
            templates: None,
        }
    }
}

/// A notice with its timing, or the reason it could not be written.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeRow {
    pub application_id: String,
    pub candidate_id: String,
    pub name: String,
    pub position: String,
    pub reason_code: String,
    pub interview_date: Option<NaiveDate>,
    /// Days from the interview to the as-of date.
    pub days_since_interview: Option<i64>,
    pub ready_at: Option<NaiveDate>,
    pub notice: Result<Notice, String>,
}

/// Applications already noticed in earlier runs.
pub fn read_state(out: &Path) -> BTreeSet<String> {
    let Ok(text) = std::fs::read_to_string(out.join(STATE)) else {
        return BTreeSet::new();
    };
    text.lines()
        .skip(1)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Picks and renders the notices due in this run.
pub fn notices(
    data: &Dataset,
    cfg: &NoticeConfig,
    already: &BTreeSet<String>,
    as_of: NaiveDate,
) -> Result<Vec<NoticeRow>, String> {
    let renderer = Renderer::with_templates(cfg.templates.as_deref())?;
    let settings = NoticeSettings {
        company: cfg.company.clone(),
        sender: cfg.sender.clone(),
        lang: cfg.language,
        channel: cfg.channel,
    };
    let persons: HashMap<&str, &crate::model::PersonRecord> = data
        .persons
        .iter()
        .map(|p| (p.candidate_id.as_str(), p))
        .collect();
    let families: HashMap<&str, &str> = data
        .positions
        .iter()
        .map(|p| (p.position_id.as_str(), p.job_family.unwrap_or("other")))
        .collect();
    let mut out = Vec::new();
    for a in &data.applications {
        let Some(reason) = a.rejection_reason else {
            continue;
        };
        if a.rejection_type == Some("candidate_declined")
            && !matches!(reason, "no_show" | "unreachable")
        {
            continue;
        }
        if already.contains(&a.application_id) {
            continue;
        }
        let evals: Vec<&crate::model::EvaluationRecord> = data
            .evaluations
            .iter()
            .filter(|e| e.application_id == a.application_id)
            .collect();
        let interview = evals.iter().filter_map(|e| e.at).max().map(|t| t.date());
        let when = a.decided_at.or(interview).or(a.applied_at);
        if when.is_none_or(|d| (as_of - d).num_days() > cfg.max_age_days || d > as_of) {
            continue;
        }
        let Some(p) = persons.get(a.candidate_id.as_str()) else {
            continue;
        };
        if p.do_not_contact {
            continue;
        }
        let comments: Vec<&str> = evals.iter().filter_map(|e| e.comment.as_deref()).collect();
        let strength = crate::score::tags_for(&comments)
            .into_iter()
            .find(|t| !crate::recall::CONCERN_TAGS.contains(&t.code.as_str()))
            .map(|t| {
                if cfg.language == Lang::Zh {
                    t.label_zh
                } else {
                    t.label_en.to_lowercase()
                }
            });
        let input = NoticeInput {
            application_id: a.application_id.clone(),
            candidate_id: a.candidate_id.clone(),
            name: p.name.as_deref().unwrap_or_default().to_string(),
            position: a.position.clone().unwrap_or_default(),
            job_family: a
                .position_id
                .as_deref()
                .and_then(|id| families.get(id))
                .unwrap_or(&"other")
                .to_string(),
            reason_code: reason.to_string(),
            reason_raw: a.rejection_reason_raw.clone(),
            strength,
            interview_date: interview,
            email: p.emails.first().cloned(),
            phone: p.phones.first().cloned(),
        };
        out.push(NoticeRow {
            application_id: a.application_id.clone(),
            candidate_id: a.candidate_id.clone(),
            name: input.name.clone(),
            position: input.position.clone(),
            reason_code: reason.to_string(),
            interview_date: interview,
            days_since_interview: interview.map(|d| (as_of - d).num_days()),
            ready_at: interview.map(|d| d + chrono::Duration::days(cfg.ready_after_days)),
            notice: renderer.render(&input, &settings),
        });
    }
    out.sort_by(|a, b| a.application_id.cmp(&b.application_id));
    Ok(out)
}

/// An RFC 5322 message for one email notice (UTF-8, quoted-printable-free:
/// 8bit transfer encoding, which every current mail client reads).
pub fn eml(n: &Notice, sender: &str, from_email: Option<&str>, date: NaiveDate) -> String {
    let name = format!("=?UTF-8?B?{}?=", base64(sender.as_bytes()));
    let from = match from_email {
        Some(addr) => format!("{name} <{addr}>"),
        None => name,
    };
    format!(
        "From: {from}\r\nTo: {}\r\nSubject: =?UTF-8?B?{}?=\r\nDate: {}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
        n.address,
        base64(n.subject.as_deref().unwrap_or("").as_bytes()),
        date.format("%a, %d %b %Y 09:00:00 +0800"),
        n.body.replace('\n', "\r\n")
    )
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
    }
}

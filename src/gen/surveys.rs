//! Scale mode's candidate surveys, in the two layouts the survey reader
//! accepts (`src/ingest/survey.rs`):
//!
//! - `surveys/面试体验问卷_gbk.csv`: the interview-experience survey sent with
//!   the decision on applications interviewed since September 2023, wide
//!   (one row per sent survey, a column per question), GBK with the Chinese
//!   question wording of the built-in bank. `申请编号` is the id the pipeline
//!   gives the application's row in the English sheet, so answers join their
//!   application. Unanswered surveys carry only their send time; about one
//!   answer in 500 has a score off its scale, for the quarantine.
//! - `surveys/通知反馈.xlsx`: the rejection-notice questions, long (one row
//!   per answer), for the rejected candidates among them; sheets of up to
//!   [`super::scale::SHEET_ROWS`] rows.
//!
//! Every survey row gets a line in the mentions truth with the respondent's
//! true entity.

use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::FileSummary;
use super::cells::{self, Cell, Formats, TextEncoding, TextSink};
use super::history::Outcome;
use super::plan::{Appearance, Source};
use super::rng::Rng;
use super::truth::Mentions;

pub const WIDE_FILE: &str = "surveys/面试体验问卷_gbk.csv";
pub const LONG_FILE: &str = "surveys/通知反馈.xlsx";
const LONG_SHEET: &str = "通知反馈";

const INTERVIEW_Q: [&str; 9] = [
    "Q1. 总体而言，我的面试体验是积极的",
    "Q2. 我的面试按时开始",
    "Q3. 职位情况向我解释得很清楚",
    "Q4. 面试官准备充分，面试进行得很专业",
    "Q5. 面试官准确了解了我的优势和不足",
    "Q6. 我受到了礼貌和尊重的对待",
    "Q7. 总体而言，我觉得面试过程很有挑战性",
    "Q8. 经历招聘流程后，我对公司的印象更好了",
    "Q9. 您有多大可能向朋友推荐来我们公司应聘？",
];
const NOTICE_Q: [&str; 4] = ["通知语气", "通知详细程度", "通知及时性", "通知有帮助"];
const COMMENTS_GOOD: &[&str] = &[
    "面试官很专业，问题都和岗位相关。",
    "流程很顺畅，HR 回复及时。",
    "技术面聊得很深入，收获很多。",
    "前台接待热情，面试环境也不错。",
];
const COMMENTS_BAD: &[&str] = &[
    "等了快两周才收到结果，希望能快一点。",
    "面试推迟了四十分钟，也没有提前通知。",
    "岗位介绍和实际工作内容不太一样。",
    "希望下次能更早告诉我面试结果。",
];
const NOTICE_COMMENTS: &[&str] = &[
    "通知写得很客气，也说明了原因。",
    "希望能多给一些具体的改进建议。",
    "模板味太重了。",
];

/// Share of eligible applications that were sent a survey, and of those
/// that were answered.
const SENT: f64 = 0.35;
const ANSWERED: f64 = 0.75;

fn first_survey_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 9, 1).expect("valid date")
}

fn v2_from() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 3, 1)
        .expect("valid date")
        .and_hms_opt(0, 0, 0)
        .expect("valid time")
}

/// A 1–5 answer; mood 0 (unhappy) … 2 (happy).
fn likert(rng: &mut Rng, mood: usize) -> u8 {
    const W: [[u32; 5]; 3] = [[4, 5, 4, 2, 1], [1, 2, 4, 5, 3], [0, 1, 2, 5, 6]];
    rng.weighted(&W[mood]) as u8 + 1
}

fn recommend(rng: &mut Rng, mood: usize) -> u8 {
    let (lo, hi) = [(0, 7), (5, 9), (7, 10)][mood];
    rng.range(lo, hi) as u8
}

struct LongRow {
    response: String,
    question: &'static str,
    score: Option<u8>,
    comment: &'static str,
    entity: String,
}

/// Survey exports being written (the wide CSV is streamed; the long rows,
/// a few per rejected respondent, are kept until the end).
pub struct Surveys {
    wide: TextSink<BufWriter<File>>,
    wide_rows: usize,
    long: Vec<LongRow>,
    next: u64,
}

impl Surveys {
    pub fn create(out: &Path) -> Result<Surveys> {
        let path = out.join(WIDE_FILE);
        fs::create_dir_all(path.parent().expect("file in a folder"))?;
        let file = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        let mut wide = TextSink::new(file, TextEncoding::Gbk)?;
        let header: Vec<(String, bool)> =
            ["回答编号", "申请编号", "发送时间", "提交时间", "模板版本"]
                .iter()
                .chain(INTERVIEW_Q.iter())
                .chain(["意见和建议"].iter())
                .map(|h| (h.to_string(), false))
                .collect();
        wide.write(&cells::record_line(&header, ','))?;
        Ok(Surveys {
            wide,
            wide_rows: 0,
            long: Vec::new(),
            next: 0,
        })
    }

    /// Maybe sends a survey on application `a`, whose row is (`file`,
    /// `sheet`, `row`) of the English sheet.
    #[allow(clippy::too_many_arguments)]
    pub fn consider(
        &mut self,
        rng: &mut Rng,
        a: &Appearance,
        file: &str,
        sheet: &str,
        row: u64,
        entity: &str,
        truth: &mut Mentions,
    ) -> Result<()> {
        if a.source != Source::English {
            return Ok(());
        }
        let Some(last) = a.app.last_interview() else {
            return Ok(());
        };
        let decided = !matches!(
            a.app.outcome,
            Outcome::New | Outcome::Screening | Outcome::Interviewing
        );
        if !decided || last.at.date() < first_survey_day() || !rng.chance(SENT) {
            return Ok(());
        }
        self.next += 1;
        let id = format!("SV-{:07}", self.next);
        let application = crate::model::stable_id("A", &[file, sheet, &row.to_string()]);
        let sent = last.at + Duration::hours(*rng.pick(&[20i64, 26, 30, 44, 50, 70, 96]));
        let version = if sent < v2_from() { "v1" } else { "v2" };
        let mut fields: Vec<String> = vec![
            id.clone(),
            application,
            sent.format("%Y-%m-%d %H:%M").to_string(),
            String::new(),
            version.to_string(),
        ];
        let rejected = matches!(a.app.outcome, Outcome::Rejected(_));
        let answered = rng.chance(ANSWERED);
        if answered {
            let mood = match a.app.outcome {
                Outcome::Hired | Outcome::Offer => 2,
                _ if rng.chance(0.45) => 0,
                _ => 1,
            };
            let done = sent + Duration::hours(rng.range(1, 60));
            fields[3] = done.format("%Y/%m/%d %H:%M").to_string();
            for q in 0..INTERVIEW_Q.len() {
                let v = match q {
                    8 => recommend(rng, mood),
                    6 => rng.range(2, 5) as u8,
                    _ => likert(rng, mood),
                };
                // A score off its scale now and then, as survey tools let
                // through when a question is edited after sending.
                let v = if rng.chance(0.002) { v + 6 } else { v };
                fields.push(v.to_string());
            }
            let pool = match mood {
                2 => COMMENTS_GOOD,
                0 => COMMENTS_BAD,
                _ => {
                    if rng.chance(0.5) {
                        COMMENTS_GOOD
                    } else {
                        COMMENTS_BAD
                    }
                }
            };
            fields.push(if rng.chance(0.5) {
                rng.pick(pool).to_string()
            } else {
                String::new()
            });
            if rejected {
                for q in NOTICE_Q {
                    self.long.push(LongRow {
                        response: id.clone(),
                        question: q,
                        score: Some(likert(rng, mood)),
                        comment: "",
                        entity: entity.to_string(),
                    });
                }
                if rng.chance(0.3) {
                    self.long.push(LongRow {
                        response: id.clone(),
                        question: "改进建议",
                        score: None,
                        comment: rng.choose(NOTICE_COMMENTS),
                        entity: entity.to_string(),
                    });
                }
            }
        } else {
            fields.extend(std::iter::repeat_n(String::new(), INTERVIEW_Q.len() + 1));
        }
        let cells: Vec<(String, bool)> = fields.into_iter().map(|f| (f, false)).collect();
        let line = self.wide.write(&cells::record_line(&cells, ','))?;
        truth.add(WIDE_FILE, "", line, entity, "survey")?;
        self.wide_rows += 1;
        Ok(())
    }

    pub fn finish(self, out: &Path, truth: &mut Mentions) -> Result<Vec<FileSummary>> {
        self.wide.finish()?;
        let mut files = vec![FileSummary {
            path: out.join(WIDE_FILE),
            rows: self.wide_rows,
            description: "interview-experience survey, wide, GBK CSV".into(),
        }];
        let path: PathBuf = out.join(LONG_FILE);
        let mut book = cells::new_workbook("结果通知满意度调查")?;
        let formats = Formats::new("yyyy-mm-dd");
        let chunks: Vec<&[LongRow]> = if self.long.is_empty() {
            vec![&[]]
        } else {
            self.long.chunks(super::scale::SHEET_ROWS).collect()
        };
        for (k, chunk) in chunks.iter().enumerate() {
            let name = format!("{LONG_SHEET}{}", k + 1);
            let ws = book.add_worksheet();
            ws.set_name(&name)?;
            let header: Vec<Cell> = ["回答编号", "问题", "分数", "备注"]
                .iter()
                .map(|h| Cell::text(*h))
                .collect();
            cells::write_cells(ws, 0, 0, &header, &formats)?;
            for (i, r) in chunk.iter().enumerate() {
                let row = [
                    Cell::text(r.response.as_str()),
                    Cell::text(r.question),
                    r.score.map_or(Cell::Empty, |s| Cell::Int(i64::from(s))),
                    Cell::text(r.comment),
                ];
                cells::write_cells(ws, i as u32 + 1, 0, &row, &formats)?;
                truth.add(LONG_FILE, &name, i as u64 + 2, &r.entity, "survey")?;
            }
        }
        book.save(&path)?;
        files.push(FileSummary {
            path,
            rows: self.long.len(),
            description: "rejection-notice feedback, long layout".into(),
        });
        Ok(files)
    }
}

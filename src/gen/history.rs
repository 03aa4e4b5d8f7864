//! Applications: what happened when a person applied for a position on a
//! date — interview rounds with scores and remarks, and the outcome with its
//! reason. Layouts render the same `Application` differently per file.
//!
//! Outcomes follow the latent quality of the person so that scores, remarks
//! and rejection reasons agree with each other (a low technical score comes
//! with 技术能力不足, a strong candidate turned away gets 岗位已满).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::company::{self, BOSS, INTERVIEWERS, POSITIONS, Track};
use super::people::Person;
use super::reasons::{self, CONCERNS, STRENGTH_SOFT};
use super::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Received, nobody looked yet.
    New,
    Screening,
    Interviewing,
    Offer,
    Hired,
    Rejected(usize),
    Withdrew(usize),
    /// Kept in the talent pool without a decision.
    Pool,
}

impl Outcome {
    /// The end of an application for reason `r`: rejected by us or
    /// withdrawn by the candidate, as the reason's type says.
    pub fn ended(r: usize) -> Outcome {
        if reasons::REASONS[r].by_us {
            Outcome::Rejected(r)
        } else {
            Outcome::Withdrew(r)
        }
    }

    pub fn reason(self) -> Option<usize> {
        match self {
            Outcome::Rejected(r) | Outcome::Withdrew(r) => Some(r),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Interview {
    /// 0 = 一面, 1 = 二面, 2 = 终面.
    pub round: u8,
    pub at: NaiveDateTime,
    pub interviewer: usize,
    /// Scores 1–10.
    pub tech: u8,
    pub comm: u8,
    pub team: u8,
    pub culture: u8,
    pub remark_cn: String,
    pub remark_en: String,
    pub passed: bool,
}

impl Interview {
    /// Weighted overall score 1–10 using the position's 技术/协作/文化 split.
    pub fn overall(&self, position: usize) -> f64 {
        let (t, c, k) = weights(position);
        let collab = (f64::from(self.comm) + f64::from(self.team)) / 2.0;
        let v = (f64::from(self.tech) * t + collab * c + f64::from(self.culture) * k) / 100.0;
        (v * 10.0).round() / 10.0
    }
}

/// Parses "技术40/协作30/文化30".
pub fn weights(position: usize) -> (f64, f64, f64) {
    let nums: Vec<f64> = POSITIONS[position]
        .weights
        .split('/')
        .map(|p| {
            p.trim_start_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .unwrap_or(0.0)
        })
        .collect();
    (nums[0], nums[1], nums[2])
}

#[derive(Debug, Clone)]
pub struct Application {
    pub date: NaiveDate,
    pub position: usize,
    pub channel: usize,
    pub outcome: Outcome,
    pub interviews: Vec<Interview>,
    /// Expected monthly salary in thousands of CNY.
    pub salary_k: f64,
}

impl Application {
    pub fn last_interview(&self) -> Option<&Interview> {
        self.interviews.last()
    }

    /// The day a hire started: the Monday on or after two to six weeks past
    /// the last interview (offer, notice period at the old job). Derived
    /// from the application itself, not drawn from the random stream, so
    /// writing it leaves every other cell of a sample file as it was.
    pub fn onboard_date(&self) -> Option<NaiveDate> {
        if self.outcome != Outcome::Hired {
            return None;
        }
        let base = self.last_interview().map_or(self.date, |i| i.at.date());
        let spread = (i64::from(self.date.num_days_from_ce()) * 7 + self.position as i64 * 13)
            .rem_euclid(29);
        let day = base + Duration::days(14 + spread);
        let to_monday = (7 - i64::from(day.weekday().num_days_from_monday())) % 7;
        Some(day + Duration::days(to_monday))
    }

    /// What a Chinese sheet's 备注 says about the start: `2019.7.29入职`
    /// (in the sheet's date notation), or `预计2022.1.10入职` when the
    /// file was exported before that day.
    pub fn onboard_note(
        &self,
        exported: NaiveDate,
        style: super::notation::DateStyle,
        verb: &str,
    ) -> Option<String> {
        let d = self.onboard_date()?;
        let text = super::notation::date_text(d, style);
        Some(if d <= exported {
            format!("{text}{verb}")
        } else {
            format!("预计{text}入职")
        })
    }
}

/// Weights of `CHANNELS` for experienced hires (campus fairs excluded).
const CHANNEL_WEIGHTS: [u32; 9] = [25, 15, 12, 12, 8, 12, 6, 0, 6];
const CAMPUS_CHANNEL: usize = 7;

/// Positions a person would apply for in `year`: their track, open that
/// year; campus positions only for people graduating that year or the next.
pub fn choose_position(rng: &mut Rng, p: &Person, year: i32) -> usize {
    let fresh = p.grad_year >= year;
    let fits = |pos: &company::Position, check_year: bool| {
        let track = pos.track == p.track
            || (pos.campus && pos.track == Track::Sales && p.track != Track::Data);
        let open = !check_year || (pos.years.0..=pos.years.1).contains(&year);
        track && open && pos.campus == fresh
    };
    let mut options: Vec<usize> = (0..POSITIONS.len())
        .filter(|&i| fits(&POSITIONS[i], true))
        .collect();
    if options.is_empty() {
        options = (0..POSITIONS.len())
            .filter(|&i| fits(&POSITIONS[i], false))
            .collect();
    }
    if options.is_empty() {
        options = (0..POSITIONS.len())
            .filter(|&i| POSITIONS[i].track == p.track)
            .collect();
    }
    *rng.pick(&options)
}

fn score(rng: &mut Rng, q: f64) -> u8 {
    (2.0 + 7.5 * q + rng.noise(1.0)).round().clamp(1.0, 10.0) as u8
}

fn remark(rng: &mut Rng, track: Track, tech: u8, soft: u8, passed: bool) -> (String, String) {
    let mut cn: Vec<&str> = Vec::new();
    let mut en: Vec<&str> = Vec::new();
    if tech >= 7 {
        let s = rng.pick(reasons::strengths(track));
        cn.push(s.0);
        en.push(s.1);
    }
    if soft >= 7 || cn.is_empty() && soft >= 5 {
        let s = rng.pick(STRENGTH_SOFT);
        cn.push(s.0);
        en.push(s.1);
    }
    let mut text_cn = cn.join("，");
    let mut text_en = en.join(", ");
    if !passed || tech < 6 || soft < 6 || rng.chance(0.3) {
        let c = rng.pick(CONCERNS);
        if !text_cn.is_empty() {
            text_cn.push('；');
            text_en.push_str("; ");
        }
        text_cn.push_str(c.0);
        text_en.push_str(c.1);
    }
    (text_cn, text_en)
}

/// The interviewer of round `round` for a position: the department lead,
/// then HR, then the boss.
fn interviewer(position: usize, round: u8, year: i32) -> usize {
    let pos = &POSITIONS[position];
    if pos.title == "销售经理" {
        return BOSS;
    }
    match round {
        0 => pos.lead,
        1 if year >= 2022 => 5,
        1 => 4,
        _ => BOSS,
    }
}

/// Draws how an application went. `as_of` is the export date of the file
/// it lands in: applications shortly before it may still be open.
pub fn draw(
    rng: &mut Rng,
    p: &Person,
    date: NaiveDate,
    position: usize,
    as_of: NaiveDate,
) -> Application {
    let year = date.year();
    let salary_k = p.expected_k(year);
    let channel = if POSITIONS[position].campus && rng.chance(0.6) {
        CAMPUS_CHANNEL
    } else {
        rng.weighted(&CHANNEL_WEIGHTS)
    };
    let mut app = Application {
        date,
        position,
        channel,
        outcome: Outcome::New,
        interviews: Vec::new(),
        salary_k,
    };
    let age_days = (as_of - date).num_days();
    if age_days < 20 {
        app.outcome = if rng.chance(0.5) {
            Outcome::New
        } else {
            Outcome::Screening
        };
        return app;
    }
    if rng.chance(0.12) {
        let r = *rng.pick(&[
            reasons::R_NO_SHOW,
            reasons::R_UNREACHABLE,
            reasons::R_GAVE_UP,
        ]);
        app.outcome = Outcome::ended(r);
        return app;
    }
    let q = (p.quality + rng.noise(0.08)).clamp(0.0, 1.0);
    if q < 0.25 && rng.chance(0.6) {
        let r = *rng.pick(&[reasons::R_EXPERIENCE, reasons::R_EDUCATION, reasons::R_TEST]);
        app.outcome = Outcome::ended(r);
        return app;
    }
    let mut at = date + Duration::days(rng.range(3, 12));
    let rounds = 1 + u8::from(q > 0.45) + u8::from(q > 0.7);
    for round in 0..3u8 {
        let hour = *rng.pick(&[10u32, 11, 14, 15, 16]);
        let minute = *rng.pick(&[0u32, 30]);
        let time = NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time");
        let tech = score(rng, q);
        let comm = score(rng, q);
        let team = score(rng, q);
        let culture = score(rng, q);
        let passed = round + 1 < rounds || (round + 1 == rounds && q > 0.7);
        let (remark_cn, remark_en) = remark(rng, p.track, tech, comm.max(team), passed);
        app.interviews.push(Interview {
            round,
            at: NaiveDateTime::new(at, time),
            interviewer: interviewer(position, round, year),
            tech,
            comm,
            team,
            culture,
            remark_cn,
            remark_en,
            passed,
        });
        if !passed {
            break;
        }
        at += Duration::days(rng.range(2, 9));
        if (as_of - at).num_days() < 5 {
            app.outcome = Outcome::Interviewing;
            return app;
        }
    }
    let last = app.interviews.last().expect("at least one round");
    app.outcome = if !last.passed {
        let technical = matches!(
            p.track,
            Track::Backend | Track::Frontend | Track::Qa | Track::Data
        );
        match (last.round, technical) {
            (0, true) => Outcome::ended(reasons::R_SKILLS),
            (0, false) => {
                Outcome::ended(*rng.pick(&[reasons::R_COMMUNICATION, reasons::R_INTERVIEW]))
            }
            _ => Outcome::ended(*rng.pick(&[
                reasons::R_SALARY,
                reasons::R_STABILITY,
                reasons::R_BETTER,
                reasons::R_INTERVIEW,
            ])),
        }
    } else {
        match rng.below(100) {
            0..=49 => Outcome::Hired,
            50..=64 => Outcome::ended(*rng.pick(&[reasons::R_OTHER_OFFER, reasons::R_PAY])),
            65..=79 => Outcome::ended(*rng.pick(&[reasons::R_FILLED, reasons::R_FREEZE])),
            80..=89 => Outcome::Pool,
            _ => Outcome::Offer,
        }
    };
    app
}

/// An interviewer's name in the English sheet: mostly the English form,
/// sometimes left in Chinese by whoever typed the row.
pub fn interviewer_en(rng: &mut Rng, i: usize) -> String {
    if rng.chance(0.2) {
        INTERVIEWERS[i].cn.to_string()
    } else {
        INTERVIEWERS[i].en.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_parse() {
        assert_eq!(weights(company::position("数据分析师")), (40.0, 30.0, 30.0));
    }

    #[test]
    fn failed_first_technical_round_means_skills_gap() {
        let mut seen = 0;
        for id in 1..400 {
            let p = Person::generate(5, id);
            let mut rng = Rng::new(u64::from(id));
            let date = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
            let pos = choose_position(&mut rng, &p, 2022);
            let as_of = NaiveDate::from_ymd_opt(2022, 12, 31).unwrap();
            let app = draw(&mut rng, &p, date, pos, as_of);
            if let [only] = app.interviews.as_slice()
                && !only.passed
                && p.track == Track::Backend
            {
                assert_eq!(app.outcome, Outcome::Rejected(reasons::R_SKILLS));
                seen += 1;
            }
        }
        assert!(seen > 0);
    }
}

//! Scale mode's recruiting chats: the HR group chats in which staff post new
//! résumés, interviewers report back and the boss decides, exported in three
//! formats the pipeline parses (QQ's text export for the years of the old
//! system and the 2022 ledger, a WeChatMsg TXT export and a Chinese-locale
//! WhatsApp export for 2023–2024).
//!
//! About one application in eight is talked about: a thread of up to three
//! messages (the résumé with the candidate's phone, the interviewer's
//! remarks after the last round, the decision with its reason) in the
//! wording the chat extractor's phrase tables know (`src/chat/phrases`,
//! rejection reasons from `src/rules/tables/reasons.toml`). Later messages
//! of a thread name the candidate by full name only, half of the time, so
//! namesakes active in the same chat stay ambiguous as they would in life.
//! Some lunch talk, stickers and images are mixed in.
//!
//! Messages are collected while the candidate files are written (text is
//! rendered on the spot from the application), then sorted by time per
//! chat, so memory grows with the number of messages (~3 % of a record's
//! worth per person), not with the number of persons.
//!
//! Every message about a candidate gets a line in
//! [`super::truth::MENTIONS`]: file, line of the message header, the true
//! entity and what the message states.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::FileSummary;
use super::company::{INTERVIEWERS, POSITIONS};
use super::history::Outcome;
use super::notation::{self as n, PhoneStyle};
use super::people::Person;
use super::plan::{Appearance, Source};
use super::reasons::REASONS;
use super::rng::Rng;
use super::truth::Mentions;

/// Folder of the chat exports, relative to the data set.
pub const DIR: &str = "chats";

/// Share of applications that are talked about in a chat.
const TALKED_ABOUT: f64 = 0.125;
/// Share of non-candidate messages (lunch, stickers) per candidate message.
const CHATTER: f64 = 0.08;
const NOISE_STREAM: u64 = 0x4348_4154_4E4F; // "CHATNO"

/// One exported chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chat {
    Qq,
    Wechat,
    Whatsapp,
}

impl Chat {
    pub const ALL: [Chat; 3] = [Chat::Qq, Chat::Wechat, Chat::Whatsapp];

    /// Path relative to the data set.
    pub fn file(self) -> &'static str {
        match self {
            Chat::Qq => "chats/qq_招聘协调群.txt",
            Chat::Wechat => "chats/wechat_招聘沟通.txt",
            Chat::Whatsapp => "chats/whatsapp_上海招聘.txt",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Chat::Qq => "星河数据-招聘协调群",
            Chat::Wechat => "招聘沟通",
            Chat::Whatsapp => "上海销售招聘",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn description(self) -> &'static str {
        match self {
            Chat::Qq => "QQ group chat, QQ text export",
            Chat::Wechat => "WeChat group chat, WeChatMsg TXT export",
            Chat::Whatsapp => "WhatsApp group chat, Chinese-locale text export",
        }
    }
}

/// HR staff who post résumés and relay decisions (name, QQ number).
const HR: &[(&str, &str)] = &[
    ("孙悦", "2735118026"),
    ("林婷", "3158846620"),
    ("赵敏", "1647720935"),
];

/// QQ numbers of the interviewers, by index into `INTERVIEWERS`.
fn staff_qq(i: usize) -> String {
    format!("{}", 51_873_920 + i as u64 * 7_919_311)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sender {
    Hr(usize),
    Interviewer(usize),
}

impl Sender {
    fn name(self) -> &'static str {
        match self {
            Sender::Hr(i) => HR[i].0,
            Sender::Interviewer(i) => INTERVIEWERS[i].cn,
        }
    }

    fn qq(self) -> String {
        match self {
            Sender::Hr(i) => HR[i].1.to_string(),
            Sender::Interviewer(i) => HR
                .iter()
                .find(|h| h.0 == INTERVIEWERS[i].cn)
                .map_or_else(|| staff_qq(i), |h| h.1.to_string()),
        }
    }
}

struct Message {
    at: NaiveDateTime,
    /// Person id (0 for chatter), then order within the thread.
    person: u32,
    seq: u8,
    sender: Sender,
    text: String,
    /// For the mentions truth: entity id and what the message states.
    truth: Option<(String, &'static str)>,
}

/// Chat messages collected while the candidate files are written.
pub struct Chats {
    seed: u64,
    messages: [Vec<Message>; 3],
}

const CHATTER_LINES: &[&str] = &[
    "今天中午谁订饭？",
    "+1",
    "[表情]",
    "[图片]",
    "收到",
    "好的👌",
    "下午三点的会改到四点了",
    "会议室被占了，换到301",
    "周五团建大家记得报名",
    "打印机又卡纸了",
];

fn phone_text(rng: &mut Rng, phone: &str) -> String {
    let style = match rng.below(10) {
        0..=5 => PhoneStyle::Plain,
        6..=7 => PhoneStyle::Dashed,
        _ => PhoneStyle::Spaced,
    };
    n::phone(phone, style)
}

fn at(date: NaiveDate, hour: u32, rng: &mut Rng) -> NaiveDateTime {
    let time = NaiveTime::from_hms_opt(hour, rng.below(60) as u32, rng.below(60) as u32)
        .expect("valid time");
    NaiveDateTime::new(date, time)
}

/// The decision message for an outcome, with the decision it states, or
/// `None` when nothing has been decided yet.
fn decision(rng: &mut Rng, name: &str, a: &Appearance) -> Option<(String, &'static str)> {
    let reason = |rng: &mut Rng, r: usize| *rng.pick(REASONS[r].cn);
    Some(match a.app.outcome {
        Outcome::Rejected(r) => {
            let why = reason(rng, r);
            match rng.below(3) {
                0 => (format!("{name}{why}，不通过"), "rejected"),
                1 => (format!("{name}不合适，{why}"), "rejected"),
                _ => (format!("{name}：{why}，先不考虑"), "rejected"),
            }
        }
        Outcome::Withdrew(r) => {
            let why = reason(rng, r);
            (format!("{name}{why}，不来了"), "declined")
        }
        Outcome::Hired => match rng.below(2) {
            0 => (format!("{name}已入职"), "hired"),
            _ => (format!("决定录用{name}，下周一到岗"), "hired"),
        },
        Outcome::Offer => (
            format!("{name}终面过了，可以发offer，{}k", a.app.salary_k),
            "passed",
        ),
        Outcome::Pool => (format!("{name}先放人才库，有机会再联系"), "talent_pool"),
        Outcome::Interviewing => (format!("{name}一面过了，进入复试"), "passed"),
        Outcome::New | Outcome::Screening => return None,
    })
}

impl Chats {
    pub fn new(seed: u64) -> Chats {
        Chats {
            seed,
            messages: [Vec::new(), Vec::new(), Vec::new()],
        }
    }

    /// Maybe adds a thread about application `a` of `p` (`rng` is the
    /// person's own chat stream, so the choice does not depend on the order
    /// persons are visited in).
    pub fn consider(&mut self, rng: &mut Rng, p: &Person, a: &Appearance, entity: &str) {
        if !rng.chance(TALKED_ABOUT) {
            return;
        }
        let chat = match a.source {
            Source::OldSystem | Source::Register | Source::Ledger => Chat::Qq,
            Source::English | Source::Wechat => {
                if POSITIONS[a.app.position].track == super::company::Track::Sales
                    && rng.chance(0.5)
                {
                    Chat::Whatsapp
                } else {
                    Chat::Wechat
                }
            }
        };
        let year = a.app.date.year();
        let name = p.name();
        let hr = Sender::Hr(rng.index(HR.len()));
        let title = POSITIONS[a.app.position].title;
        let phone = phone_text(rng, p.phone_at(year));
        let intro = match rng.below(3) {
            0 => format!(
                "{title}新收到一份简历：{name}，{}，{}年经验，电话{phone}",
                p.school,
                p.years_at(year)
            ),
            1 => format!("{name}投了{title}，手机{phone}，期望{}k", a.app.salary_k),
            _ => format!("{title}来了个{name}，{phone}，{}毕业", p.school),
        };
        let entity = entity.to_string();
        let list = &mut self.messages[chat.index()];
        list.push(Message {
            at: at(a.app.date, 9 + rng.below(9) as u32, rng),
            person: p.id,
            seq: 0,
            sender: hr,
            text: intro,
            truth: Some((entity.clone(), "mention")),
        });
        // Later messages name the candidate, and half of the time repeat
        // the phone so that namesakes cannot be confused.
        let who = |rng: &mut Rng| {
            if rng.chance(0.5) {
                format!("{name}({phone})")
            } else {
                name.clone()
            }
        };
        let mut last = a.app.date;
        if let Some(i) = a.app.last_interview() {
            let remark = if i.remark_cn.is_empty() {
                "表现一般".to_string()
            } else {
                i.remark_cn.replace('；', "，")
            };
            let when = i.at + Duration::hours(1 + rng.range(0, 3));
            list.push(Message {
                at: when
                    .with_minute(rng.below(60) as u32)
                    .expect("valid minute"),
                person: p.id,
                seq: 1,
                sender: Sender::Interviewer(i.interviewer),
                text: format!("{}面完了，{remark}", who(rng)),
                truth: Some((entity.clone(), "evaluation")),
            });
            last = i.at.date();
        }
        let named = who(rng);
        if let Some((text, code)) = decision(rng, &named, a) {
            let day = last + Duration::days(rng.range(1, 3));
            let boss = matches!(code, "rejected" | "hired" | "passed") && rng.chance(0.5);
            list.push(Message {
                at: at(day, 9 + rng.below(10) as u32, rng),
                person: p.id,
                seq: 2,
                sender: if boss { Sender::Interviewer(0) } else { hr },
                text,
                truth: Some((entity, code)),
            });
        }
    }

    /// Sorts every chat by time, mixes in chatter and writes the exports.
    pub fn write(mut self, out: &Path, truth: &mut Mentions) -> Result<Vec<FileSummary>> {
        fs::create_dir_all(out.join(DIR))?;
        let mut files = Vec::new();
        for chat in Chat::ALL {
            let mut list = std::mem::take(&mut self.messages[chat.index()]);
            if let (Some(first), Some(last)) = (
                list.iter().map(|m| m.at).min(),
                list.iter().map(|m| m.at).max(),
            ) {
                let mut rng = Rng::derive(self.seed, NOISE_STREAM, chat as u64);
                let span = (last - first).num_seconds().max(1) as u64;
                let chatter = (list.len() as f64 * CHATTER).ceil() as usize;
                for k in 0..chatter {
                    let offset = rng.below(span) as i64;
                    let sender = if rng.chance(0.5) {
                        Sender::Hr(rng.index(HR.len()))
                    } else {
                        Sender::Interviewer(rng.index(INTERVIEWERS.len()))
                    };
                    list.push(Message {
                        at: first + Duration::seconds(offset),
                        person: 0,
                        seq: k.min(255) as u8,
                        sender,
                        text: rng.pick(CHATTER_LINES).to_string(),
                        truth: None,
                    });
                }
            }
            list.sort_by_key(|m| (m.at, m.person, m.seq));
            let rows = list.len();
            let path = out.join(chat.file());
            write_chat(&path, chat, &list, truth)?;
            files.push(FileSummary {
                path,
                rows,
                description: chat.description().to_string(),
            });
        }
        Ok(files)
    }
}

fn whatsapp_time(t: NaiveDateTime) -> String {
    let (pm, hour) = t.hour12();
    format!(
        "{}/{:02}/{:02} {}{}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        if pm { "下午" } else { "上午" },
        hour,
        t.minute()
    )
}

fn write_chat(path: &Path, chat: Chat, list: &[Message], truth: &mut Mentions) -> Result<()> {
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let mut line: u64 = 0;
    let put = |w: &mut BufWriter<File>, text: &str, line: &mut u64| -> Result<u64> {
        w.write_all(text.as_bytes())?;
        w.write_all(b"\n")?;
        *line += 1;
        Ok(*line)
    };
    match chat {
        Chat::Qq => {
            for l in [
                "消息记录（此消息记录为文本格式，不支持重新导入）",
                "",
                "================================================================",
                "消息分组:我的群聊",
                "================================================================",
                &format!("消息对象:{}", chat.title()),
                "================================================================",
                "",
            ] {
                put(&mut w, l, &mut line)?;
            }
        }
        Chat::Wechat => {
            if let Some(first) = list.first() {
                let t = first.at - Duration::minutes(5);
                put(
                    &mut w,
                    &format!(
                        "{} 你邀请\"{}\"加入了群聊",
                        t.format("%Y-%m-%d %H:%M:%S"),
                        HR[1].0
                    ),
                    &mut line,
                )?;
                put(&mut w, "", &mut line)?;
            }
        }
        Chat::Whatsapp => {
            if let Some(first) = list.first() {
                let t = first.at - Duration::minutes(5);
                put(
                    &mut w,
                    &format!(
                        "{} - 消息和通话已进行端到端加密。对话之外的任何人，甚至 WhatsApp 都无法读取或收听。点击了解更多。",
                        whatsapp_time(t)
                    ),
                    &mut line,
                )?;
            }
        }
    }
    for m in list {
        let header_line = match chat {
            Chat::Qq => {
                let l = put(
                    &mut w,
                    &format!(
                        "{} {}({})",
                        m.at.format("%Y-%m-%d %H:%M:%S"),
                        m.sender.name(),
                        m.sender.qq()
                    ),
                    &mut line,
                )?;
                put(&mut w, &m.text, &mut line)?;
                put(&mut w, "", &mut line)?;
                l
            }
            Chat::Wechat => {
                let l = put(
                    &mut w,
                    &format!("{} {}", m.at.format("%Y-%m-%d %H:%M:%S"), m.sender.name()),
                    &mut line,
                )?;
                put(&mut w, &m.text, &mut line)?;
                put(&mut w, "", &mut line)?;
                l
            }
            Chat::Whatsapp => put(
                &mut w,
                &format!("{} - {}: {}", whatsapp_time(m.at), m.sender.name(), m.text),
                &mut line,
            )?,
        };
        if let Some((entity, what)) = &m.truth {
            truth.add(chat.file(), "", header_line, entity, what)?;
        }
    }
    w.flush()?;
    Ok(())
}

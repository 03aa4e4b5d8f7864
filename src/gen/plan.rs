//! Who appears where: the sources (files) of the recruiting history with
//! their time spans and the assignment of persons to sources (the scripted
//! storyline of the committed sample lives in `story`).
//!
//! About a third of persons appear more than once. Appearances of one person
//! are in chronological order, so a changed phone or mailbox shows up in the
//! later files only.

use chrono::{Datelike, Duration, NaiveDate};

use super::history::{self, Application};
use super::people::Person;
use super::rng::Rng;
use super::story;

/// The files of the history, in chronological order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// The old HR system (retired mid-2021), exported as GBK CSV.
    OldSystem,
    /// The 2019–2021 register kept in Excel 97–2003 format.
    Register,
    /// The 2022 ledger with the two-row header.
    Ledger,
    /// The 2023–2024 English sheet.
    English,
    /// WeChat mini-form sign-ups, 2023–2024.
    Wechat,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid literal date")
}

impl Source {
    pub fn period(self) -> (NaiveDate, NaiveDate) {
        match self {
            Source::OldSystem => (ymd(2015, 3, 1), ymd(2021, 6, 20)),
            Source::Register => (ymd(2019, 1, 2), ymd(2021, 12, 24)),
            Source::Ledger => (ymd(2022, 1, 4), ymd(2022, 12, 16)),
            Source::English => (ymd(2023, 1, 3), ymd(2024, 12, 13)),
            Source::Wechat => (ymd(2023, 9, 1), ymd(2024, 12, 20)),
        }
    }

    /// When the file was last updated; later outcomes are not known to it.
    pub fn as_of(self) -> NaiveDate {
        match self {
            Source::OldSystem => ymd(2021, 7, 5),
            Source::Register => ymd(2021, 12, 31),
            Source::Ledger => ymd(2022, 12, 31),
            Source::English | Source::Wechat => ymd(2024, 12, 31),
        }
    }
}

/// Values a scripted row must show verbatim.
#[derive(Debug, Clone, Default)]
pub struct Forced {
    pub name: Option<&'static str>,
    /// Exact phone text; `Some("")` leaves the cell empty.
    pub phone: Option<&'static str>,
    pub email: Option<&'static str>,
    pub salary: Option<&'static str>,
    pub reason: Option<&'static str>,
    pub note: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Appearance {
    /// Index into `Plan::persons`.
    pub person: usize,
    pub source: Source,
    pub app: Application,
    pub forced: Forced,
}

pub struct Plan {
    pub persons: Vec<Person>,
    pub appearances: Vec<Appearance>,
}

/// How many files a person of the scale data set shows up in: ~30 % more
/// than once, and those who come back often come back more than once.
pub fn appearance_count(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=69 => 1,
        70..=89 => 2,
        90..=96 => 3,
        _ => 4,
    }
}

/// Draws `wanted` appearances of one person over `sources` (with weights;
/// fewer if the person graduated too late for some sources). When a person
/// is in both the old system and the register within their overlap, half
/// the time it is the same application entered twice.
pub fn draw_appearances(
    rng: &mut Rng,
    p: &Person,
    sources: &[(Source, u32)],
    wanted: usize,
) -> Vec<(Source, Application)> {
    let mut pool: Vec<(Source, u32)> = sources
        .iter()
        .copied()
        .filter(|(s, _)| s.period().1.year() >= p.grad_year - 1)
        .collect();
    pool.retain(|s| s.1 > 0);
    let mut chosen = Vec::new();
    while chosen.len() < wanted && !pool.is_empty() {
        let w: Vec<u32> = pool.iter().map(|s| s.1).collect();
        chosen.push(pool.remove(rng.weighted(&w)).0);
    }
    chosen.sort();
    let mut out: Vec<(Source, Application)> = Vec::new();
    let mut earliest = ymd(p.grad_year - 1, 9, 1);
    for s in chosen {
        let (start, end) = s.period();
        if let Some((Source::OldSystem, prev)) = out.last()
            && s == Source::Register
            && prev.date >= start
            && rng.chance(0.5)
        {
            let mut same = prev.clone();
            same.date = prev.date + Duration::days(rng.range(0, 3));
            out.push((s, same));
            continue;
        }
        let lo = start.max(earliest);
        if lo > end {
            continue;
        }
        let date = lo + Duration::days(rng.range(0, (end - lo).num_days()));
        let position = history::choose_position(rng, p, date.year());
        out.push((s, history::draw(rng, p, date, position, s.as_of())));
        earliest = date + Duration::days(45);
    }
    out
}

/// Sources of the committed sample and the rows each should get.
const SAMPLE_TARGETS: &[(Source, u32)] = &[
    (Source::OldSystem, 28),
    (Source::Register, 30),
    (Source::Ledger, 30),
    (Source::English, 32),
    (Source::Wechat, 24),
];

/// Appearance counts of the non-scripted persons of the sample: a fixed
/// quota (17 of them come back) rather than a draw, so the committed sample
/// has about a third of its persons in more than one file whatever the seed.
fn sample_counts(rng: &mut Rng, persons: usize) -> Vec<usize> {
    let mut counts = vec![1; persons];
    for (i, c) in [2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4]
        .into_iter()
        .enumerate()
    {
        if let Some(slot) = counts.get_mut(i) {
            *slot = c;
        }
    }
    rng.shuffle(&mut counts);
    counts
}

/// Persons `0..SCRIPTED` of the sample belong to the scripted storyline;
/// layouts plant their defects in other rows so the storyline stays clean.
pub const SCRIPTED: usize = 15;

/// Size of the committed sample's person pool.
pub const SAMPLE_PERSONS: u32 = 90;

const SAMPLE_STREAM: u64 = 0x504C_414E; // "PLAN"

/// The committed sample: scripted persons P0001–P0015, the rest random.
pub fn sample_plan(seed: u64) -> Plan {
    let mut persons: Vec<Person> = (1..=SAMPLE_PERSONS)
        .map(|id| Person::generate(seed, id))
        .collect();
    let mut rng = Rng::derive(seed, SAMPLE_STREAM, 0);
    let mut appearances = Vec::new();
    story::script(&mut rng, &mut persons, &mut appearances);
    let counts = sample_counts(&mut rng, persons.len() - SCRIPTED);
    for ((i, p), wanted) in persons.iter().enumerate().skip(SCRIPTED).zip(counts) {
        // Weights are the rows each file still lacks, so files end up close
        // to their targets.
        let remaining: Vec<(Source, u32)> = SAMPLE_TARGETS
            .iter()
            .map(|&(s, target)| {
                let used = appearances
                    .iter()
                    .filter(|a: &&Appearance| a.source == s)
                    .count() as u32;
                (s, target.saturating_sub(used).max(1))
            })
            .collect();
        for (source, app) in draw_appearances(&mut rng, p, &remaining, wanted) {
            appearances.push(Appearance {
                person: i,
                source,
                app,
                forced: Forced::default(),
            });
        }
    }
    Plan {
        persons,
        appearances,
    }
}

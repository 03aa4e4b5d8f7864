//! Blocking: which record pairs are compared at all.
//!
//! Comparing every pair of a million records is 5·10¹¹ comparisons, so only
//! records that share a blocking key become candidate pairs:
//! - a phone number, an e-mail address, an e-mail local part (at least
//!   three characters), an id number or a WeChat id;
//! - a name key (a Latin/pinyin key, or the Hanzi key of a name that has no
//!   romanization) together with the same birth year, or the same city, or
//!   the same position applied to within [`APPLICATION_BUCKET_DAYS`]
//!   (records join their own and the next time bucket, so two dates that
//!   close always share one), or, for records with neither birth date,
//!   city nor applications, the name alone.
//!
//! The name + application key replaces the name alone for records that
//! have applications: a pair of namesakes with nothing else in common can
//! never be merged (a name alone never merges, see [`super`]), and the one
//! way such a record merges without an identifier is the same application
//! ([`super::Comparison::same_application`]), which this key finds. At a
//! million records the name-only blocks were most of the candidate pairs.
//!
//! Blocks are capped at `max_block_size` records. A common name (`张伟` in
//! Hangzhou, thousands of records at a million-record scale) or a shared
//! switchboard number would otherwise produce millions of pairs, nearly all
//! of them non-matches. An oversized block is split by a finer key instead:
//! - a phone, e-mail, local-part, id or WeChat block by name key (records
//!   without a name drop out of it);
//! - a name + birth-year block by full birth date and by phone suffix (the
//!   last four digits);
//! - a name + city block by birth year and by phone suffix;
//! - a name-only block (no birth date, no city) by phone suffix.
//!
//! A sub-block that is still too large is skipped and counted in
//! [`BlockingStats::dropped_blocks`]; its records still meet through their
//! other keys. Pairs are deduplicated and returned sorted, so the candidate
//! set depends only on the records, not on their order or on thread timing.

use chrono::Datelike;
use rayon::prelude::*;

use super::keys::{RecordKeys, hash_str, mix};

/// Counts describing the blocking step, for the report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockingStats {
    /// Blocks (of at least two records) that produced pairs.
    pub blocks: usize,
    /// Records in the largest block that produced pairs.
    pub largest_block: usize,
    /// Blocks over the size cap that were split by finer keys.
    pub oversized_blocks: usize,
    /// Sub-blocks still over the cap after splitting, skipped.
    pub dropped_blocks: usize,
    /// Distinct candidate pairs.
    pub pairs: usize,
}

/// What a blocking key is made of; decides how an oversized block splits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Identifier = 0,
    NameYear = 1,
    NameCity = 2,
    NameOnly = 3,
    NameApplication = 4,
    Refined = 5,
}

/// One record's membership in one block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    key: u64,
    rec: u32,
    kind: Kind,
}

// Distinct tags keep keys of different kinds apart.
const TAG_PHONE: u64 = 1;
const TAG_EMAIL: u64 = 2;
const TAG_LOCAL: u64 = 3;
const TAG_ID: u64 = 4;
const TAG_WECHAT: u64 = 5;
const TAG_NAME_YEAR: u64 = 6;
const TAG_NAME_CITY: u64 = 7;
const TAG_NAME_ONLY: u64 = 8;
const TAG_BY_NAME: u64 = 9;
const TAG_BY_DATE: u64 = 10;
const TAG_BY_YEAR: u64 = 11;
const TAG_BY_SUFFIX: u64 = 12;
const TAG_NAME_APPLICATION: u64 = 13;

/// Width of the time buckets of the name + application key, in days: the
/// window within which two dates count as the same application.
pub const APPLICATION_BUCKET_DAYS: i32 = super::compare::SAME_APPLICATION_DAYS;

fn combine(a: u64, b: u64) -> u64 {
    mix(a ^ mix(b).rotate_left(23) ^ 0x9e37_79b9_7f4a_7c15)
}

/// The name hashes used for blocking: the Latin keys, or the Hanzi key of a
/// name that could not be romanized (every record with the same Hanzi key
/// has the same Latin keys, so the Hanzi key adds nothing otherwise).
fn blocking_names(k: &RecordKeys) -> Vec<u64> {
    let mut names = Vec::new();
    blocking_names_into(k, &mut names);
    names
}

/// [`blocking_names`], into `out` (cleared first).
fn blocking_names_into(k: &RecordKeys, out: &mut Vec<u64>) {
    out.clear();
    match &k.name {
        None => {}
        Some(n) if n.latin.is_empty() => out.extend(n.hanzi.iter().map(|h| hash_str(h))),
        Some(n) => out.extend(n.latin.iter().map(|(h, _)| *h)),
    }
}

/// Lists reused from record to record by [`entries_of`], so that the
/// names and application keys of tens of millions of entries are not a
/// heap block each.
#[derive(Default)]
struct Scratch {
    entries: Vec<Entry>,
    names: Vec<u64>,
    apps: Vec<u64>,
}

fn entries_of(rec: u32, k: &RecordKeys, scratch: &mut Scratch) {
    let Scratch {
        entries: out,
        names,
        apps,
    } = scratch;
    let mut push = |key: u64, kind: Kind| out.push(Entry { key, rec, kind });
    for p in &k.phones {
        push(combine(TAG_PHONE, *p), Kind::Identifier);
    }
    for e in &k.emails {
        push(combine(TAG_EMAIL, hash_str(e)), Kind::Identifier);
    }
    for l in &k.locals {
        push(combine(TAG_LOCAL, hash_str(l)), Kind::Identifier);
    }
    if let Some(id) = &k.id_number {
        push(combine(TAG_ID, hash_str(id)), Kind::Identifier);
    }
    if let Some(w) = &k.wechat {
        push(combine(TAG_WECHAT, hash_str(w)), Kind::Identifier);
    }
    let city = k.city.as_deref().map(hash_str);
    blocking_names_into(k, names);
    for &n in names.iter() {
        if let Some(b) = k.birth {
            push(
                combine(combine(TAG_NAME_YEAR, n), b.year() as u64),
                Kind::NameYear,
            );
        }
        if let Some(c) = city {
            push(combine(combine(TAG_NAME_CITY, n), c), Kind::NameCity);
        }
        if k.birth.is_none() && city.is_none() && k.applied.is_empty() {
            push(combine(TAG_NAME_ONLY, n), Kind::NameOnly);
        }
        apps.clear();
        apps.extend(k.applied.iter().flat_map(|&(position, day)| {
            let bucket = day.div_euclid(APPLICATION_BUCKET_DAYS);
            [bucket, bucket + 1].map(|b| {
                combine(
                    combine(combine(TAG_NAME_APPLICATION, n), position),
                    b as u64,
                )
            })
        }));
        apps.sort_unstable();
        apps.dedup();
        for &key in apps.iter() {
            push(key, Kind::NameApplication);
        }
    }
}

/// The finer keys a member of an oversized block is re-blocked under.
fn refine(group: u64, kind: Kind, rec: u32, k: &RecordKeys, out: &mut Vec<Entry>) {
    let mut push = |tag: u64, v: u64| {
        out.push(Entry {
            key: combine(combine(tag, group), v),
            rec,
            kind: Kind::Refined,
        })
    };
    let suffixes = || k.phones.iter().map(|p| p % 10_000);
    match kind {
        Kind::Identifier => {
            for n in blocking_names(k) {
                push(TAG_BY_NAME, n);
            }
        }
        Kind::NameYear => {
            if let Some(b) = k.birth {
                push(TAG_BY_DATE, b.num_days_from_ce() as u64);
            }
            for s in suffixes() {
                push(TAG_BY_SUFFIX, s);
            }
        }
        Kind::NameCity => {
            if let Some(b) = k.birth {
                push(TAG_BY_YEAR, b.year() as u64);
            }
            for s in suffixes() {
                push(TAG_BY_SUFFIX, s);
            }
        }
        Kind::NameOnly | Kind::NameApplication => {
            for s in suffixes() {
                push(TAG_BY_SUFFIX, s);
            }
        }
        Kind::Refined => {}
    }
}

/// Calls `f` with the distinct records of every run of equal keys that has
/// at least two of them (entries are sorted by key, then record).
fn for_each_block(entries: &[Entry], mut f: impl FnMut(&[Entry], &[u32])) {
    let mut members: Vec<u32> = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let key = entries[start].key;
        let mut end = start + 1;
        while end < entries.len() && entries[end].key == key {
            end += 1;
        }
        if end - start >= 2 {
            members.clear();
            members.extend(entries[start..end].iter().map(|e| e.rec));
            members.dedup();
            if members.len() >= 2 {
                f(&entries[start..end], &members);
            }
        }
        start = end;
    }
}

/// Blocks kept for pair generation, stored flat.
#[derive(Default)]
struct Blocks {
    flat: Vec<u32>,
    ranges: Vec<(usize, usize)>,
}

impl Blocks {
    fn push(&mut self, members: &[u32]) {
        let start = self.flat.len();
        self.flat.extend_from_slice(members);
        self.ranges.push((start, self.flat.len()));
    }

    /// Drops blocks whose member list repeats an earlier block's (a Hanzi
    /// name's two word orders usually block the very same records).
    fn dedup(&mut self) {
        let flat = &self.flat;
        let mut order: Vec<(u64, usize)> = self
            .ranges
            .iter()
            .enumerate()
            .map(|(i, &(s, e))| {
                let h = flat[s..e]
                    .iter()
                    .fold(e as u64 - s as u64, |h, m| mix(h ^ u64::from(*m)));
                (h, i)
            })
            .collect();
        order.par_sort_unstable();
        let mut keep = vec![true; self.ranges.len()];
        for w in 1..order.len() {
            let (h, i) = order[w];
            let (g, j) = order[w - 1];
            if h == g {
                let (a, b) = (self.ranges[i], self.ranges[j]);
                if flat[a.0..a.1] == flat[b.0..b.1] {
                    keep[i.max(j)] = false;
                    // Keep comparing later duplicates against the survivor.
                    order[w] = (g, i.min(j));
                }
            }
        }
        let mut k = keep.iter();
        self.ranges.retain(|_| *k.next().unwrap_or(&true));
    }
}

/// Records per chunk in [`all_entries`].
const ENTRY_CHUNK: usize = 4096;

/// The blocking entries of every record, in record order, in one list of
/// exactly their number: each chunk of records counts its entries first,
/// then fills its own part of the list. Gathering per-thread lists and
/// joining them held two to three times the entries at once, which at a
/// million records (tens of millions of entries) was the peak of all of
/// resolution.
fn all_entries(keys: &[RecordKeys]) -> Vec<Entry> {
    let chunk_entries = |scratch: &mut Scratch, c: usize, chunk: &[RecordKeys]| {
        scratch.entries.clear();
        for (j, k) in chunk.iter().enumerate() {
            entries_of((c * ENTRY_CHUNK + j) as u32, k, scratch);
        }
    };
    let counts: Vec<usize> = keys
        .par_chunks(ENTRY_CHUNK)
        .enumerate()
        .map_init(Scratch::default, |scratch, (c, chunk)| {
            chunk_entries(scratch, c, chunk);
            scratch.entries.len()
        })
        .collect();
    let empty = Entry {
        key: 0,
        rec: 0,
        kind: Kind::Identifier,
    };
    let mut entries = vec![empty; counts.iter().sum()];
    let mut parts: Vec<&mut [Entry]> = Vec::with_capacity(counts.len());
    let mut rest = entries.as_mut_slice();
    for &n in &counts {
        let (part, tail) = std::mem::take(&mut rest).split_at_mut(n);
        parts.push(part);
        rest = tail;
    }
    keys.par_chunks(ENTRY_CHUNK)
        .zip(parts)
        .enumerate()
        .for_each_init(Scratch::default, |scratch, (c, (chunk, part))| {
            chunk_entries(scratch, c, chunk);
            part.copy_from_slice(&scratch.entries);
        });
    entries
}

/// The candidate pairs of `keys` (indices into it, `a < b`), sorted and
/// deduplicated, with blocking statistics. `max_block_size` is at least 2.
pub fn candidate_pairs(
    keys: &[RecordKeys],
    max_block_size: usize,
) -> (Vec<(u32, u32)>, BlockingStats) {
    let max = max_block_size.max(2);
    let mut stats = BlockingStats::default();
    let mut entries = all_entries(keys);
    entries.par_sort_unstable();

    let mut blocks = Blocks::default();
    let mut refined: Vec<Entry> = Vec::new();
    for_each_block(&entries, |run, members| {
        if members.len() <= max {
            blocks.push(members);
        } else {
            stats.oversized_blocks += 1;
            let (key, kind) = (run[0].key, run[0].kind);
            for &rec in members {
                refine(key, kind, rec, &keys[rec as usize], &mut refined);
            }
        }
    });
    drop(entries);
    refined.par_sort_unstable();
    for_each_block(&refined, |_, members| {
        if members.len() <= max {
            blocks.push(members);
        } else {
            stats.dropped_blocks += 1;
        }
    });
    drop(refined);
    blocks.dedup();

    stats.blocks = blocks.ranges.len();
    stats.largest_block = blocks.ranges.iter().map(|(s, e)| e - s).max().unwrap_or(0);
    let flat = &blocks.flat;
    let mut packed: Vec<u64> = blocks
        .ranges
        .par_iter()
        .flat_map_iter(|&(s, e)| {
            let m = &flat[s..e];
            m.iter().enumerate().flat_map(move |(i, a)| {
                m[i + 1..]
                    .iter()
                    .map(move |b| (u64::from(*a) << 32) | u64::from(*b))
            })
        })
        .collect();
    packed.par_sort_unstable();
    packed.dedup();
    stats.pairs = packed.len();
    let pairs = packed
        .into_iter()
        .map(|p| ((p >> 32) as u32, p as u32))
        .collect();
    (pairs, stats)
}

/// Record pairs for measuring `u` (how often fields agree between
/// different people): every pair when there are at most `count`, else
/// `count` pairs drawn with replacement by a fixed pseudo-random sequence,
/// so the sample depends only on `n`.
pub fn random_pairs(n: usize, count: u64) -> Vec<(u32, u32)> {
    let n64 = n as u64;
    let total = n64.saturating_mul(n64.saturating_sub(1)) / 2;
    if total <= count {
        let n = n as u32;
        return (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .collect();
    }
    let mut state = 0x5eed_0000_0000_0000 ^ n64;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(state)
    };
    let mut out = Vec::with_capacity(count as usize);
    while (out.len() as u64) < count {
        let (a, b) = ((next() % n64) as u32, (next() % n64) as u32);
        if a != b {
            out.push((a.min(b), a.max(b)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PersonRecord;
    use chrono::NaiveDate;

    fn rec(name: &str, phone: Option<&str>, birth: Option<(i32, u32, u32)>) -> RecordKeys {
        RecordKeys::from_record(&PersonRecord {
            name: Some(name.into()),
            name_key: Some(name.into()),
            phones: phone.into_iter().map(str::to_string).collect(),
            birth_date: birth.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            ..Default::default()
        })
    }

    #[test]
    fn shared_phone_or_name_with_year_make_pairs() {
        let keys = vec![
            rec("张三", Some("+8613800138000"), None),
            rec("李四", Some("+8613800138000"), None),
            rec("张伟", None, Some((1990, 1, 1))),
            rec("张伟", None, Some((1990, 6, 1))),
            rec("张伟", None, Some((1991, 6, 1))),
            rec("张伟", None, None),
        ];
        let (pairs, stats) = candidate_pairs(&keys, 100);
        assert_eq!(pairs, vec![(0, 1), (2, 3)]);
        assert_eq!(stats.pairs, 2);
        assert_eq!(stats.oversized_blocks, 0);
    }

    #[test]
    fn oversized_name_blocks_split_by_phone_suffix_and_date() {
        let mut keys: Vec<RecordKeys> = (0..10)
            .map(|i| {
                let phone = format!("+861380013{:04}", 1000 + i);
                rec("张伟", Some(&phone), Some((1990, 1, 1 + i)))
            })
            .collect();
        // Same suffix as record 0, another prefix.
        keys.push(rec("张伟", Some("+8613912341000"), Some((1990, 3, 3))));
        // Same birth date as record 1.
        keys.push(rec("张伟", None, Some((1990, 1, 2))));
        let (pairs, stats) = candidate_pairs(&keys, 5);
        assert_eq!(pairs, vec![(0, 10), (1, 11)]);
        assert_eq!(stats.oversized_blocks, 2);
        assert_eq!(stats.dropped_blocks, 0);
        assert_eq!(stats.largest_block, 2);
    }

    #[test]
    fn random_pairs_are_all_pairs_or_a_fixed_sample() {
        assert_eq!(random_pairs(3, 10), vec![(0, 1), (0, 2), (1, 2)]);
        assert!(random_pairs(1, 10).is_empty());
        let sample = random_pairs(1000, 50);
        assert_eq!(sample.len(), 50);
        assert!(sample.iter().all(|(a, b)| a < b && *b < 1000));
        assert_eq!(sample, random_pairs(1000, 50));
    }

    #[test]
    fn oversized_refined_blocks_are_dropped() {
        let keys: Vec<RecordKeys> = (0..4)
            .map(|_| rec("张伟", Some("+8613800138000"), Some((1990, 1, 1))))
            .collect();
        let (pairs, stats) = candidate_pairs(&keys, 3);
        assert!(pairs.is_empty());
        assert!(stats.dropped_blocks > 0);
    }
}

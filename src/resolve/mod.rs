//! Entity resolution: which person records describe the same person, why,
//! and what the merged person looks like.
//!
//! [`resolve`] takes one [`PersonRecord`] per source row and runs, without
//! any I/O:
//! 1. [`keys`]: matching keys per record, once (with [`names`]: pinyin
//!    spellings of Hanzi names; Latin name keys, phone digits, e-mails…);
//! 2. [`block`]: candidate pairs from shared keys, with a block-size cap;
//! 3. [`compare`]: a graded level per field for every candidate pair, in
//!    parallel;
//! 4. [`weights`]: Fellegi–Sunter weights (defaults, configured, or
//!    estimated with EM) and a score per pair;
//! 5. a decision per pair (merge, review, separate) from the score, the
//!    hard rules and the identifier rule below;
//! 6. [`cluster`]: merges applied strongest first under cannot-link
//!    constraints, so weak links do not chain different people together;
//! 7. [`ids`]: stable candidate ids, optionally continuing a previous run;
//! 8. [`survive`]: one surviving record per entity, with every losing value
//!    kept as a conflict.
//!
//! **Why a name alone never merges.** `张伟`, `王芳` and `李娜` are shared by
//! hundreds of thousands of people; an exact name match plus a shared city
//! or school is still far more often two people than one. A pair whose
//! score reaches the threshold is therefore merged only if at least one
//! identifying field (phone, e-mail, id number, WeChat id or birth date)
//! agrees exactly. Otherwise, when a phone, e-mail or WeChat id that both
//! records hold differs, the pair is separated with the rule
//! `identifier_disagrees`: on generated data with ground truth not one of
//! those pairs was one person (0 of 4,464 at 100k candidates, 0 of 649,224
//! at 1M), and at 1M they were 85 % of a review list of 760,000 pairs —
//! namesakes grow with the square of the records. The rest goes to review
//! with the rule `no_agreeing_identifier`. Below the threshold, only pairs with an
//! agreeing identifier are worth a reviewer's time (a shared phone under a
//! different name, say); a pair held together by nothing but its name and
//! some soft fields is separated, or every common name in a million records
//! would flood the review queue.
//!
//! **Hard rules** (each can be switched off) take precedence over the
//! score, "never" over "always": a pair with conflicting id numbers, or
//! whose phones all differ while their birth years differ too, is never
//! merged and becomes a cannot-link constraint; a pair sharing a name key
//! and a phone number is always merged.
//!
//! The result is deterministic: records are ordered by record id first,
//! candidate pairs are sorted, and parallel work is collected in order.

pub mod block;
pub mod cluster;
pub mod compare;
pub mod ids;
pub mod keys;
pub mod names;
pub mod options;
pub mod sketch;
pub mod survive;
pub mod weights;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::model::PersonRecord;
use rayon::prelude::*;

pub use block::BlockingStats;
pub use compare::{Comparison, Field, Level, N, PairComparison};
pub use ids::IdMap;
pub use options::{
    ConfiguredWeights, EmOptions, HardRules, LevelProbs, MatchProbs, ResolveOptions,
    SurvivorshipOverrides,
};
pub use survive::{Conflict, Rule, SurvivorField};
pub use weights::{EmReport, FieldWeights, WeightSource, Weights};

/// Rule name: the two records carry different id numbers.
pub const RULE_CONFLICTING_ID: &str = "conflicting_id_numbers";
/// Rule name: every phone differs and the birth years differ.
pub const RULE_PHONES_AND_BIRTH_YEARS: &str = "different_phones_and_birth_years";
/// Rule name: same name key and a shared phone number.
pub const RULE_SAME_NAME_AND_PHONE: &str = "same_name_and_phone";
/// Rule name: the score reached the threshold but no identifying field agrees.
pub const RULE_NO_IDENTIFIER: &str = "no_agreeing_identifier";
/// Rule name: the score reached the threshold, no identifying field agrees
/// and a phone, e-mail or WeChat id both records hold differs.
pub const RULE_IDENTIFIER_DISAGREES: &str = "identifier_disagrees";
/// Rule name: the score is below `cannot_link_below`.
pub const RULE_STRONG_DISAGREEMENT: &str = "strong_disagreement";
/// Rule name: a merge refused because the two clusters hold a cannot-link pair.
pub const RULE_CANNOT_LINK: &str = "cannot_link";
/// Rule name: merged on the same name and the same application (position
/// and dates), with no identifier to agree or differ.
pub const RULE_SAME_APPLICATION: &str = "same_application";
/// Rule name: a same-application merge kept among namesakes because the
/// others are known by other characters (see [`ambiguous_applications`]).
pub const RULE_SAME_APPLICATION_CHARACTERS: &str = "same_application_characters";
/// Rule name: a record that the same-application rule ties to two people
/// whose contact details differ; left for review.
pub const RULE_AMBIGUOUS_APPLICATION: &str = "ambiguous_application";
/// Rule name: a person reviewing the pair said it is one person.
pub const RULE_REVIEWED_SAME: &str = "reviewed_same";
/// Rule name: a person reviewing the pair said it is two people.
pub const RULE_REVIEWED_DIFFERENT: &str = "reviewed_different";

/// A person's decision on a pair of records, read back from a review list
/// (see `crate::review`): the two record ids, in either order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Verdict {
    pub record_a: String,
    pub record_b: String,
    /// One person (`true`) or two.
    pub same: bool,
}

/// What [`resolve_reviewed`] did with the verdicts it was given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct VerdictCounts {
    /// Pairs merged because a person said they are one person.
    pub same: usize,
    /// Pairs kept apart because a person said they are two people.
    pub different: usize,
    /// Verdicts naming a record this run does not have (its source row was
    /// edited or removed since): not applied.
    pub not_found: usize,
}

/// Lower edge of the first histogram bin; lower scores are counted in it.
pub const HISTOGRAM_MIN: f64 = -20.0;
/// Upper edge of the last histogram bin; higher scores are counted in it.
pub const HISTOGRAM_MAX: f64 = 30.0;
/// Width of a histogram bin, in bits.
pub const HISTOGRAM_BIN: f64 = 2.0;

/// What happens to a compared pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Decision {
    /// The same person: the two records join one entity (unless a
    /// cannot-link forbids it, which turns the pair into a review).
    Merge,
    /// Possibly the same person: for a human to check.
    Review,
    /// Different people, or not enough evidence.
    Separate,
}

impl Decision {
    /// `merge`, `review` or `separate`.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Merge => "merge",
            Decision::Review => "review",
            Decision::Separate => "separate",
        }
    }
}

/// One compared pair, for the merge report.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeRow {
    /// The record of the pair's smaller record id, by its position in
    /// record-id order ([`Resolution::order`]).
    pub a: u32,
    /// The record of the pair's larger record id, likewise.
    pub b: u32,
    /// One level per field, indexed by [`Field::index`]; see [`MergeRow::level_names`].
    pub levels: [Level; N],
    /// Total score in bits.
    pub score: f64,
    /// What was decided for the pair.
    pub decision: Decision,
    /// The rule that decided or qualified the pair, if any (`RULE_*`).
    pub rule: Option<&'static str>,
}

impl MergeRow {
    /// The levels as `(field name, level name)`, in field order.
    pub fn level_names(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        Field::ALL
            .iter()
            .zip(&self.levels)
            .map(|(f, l)| (f.name(), l.name()))
    }
}

/// One resolved person.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// The entity's stable id (see [`ids`]).
    pub candidate_id: String,
    /// Input indices of the member records, in record-id order.
    pub members: Vec<usize>,
    /// The merged record of an entity of two or more members; its
    /// `candidate_id` is the entity's id. `None` for a single member, whose
    /// record survives as itself (see [`survivors`]) and is not copied here:
    /// most entities have one member, and copying them all was most of the
    /// stage's time and memory at a million records (boxed, so a
    /// single member's entity carries no empty record either).
    pub merged: Option<Box<PersonRecord>>,
}

/// The surviving record of every entity, in entity order, taking the input
/// records: a single member's record is moved into place
/// ([`survive::single`]), a merged entity's record is the one [`resolve`]
/// built.
pub fn survivors(
    entities: Vec<Entity>,
    records: Vec<PersonRecord>,
    rules: &SurvivorshipOverrides,
) -> Vec<PersonRecord> {
    // Each record is moved out once, into a list of exactly the
    // survivors: a list as long as the input would keep the places of
    // the records merged into others resident for the rest of the run.
    let mut records = records;
    let mut out: Vec<PersonRecord> = Vec::with_capacity(entities.len());
    let mut single: Vec<Option<String>> = Vec::with_capacity(entities.len());
    for e in entities {
        match e.merged {
            Some(m) => {
                out.push(*m);
                single.push(None);
            }
            None => {
                let record = e
                    .members
                    .first()
                    .and_then(|&i| records.get_mut(i))
                    .map(std::mem::take)
                    .unwrap_or_default();
                out.push(record);
                single.push(Some(e.candidate_id));
            }
        }
    }
    // The records merged into others, freed side by side.
    records.into_par_iter().for_each(drop);
    out.par_iter_mut()
        .zip(single)
        .for_each(|(r, candidate_id)| {
            if let Some(id) = candidate_id {
                *r = survive::single(std::mem::take(r), &id, rules);
            }
        });
    out
}

/// Everything [`resolve`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolution {
    /// Index into `entities` for every input record.
    pub entity_of: Vec<usize>,
    /// The input records in record-id order (of two records with one id,
    /// the earlier first), by index: the positions merge rows name.
    pub order: Vec<u32>,
    /// Entities ordered by their smallest member record id.
    pub entities: Vec<Entity>,
    /// Every compared pair, sorted by record ids (see [`Resolution::records_of`]).
    pub merges: Vec<MergeRow>,
    /// Losing survivorship values, in entity order.
    pub conflicts: Vec<Conflict>,
    /// `(lower bin edge, pairs)` of pair scores.
    pub histogram: Vec<(f64, u64)>,
    /// `(old, new)` candidate ids of previous candidates merged into others.
    pub id_changes: Vec<(String, String)>,
    /// The weights scored with, per field.
    pub weights: Vec<FieldWeights>,
    /// What the EM estimation did.
    pub em: EmReport,
    /// What blocking did.
    pub blocking: BlockingStats,
    /// What the review verdicts did.
    pub verdicts: VerdictCounts,
    /// Wall time of each step in milliseconds, in order (`order`, `keys`,
    /// `blocking`, `sketches`, `compare`, `weights`, `decide`, `cluster`, `survive`,
    /// `merges`).
    pub step_ms: Vec<(&'static str, u64)>,
}

impl Resolution {
    /// The input indices of a merge row's two records.
    pub fn records_of(&self, m: &MergeRow) -> (usize, usize) {
        (
            self.order[m.a as usize] as usize,
            self.order[m.b as usize] as usize,
        )
    }
}

/// The decision for one compared pair with its score: the decision, the
/// rule that fired (if any) and whether the pair is a cannot-link.
pub fn decide(
    c: &Comparison,
    score: f64,
    opts: &ResolveOptions,
) -> (Decision, Option<&'static str>, bool) {
    let rules = &opts.rules;
    if rules.never_conflicting_id && c.level(Field::IdNumber) == Level::Different {
        return (Decision::Separate, Some(RULE_CONFLICTING_ID), true);
    }
    let birth_years_differ = c.level(Field::BirthDate) == Level::Different;
    if rules.never_different_phones_and_birth_years
        && c.level(Field::Phone) == Level::Different
        && birth_years_differ
    {
        return (Decision::Separate, Some(RULE_PHONES_AND_BIRTH_YEARS), true);
    }
    if rules.always_same_name_and_phone
        && c.name_key_shared
        && c.level(Field::Phone) == Level::Exact
    {
        return (Decision::Merge, Some(RULE_SAME_NAME_AND_PHONE), false);
    }
    if score >= opts.threshold {
        if c.identifier_exact() {
            return (Decision::Merge, None, false);
        }
        if c.same_application() {
            return (Decision::Merge, Some(RULE_SAME_APPLICATION), false);
        }
        // Both hold a phone, e-mail or WeChat id and they differ: no
        // question for a reviewer (see the module documentation).
        if [Field::Phone, Field::Email, Field::Wechat]
            .iter()
            .any(|&f| c.level(f) == Level::Different)
        {
            return (Decision::Separate, Some(RULE_IDENTIFIER_DISAGREES), false);
        }
        return (Decision::Review, Some(RULE_NO_IDENTIFIER), false);
    }
    if score >= opts.threshold - opts.review_band && c.identifier_agrees() {
        return (Decision::Review, None, false);
    }
    if score < opts.cannot_link_below {
        return (Decision::Separate, Some(RULE_STRONG_DISAGREEMENT), true);
    }
    (Decision::Separate, None, false)
}

/// Compares two records under `weights`: the level of every field and the
/// total score. [`resolve`] does the same for every candidate pair.
pub fn compare_records(a: &PersonRecord, b: &PersonRecord, weights: &Weights) -> PairComparison {
    let c = compare::compare(
        &keys::RecordKeys::from_record(a),
        &keys::RecordKeys::from_record(b),
    );
    PairComparison {
        levels: c.levels,
        score: weights.score(&c.levels),
    }
}

/// Counts scores into bins of [`HISTOGRAM_BIN`] bits from [`HISTOGRAM_MIN`]
/// to [`HISTOGRAM_MAX`]; the first and last bins also hold everything
/// below and above. Returns `(lower edge, count)` for every bin.
pub fn histogram(scores: impl Iterator<Item = f64>) -> Vec<(f64, u64)> {
    let bins = ((HISTOGRAM_MAX - HISTOGRAM_MIN) / HISTOGRAM_BIN) as usize;
    let mut counts = vec![0u64; bins];
    for s in scores {
        let i = ((s - HISTOGRAM_MIN) / HISTOGRAM_BIN).floor();
        let i = if i.is_nan() {
            0
        } else {
            (i.max(0.0) as usize).min(bins - 1)
        };
        counts[i] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, n)| (HISTOGRAM_MIN + i as f64 * HISTOGRAM_BIN, n))
        .collect()
}

/// Turns same-application merges into reviews for every record they would
/// tie to two people whose contact details conflict (two `陈峰` with their
/// own phones interviewing for the same job that month, and an interview
/// row naming just `陈峰`): which of them the row is about is a guess.
///
/// Before calling it a guess, partners known under another name in Hanzi
/// are set aside, as a recruiter would: an interview row `李立` is not about
/// the `李丽` who applied that month (same pinyin, other characters), nor
/// about a `Li Li` whose phone or e-mail belongs to that `李丽`. When the
/// partners left agree with each other, the row joins them (rule
/// `same_application_characters`) and only its links to the set-aside ones
/// go to review. If two people are still left, the row goes to review: at
/// a million generated records, also picking the one namesake whose sheet
/// holds the row's very day (the interview date) joined more rows to the
/// wrong person than a reviewer should have to undo (precision 0.9954 →
/// 0.9939).
fn ambiguous_applications(
    pairs: &[(u32, u32)],
    decided: &mut [(f64, Decision, Option<&'static str>, bool)],
    compare: &impl Fn(u32, u32) -> Comparison,
    keys: &[keys::RecordKeys],
) {
    // A same-application merge: the other record and the pair's index.
    type Link = (u32, usize);
    let hanzi = |r: u32| {
        keys[r as usize]
            .name
            .as_ref()
            .and_then(|n| n.hanzi.as_deref())
    };
    let mut partners: BTreeMap<u32, Vec<Link>> = BTreeMap::new();
    for (i, d) in decided.iter().enumerate() {
        if d.1 == Decision::Merge && d.2 == Some(RULE_SAME_APPLICATION) {
            let (a, b) = pairs[i];
            partners.entry(a).or_default().push((b, i));
            partners.entry(b).or_default().push((a, i));
        }
    }
    if partners.is_empty() {
        return;
    }
    // Hanzi names a record is tied to by an agreeing identifier, for the
    // records with a same-application partner (the only ones asked about).
    let mut known_as: foldhash::HashMap<u32, Vec<&str>> = foldhash::HashMap::default();
    for (i, d) in decided.iter().enumerate() {
        if d.1 != Decision::Merge || d.2 == Some(RULE_SAME_APPLICATION) {
            continue;
        }
        let (a, b) = pairs[i];
        for (x, y) in [(a, b), (b, a)] {
            if partners.contains_key(&x)
                && let Some(h) = hanzi(y)
            {
                known_as.entry(x).or_default().push(h);
            }
        }
    }
    let conflict = |list: &[&Link]| {
        list.iter().enumerate().any(|(k, &&(p, _))| {
            list[k + 1..]
                .iter()
                .any(|&&(q, _)| compare(p.min(q), p.max(q)).contacts_conflict())
        })
    };
    let mut demote: Vec<usize> = Vec::new();
    let mut relabel: Vec<usize> = Vec::new();
    for (&r, list) in &partners {
        let all: Vec<&Link> = list.iter().collect();
        if !conflict(&all) {
            continue;
        }
        // Partners whose own Hanzi name, or every Hanzi name their
        // identifiers tie them to, differs from this record's.
        let other_name = |q: u32| match (hanzi(r), hanzi(q)) {
            (None, _) => false,
            (Some(h), Some(hq)) => h != hq,
            (Some(h), None) => known_as.get(&q).is_some_and(|names| !names.contains(&h)),
        };
        let (kept, aside): (Vec<&Link>, Vec<&Link>) =
            list.iter().partition(|&&(q, _)| !other_name(q));
        if aside.is_empty() || kept.is_empty() || conflict(&kept) {
            demote.extend(list.iter().map(|&(_, i)| i));
        } else {
            demote.extend(aside.iter().map(|&&(_, i)| i));
            relabel.extend(kept.iter().map(|&&(_, i)| i));
        }
    }
    for i in relabel {
        decided[i].2 = Some(RULE_SAME_APPLICATION_CHARACTERS);
    }
    for i in demote {
        decided[i].1 = Decision::Review;
        decided[i].2 = Some(RULE_AMBIGUOUS_APPLICATION);
    }
}

/// Resolves `records` into entities. `previous` maps record ids of an
/// earlier run to their candidate ids, so ids stay stable (see [`ids`]).
///
/// Record ids are expected to be unique; records sharing one are ordered by
/// input position, which is then the only thing the result depends on
/// besides the records themselves.
pub fn resolve(
    records: &[PersonRecord],
    previous: Option<&IdMap>,
    opts: &ResolveOptions,
) -> Resolution {
    resolve_reviewed(records, previous, &[], opts)
}

/// [`resolve`], with a person's verdicts on pairs of records. A verdict
/// decides its pair whatever the score and the hard rules say: `same`
/// merges it (before any scored pair, rule `reviewed_same`), `different`
/// separates it and makes it a cannot-link (rule `reviewed_different`), so
/// no chain of other links can join the two either. A `same` pair is
/// still refused when joining it would put two records that must stay
/// apart into one entity (another verdict, or a hard rule between other
/// members): it then goes back to review with the rule `cannot_link`.
pub fn resolve_reviewed(
    records: &[PersonRecord],
    previous: Option<&IdMap>,
    verdicts: &[Verdict],
    opts: &ResolveOptions,
) -> Resolution {
    let n = records.len();
    let mut step_ms: Vec<(&'static str, u64)> = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str| {
        step_ms.push((name, clock.elapsed().as_millis() as u64));
        clock = std::time::Instant::now();
    };
    // Work in record-id order so nothing depends on input order.
    let order = order_by_id(records, |r| &r.record_id);
    let sorted: Vec<&PersonRecord> = order.iter().map(|&i| &records[i as usize]).collect();
    let (reviewed, mut verdict_counts) = reviewed_pairs(&sorted, verdicts);
    lap("order");
    let keys = keys::build_all(&sorted);
    lap("keys");
    // Blocking needs the keys only, and its entry list is the largest
    // thing resolution holds: the sketches are made after it, so that the
    // two are never resident together.
    let (mut pairs, blocking) = block::candidate_pairs(&keys, opts.max_block_size);
    if !reviewed.is_empty() {
        // A reviewed pair is compared (and listed) even when no block holds it.
        pairs.extend(reviewed.iter().map(|&(p, _)| p));
        pairs.sort_unstable();
        pairs.dedup();
    }
    lap("blocking");
    let sketches: Vec<sketch::Sketch> = keys.par_iter().map(sketch::Sketch::of).collect();
    lap("sketches");
    let compare = |a: u32, b: u32| {
        let (a, b) = (a as usize, b as usize);
        compare::compare_sketches(&sketches[a], &sketches[b], &keys[a], &keys[b])
    };
    let comparisons: Vec<Comparison> = pairs.par_iter().map(|&(a, b)| compare(a, b)).collect();
    lap("compare");
    let patterns = weights::patterns(&comparisons);
    let estimating = opts.em.enabled && comparisons.len() as u64 >= opts.em.min_pairs.max(1);
    let random: Vec<Comparison> = if estimating {
        block::random_pairs(n, opts.em.random_pairs)
            .par_iter()
            .map(|&(a, b)| compare(a, b))
            .collect()
    } else {
        Vec::new()
    };
    let random = weights::patterns(&random);
    let (weights, em) = weights::build_weights(&patterns, &random, &opts.weights, &opts.em);
    lap("weights");
    let mut decided: Vec<(f64, Decision, Option<&'static str>, bool)> = comparisons
        .par_iter()
        .map(|c| {
            let score = weights.score(&c.levels);
            let (d, rule, cannot) = decide(c, score, opts);
            (score, d, rule, cannot)
        })
        .collect();

    ambiguous_applications(&pairs, &mut decided, &compare, &keys);
    for &(pair, same) in &reviewed {
        let Ok(i) = pairs.binary_search(&pair) else {
            continue;
        };
        let d = &mut decided[i];
        (d.1, d.2, d.3) = if same {
            (Decision::Merge, Some(RULE_REVIEWED_SAME), false)
        } else {
            (Decision::Separate, Some(RULE_REVIEWED_DIFFERENT), true)
        };
    }
    let verdict_of = |x: u32, y: u32| {
        reviewed
            .binary_search_by(|(p, _)| p.cmp(&(x, y)))
            .ok()
            .map(|k| reviewed[k].1)
    };
    lap("decide");
    let mut edges: Vec<(u32, u32, f64)> = Vec::new();
    let mut weak: Vec<bool> = Vec::new();
    let mut edge_pair: Vec<usize> = Vec::new();
    let mut cannot: Vec<(u32, u32)> = Vec::new();
    for (i, (score, d, rule, c)) in decided.iter().enumerate() {
        if *d == Decision::Merge {
            // A person's word goes before any score.
            let score = if *rule == Some(RULE_REVIEWED_SAME) {
                f64::INFINITY
            } else {
                *score
            };
            edges.push((pairs[i].0, pairs[i].1, score));
            weak.push(matches!(
                *rule,
                Some(RULE_SAME_APPLICATION | RULE_SAME_APPLICATION_CHARACTERS)
            ));
            edge_pair.push(i);
        }
        if *c {
            cannot.push(pairs[i]);
        }
    }
    let clusters = cluster::cluster(n, &edges, &weak, &cannot, |x, y, weak| {
        if let Some(same) = verdict_of(x, y) {
            return !same;
        }
        let c = compare(x, y);
        decide(&c, weights.score(&c.levels), opts).2 || (weak && c.contacts_conflict())
    });
    drop((sketches, keys));
    lap("cluster");
    for (e, refused) in clusters.refused.iter().enumerate() {
        if *refused {
            let row = &mut decided[edge_pair[e]];
            row.1 = Decision::Review;
            row.2 = Some(RULE_CANNOT_LINK);
        }
    }
    for d in &decided {
        match d.2 {
            Some(RULE_REVIEWED_SAME) => verdict_counts.same += 1,
            Some(RULE_REVIEWED_DIFFERENT) => verdict_counts.different += 1,
            _ => {}
        }
    }

    // Entities, numbered by smallest member (sorted index = record-id order),
    // their members side by side: `start[c]..start[c + 1]` in `flat`.
    let cluster_of = clusters.cluster_of;
    let count = cluster_of.iter().max().map_or(0, |m| m + 1);
    let mut start = vec![0u32; count + 1];
    for &c in &cluster_of {
        start[c + 1] += 1;
    }
    for c in 0..count {
        start[c + 1] += start[c];
    }
    let mut flat = vec![0u32; n];
    let mut fill = start.clone();
    for (s, &c) in cluster_of.iter().enumerate() {
        flat[fill[c] as usize] = s as u32;
        fill[c] += 1;
    }
    drop(fill);
    let members_of = |c: usize| &flat[start[c] as usize..start[c + 1] as usize];
    let (candidate_ids, id_changes) = {
        let record_ids: Vec<&str> = sorted.iter().map(|r| r.record_id.as_str()).collect();
        let smallest: Vec<&str> = (0..count)
            .map(|c| record_ids[members_of(c)[0] as usize])
            .collect();
        let entity_of: Vec<u32> = cluster_of.iter().map(|&c| c as u32).collect();
        ids::assign_sorted(&record_ids, &entity_of, &smallest, previous)
    };
    lap("ids");
    let (entities, conflicts): (Vec<Entity>, Vec<Vec<Conflict>>) = candidate_ids
        .into_par_iter()
        .enumerate()
        .map(|(c, candidate_id)| {
            let m = members_of(c);
            let (merged, conflicts) = if m.len() > 1 {
                let recs: Vec<&PersonRecord> = m.iter().map(|&s| sorted[s as usize]).collect();
                let (survivor, conflicts) =
                    survive::survive(&candidate_id, &recs, &opts.survivorship);
                (Some(Box::new(survivor)), conflicts)
            } else {
                (None, Vec::new())
            };
            let members = m.iter().map(|&s| order[s as usize] as usize).collect();
            let entity = Entity {
                candidate_id,
                members,
                merged,
            };
            (entity, conflicts)
        })
        .unzip();
    let conflicts: Vec<Conflict> = conflicts.into_iter().flatten().collect();
    drop(flat);
    lap("survive");
    let mut entity_of = vec![0usize; n];
    for (s, &c) in cluster_of.iter().enumerate() {
        entity_of[order[s] as usize] = c;
    }
    drop(cluster_of);

    let histogram = histogram(decided.iter().map(|d| d.0));
    let merges = pairs
        .par_iter()
        .zip(&comparisons)
        .zip(&decided)
        .map(|((&(a, b), c), &(score, decision, rule, _))| MergeRow {
            a,
            b,
            levels: c.levels,
            score,
            decision,
            rule,
        })
        .collect();
    lap("merges");
    Resolution {
        entity_of,
        order,
        entities,
        merges,
        conflicts,
        histogram,
        id_changes,
        weights: weights.fields,
        em,
        blocking,
        verdicts: verdict_counts,
        step_ms,
    }
}

/// The first eight bytes of `s` as a number (zero-padded), which orders
/// like the strings: a string sort compares these first and the strings
/// only on a tie.
fn prefix_key(s: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = s.len().min(8);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// The positions of `items` in the order of their ids (equal ids in input
/// order). Sorted by the ids' first eight bytes, the full ids only on a
/// tie: comparing ids through the items was most of the time of sorting
/// a million records.
pub fn order_by_id<T: Sync>(items: &[T], id: impl Fn(&T) -> &str + Sync) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = items
        .par_iter()
        .enumerate()
        .map(|(i, item)| (prefix_key(id(item)), i as u32))
        .collect();
    keyed.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| id(&items[a.1 as usize]).cmp(id(&items[b.1 as usize])))
            .then(a.1.cmp(&b.1))
    });
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// A reviewed pair of sorted record indices (`a < b`) and whether it is one
/// person.
type Reviewed = ((u32, u32), bool);

/// The verdicts as pairs of sorted record indices (`a < b`), sorted, with
/// whether they are one person; verdicts naming a record not in `sorted`
/// (which is in record-id order) are counted as not found. Of two verdicts
/// on one pair, the first wins.
fn reviewed_pairs(
    sorted: &[&PersonRecord],
    verdicts: &[Verdict],
) -> (Vec<Reviewed>, VerdictCounts) {
    let mut counts = VerdictCounts::default();
    let index_of = |id: &str| {
        sorted
            .binary_search_by(|r| r.record_id.as_str().cmp(id))
            .ok()
            .map(|i| i as u32)
    };
    let mut reviewed: Vec<((u32, u32), bool, usize)> = Vec::new();
    for (k, v) in verdicts.iter().enumerate() {
        match (index_of(&v.record_a), index_of(&v.record_b)) {
            (Some(a), Some(b)) if a != b => reviewed.push(((a.min(b), a.max(b)), v.same, k)),
            _ => counts.not_found += 1,
        }
    }
    reviewed.sort_unstable_by_key(|&(p, _, k)| (p, k));
    reviewed.dedup_by_key(|r| r.0);
    (
        reviewed.into_iter().map(|(p, same, _)| (p, same)).collect(),
        counts,
    )
}

//! Stable candidate ids for entities.
//!
//! Without history, an entity's id is `C` + the first 12 hex digits of
//! SHA-256 over its smallest member record id ([`stable_id`]), so the same
//! records always give the same id, whatever order they arrive in.
//!
//! With a previous run's mapping `record_id → candidate_id`, ids survive
//! re-runs: an entity keeps the smallest previous id among its members, so
//! a new record joining an existing candidate does not rename it. When two
//! previous candidates are now one entity, the smaller id survives and the
//! other is reported as `old → new`, so downstream systems can redirect it.
//!
//! Splits are resolved the same way, deterministically: previous ids are
//! handed out in ascending order; each goes to the entity holding the
//! smallest record that carried it, unless that entity already has an id,
//! in which case the next such entity that has none gets it. A previous id
//! that no entity can take is retired and reported as `old → new`, pointing
//! at the entity holding its smallest record. Entities that inherit nothing
//! get a fresh id; a fresh id never reuses an id that is or was in use (a
//! collision, unlikely with 48 bits, is resolved by hashing again with a
//! counter).

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::stable_id;

/// Record id → candidate id, sorted by record id: what `id_map.csv` holds
/// between runs.
///
/// A million records make a million pairs of short strings; held as a
/// map of `String` pairs they took two heap blocks per record and were
/// compared character by character when sorted. Here the record ids sit
/// in one buffer in ascending order, and each record points at its
/// candidate id in a list of the distinct ones. Positions are kept for
/// every record given, repeated record ids included (a merge row names
/// records by position); looking up or listing by record id sees the last
/// record of a repeated id, as a map filled in that order would.
#[derive(Clone, Debug, Default)]
pub struct IdMap {
    /// Record ids, ascending, one after the other.
    text: String,
    /// End of each record id in `text`.
    ends: Vec<usize>,
    /// Index into `candidates` of each record's candidate id.
    candidate: Vec<u32>,
    /// The distinct candidate ids.
    candidates: Vec<Arc<str>>,
    /// Distinct record ids.
    distinct: usize,
}

impl IdMap {
    /// The map of records given in ascending record-id order (repeated ids
    /// side by side, the one that counts last), each with the index of its
    /// candidate id in `candidates`, the distinct candidate ids.
    pub fn from_sorted<'a>(
        records: impl IntoIterator<Item = (&'a str, u32)>,
        candidates: Vec<Arc<str>>,
    ) -> IdMap {
        let records = records.into_iter();
        let mut map = IdMap {
            text: String::new(),
            ends: Vec::with_capacity(records.size_hint().0),
            candidate: Vec::with_capacity(records.size_hint().0),
            candidates,
            distinct: 0,
        };
        for (record, c) in records {
            debug_assert!((c as usize) < map.candidates.len());
            if map.ends.is_empty() || map.record(map.ends.len() - 1) != record {
                map.distinct += 1;
            }
            map.text.push_str(record);
            map.ends.push(map.text.len());
            map.candidate.push(c);
        }
        map.text.shrink_to_fit();
        // Every position of a repeated id stands for the one that counts.
        if map.distinct < map.ends.len() {
            for i in (0..map.ends.len() - 1).rev() {
                if map.record(i) == map.record(i + 1) {
                    map.candidate[i] = map.candidate[i + 1];
                }
            }
        }
        map
    }

    /// The map of `(record id, candidate id)` pairs in any order; of two
    /// pairs with one record id, the later one counts.
    pub fn from_pairs<R: AsRef<str> + Sync, C: AsRef<str> + Sync>(
        pairs: impl IntoIterator<Item = (R, C)>,
    ) -> IdMap {
        let pairs: Vec<(R, C)> = pairs.into_iter().collect();
        // Candidate ids interned in the order met.
        let mut index: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
        let mut candidates: Vec<Arc<str>> = Vec::new();
        let of: Vec<u32> = pairs
            .iter()
            .map(|(_, c)| {
                *index.entry(c.as_ref()).or_insert_with(|| {
                    candidates.push(Arc::from(c.as_ref()));
                    (candidates.len() - 1) as u32
                })
            })
            .collect();
        drop(index);
        let mut order: Vec<u32> = (0..pairs.len() as u32).collect();
        if !pairs.is_sorted_by(|a, b| a.0.as_ref() <= b.0.as_ref()) {
            // Stable: of two pairs with one record id, the later one
            // stays last.
            order.par_sort_by(|&a, &b| {
                pairs[a as usize]
                    .0
                    .as_ref()
                    .cmp(pairs[b as usize].0.as_ref())
            });
        }
        IdMap::from_sorted(
            order
                .iter()
                .map(|&i| (pairs[i as usize].0.as_ref(), of[i as usize])),
            candidates,
        )
    }

    /// Distinct record ids.
    pub fn len(&self) -> usize {
        self.distinct
    }

    /// Whether no record is mapped.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Records held by position, repeated record ids included.
    pub fn positions(&self) -> usize {
        self.ends.len()
    }

    /// The record id at position `i`.
    pub fn record(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The candidate id of the record at position `i` (of a repeated
    /// record id, the one that counts).
    pub fn candidate_at(&self, i: usize) -> &Arc<str> {
        &self.candidates[self.candidate[i] as usize]
    }

    /// Whether position `i` is the one that counts for its record id (the
    /// last of a repeated id).
    fn counts(&self, i: usize) -> bool {
        i + 1 >= self.ends.len() || self.record(i + 1) != self.record(i)
    }

    /// The position that counts for the record id at position `i`.
    pub fn counting(&self, mut i: usize) -> usize {
        while !self.counts(i) {
            i += 1;
        }
        i
    }

    /// The position that counts for `record`, if it is mapped.
    fn position(&self, record: &str) -> Option<usize> {
        // The first position past every id ≤ `record`.
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.record(mid) <= record {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        (lo > 0 && self.record(lo - 1) == record).then(|| lo - 1)
    }

    /// The candidate id of `record`.
    pub fn get(&self, record: &str) -> Option<&str> {
        self.position(record)
            .map(|i| &*self.candidates[self.candidate[i] as usize])
    }

    /// Whether `record` is mapped.
    pub fn contains_key(&self, record: &str) -> bool {
        self.position(record).is_some()
    }

    /// `(record id, candidate id)` by ascending record id, each record id once.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        (0..self.ends.len()).filter(|&i| self.counts(i)).map(|i| {
            (
                self.record(i),
                &*self.candidates[self.candidate[i] as usize],
            )
        })
    }

    /// The candidate ids records map to, each once, in no particular order.
    pub fn candidate_ids(&self) -> impl Iterator<Item = &str> + '_ {
        let mut used = vec![false; self.candidates.len()];
        for (i, &c) in self.candidate.iter().enumerate() {
            if self.counts(i) {
                used[c as usize] = true;
            }
        }
        self.candidates
            .iter()
            .zip(used)
            .filter(|(_, u)| *u)
            .map(|(c, _)| &**c)
    }

    /// For each of `sorted` (record ids in ascending order), the index in
    /// [`IdMap::candidate_ids_sorted`] order of its candidate id here, if
    /// the record is mapped: one pass over both lists.
    fn lookup_sorted(&self, sorted: &[&str]) -> Vec<Option<u32>> {
        let mut out = Vec::with_capacity(sorted.len());
        let mut at = 0;
        for &r in sorted {
            while at < self.ends.len() && self.record(at) < r {
                at += 1;
            }
            // The last position of `r`'s run.
            let mut end = at;
            while end < self.ends.len() && self.record(end) == r {
                end += 1;
            }
            out.push((end > at).then(|| self.candidate[end - 1]));
        }
        out
    }
}

impl PartialEq for IdMap {
    fn eq(&self, other: &IdMap) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<R: AsRef<str> + Sync, C: AsRef<str> + Sync> FromIterator<(R, C)> for IdMap {
    fn from_iter<I: IntoIterator<Item = (R, C)>>(pairs: I) -> IdMap {
        IdMap::from_pairs(pairs)
    }
}

/// The fresh id of an entity whose smallest record id is `smallest`.
pub fn fresh_id(smallest: &str) -> String {
    stable_id("C", &[smallest])
}

/// Ids for entities given as their member record ids, each list sorted
/// ascending and the entities ordered by their smallest record id. Returns
/// one id per entity and the `(old, new)` id changes, sorted.
pub fn assign_ids(
    entities: &[Vec<&str>],
    previous: Option<&IdMap>,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut members: Vec<(&str, u32)> = entities
        .iter()
        .enumerate()
        .flat_map(|(e, m)| m.iter().map(move |r| (*r, e as u32)))
        .collect();
    members.sort_by(|a, b| a.0.cmp(b.0));
    let (records, entity_of): (Vec<&str>, Vec<u32>) = members.into_iter().unzip();
    let smallest: Vec<&str> = entities
        .iter()
        .map(|m| m.first().copied().unwrap_or_default())
        .collect();
    assign_sorted(&records, &entity_of, &smallest, previous)
}

/// [`assign_ids`] for records given once each in ascending record-id order
/// (`records`), with the entity of each (`entity_of`) and every entity's
/// smallest record id (`smallest`, entities ordered by it).
///
/// The previous ids are found by walking `records` and the previous map
/// side by side, and each previous id's holders are sorted as numbers:
/// the id's rank among the previous ids, the record's position.
pub fn assign_sorted(
    records: &[&str],
    entity_of: &[u32],
    smallest: &[&str],
    previous: Option<&IdMap>,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut ids: Vec<Option<String>> = vec![None; smallest.len()];
    let mut changes: Vec<(String, String)> = Vec::new();

    if let Some(prev) = previous {
        let found = prev.lookup_sorted(records);
        // Previous ids ranked by their text.
        let mut by_rank: Vec<u32> = (0..prev.candidates.len() as u32).collect();
        if !prev.candidates.is_sorted() {
            by_rank.par_sort_unstable_by(|&a, &b| {
                prev.candidates[a as usize].cmp(&prev.candidates[b as usize])
            });
        }
        let mut rank = vec![0u32; by_rank.len()];
        for (r, &c) in by_rank.iter().enumerate() {
            rank[c as usize] = r as u32;
        }
        // (rank of the previous id, first position of the record id,
        // entity) of every record that had one: each previous id's holders
        // by record id (a repeated record id by entity).
        let mut claims: Vec<(u32, u32, u32)> = Vec::new();
        let mut run_start = 0;
        for (pos, c) in found.iter().enumerate() {
            if pos > 0 && records[pos] != records[pos - 1] {
                run_start = pos;
            }
            if let Some(c) = c {
                claims.push((rank[*c as usize], run_start as u32, entity_of[pos]));
            }
        }
        drop(found);
        claims.par_sort_unstable();
        let mut retired: Vec<(&str, usize)> = Vec::new();
        for holders in claims.chunk_by(|a, b| a.0 == b.0) {
            let old = &*prev.candidates[by_rank[holders[0].0 as usize] as usize];
            match holders.iter().find(|(_, _, e)| ids[*e as usize].is_none()) {
                Some(&(_, _, e)) => ids[e as usize] = Some(old.to_string()),
                None => retired.push((old, holders[0].2 as usize)),
            }
        }
        for (old, e) in retired {
            let new = ids[e].clone().unwrap_or_default();
            changes.push((old.to_string(), new));
        }
    }

    // Fresh ids, hashed in parallel; then, in entity order, any that
    // collides with an id in use (or used before) is hashed again.
    let smallest = |e: usize| smallest[e];
    let fresh: Vec<Option<String>> = (0..ids.len())
        .into_par_iter()
        .map(|e| ids[e].is_none().then(|| fresh_id(smallest(e))))
        .collect();
    let mut taken: HashSet<&str, foldhash::fast::RandomState> =
        ids.iter().flatten().map(String::as_str).collect();
    if let Some(prev) = previous {
        taken.extend(prev.candidate_ids());
    }
    let mut rehashed: Vec<(usize, String)> = Vec::new();
    for (e, id) in fresh.iter().enumerate() {
        let Some(id) = id else { continue };
        if taken.insert(id.as_str()) {
            continue;
        }
        let mut n = 1u32;
        let again = loop {
            let candidate = stable_id("C", &[smallest(e), &n.to_string()]);
            let in_use = taken.contains(candidate.as_str())
                || fresh.iter().flatten().any(|f| *f == candidate)
                || rehashed.iter().any(|(_, r)| *r == candidate);
            if !in_use {
                break candidate;
            }
            n += 1;
        };
        rehashed.push((e, again));
    }
    drop(taken);
    let mut out: Vec<String> = ids
        .into_iter()
        .zip(fresh)
        .map(|(inherited, fresh)| inherited.or(fresh).unwrap_or_default())
        .collect();
    for (e, id) in rehashed {
        out[e] = id;
    }
    changes.sort();
    (out, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> IdMap {
        pairs.iter().copied().collect()
    }

    #[test]
    fn fresh_ids_hash_the_smallest_record() {
        let (ids, changes) = assign_ids(&[vec!["R1", "R2"], vec!["R3"]], None);
        assert_eq!(ids, vec![stable_id("C", &["R1"]), stable_id("C", &["R3"])]);
        assert!(changes.is_empty());
    }

    #[test]
    fn merged_candidates_keep_the_smaller_id() {
        let prev = map(&[("R1", "C9"), ("R2", "C5"), ("R3", "C7")]);
        let (ids, changes) = assign_ids(&[vec!["R1", "R2", "R4"], vec!["R3"]], Some(&prev));
        assert_eq!(ids, vec!["C5", "C7"]);
        assert_eq!(changes, vec![("C9".to_string(), "C5".to_string())]);
    }

    #[test]
    fn splits_keep_the_id_with_the_smallest_record() {
        let prev = map(&[("R1", "C1"), ("R2", "C1")]);
        let (ids, changes) = assign_ids(&[vec!["R1"], vec!["R2"]], Some(&prev));
        assert_eq!(ids, vec!["C1".to_string(), stable_id("C", &["R2"])]);
        assert!(changes.is_empty());
    }

    #[test]
    fn a_previous_id_moves_to_an_entity_without_one() {
        // R1 (was C2) joined C0's entity; R2, also C2 before, is alone now.
        let prev = map(&[("R0", "C0"), ("R1", "C2"), ("R2", "C2")]);
        let (ids, changes) = assign_ids(&[vec!["R0", "R1"], vec!["R2"]], Some(&prev));
        assert_eq!(ids, vec!["C0", "C2"]);
        assert!(changes.is_empty());
    }

    #[test]
    fn fresh_ids_never_reuse_previous_ids() {
        let taken = stable_id("C", &["R5"]);
        let prev = map(&[("R9", taken.as_str())]);
        let (ids, _) = assign_ids(&[vec!["R5"]], Some(&prev));
        assert_eq!(ids, vec![stable_id("C", &["R5", "1"])]);
    }

    #[test]
    fn an_id_map_reads_like_a_map_filled_in_order() {
        let m = map(&[("R3", "C1"), ("R1", "C2"), ("R2", "C1"), ("R1", "C3")]);
        assert_eq!((m.len(), m.positions()), (3, 4));
        assert_eq!(
            m.iter().collect::<Vec<_>>(),
            [("R1", "C3"), ("R2", "C1"), ("R3", "C1")]
        );
        assert_eq!(
            (m.get("R1"), m.get("R0"), m.get("R4")),
            (Some("C3"), None, None)
        );
        assert!(m.contains_key("R2") && !m.contains_key("R"));
        // Both positions of R1 stand for the later pair.
        assert_eq!((m.record(0), m.record(1)), ("R1", "R1"));
        assert_eq!((&**m.candidate_at(0), m.counting(0)), ("C3", 1));
        let mut ids: Vec<&str> = m.candidate_ids().collect();
        ids.sort();
        assert_eq!(ids, ["C1", "C3"]);
        assert_eq!(m, map(&[("R2", "C1"), ("R3", "C1"), ("R1", "C3")]));
        assert_ne!(m, map(&[("R2", "C1"), ("R3", "C1"), ("R1", "C2")]));
        assert!(map(&[]).is_empty());
    }

    #[test]
    fn ids_assigned_from_sorted_records_follow_previous_ids_in_any_order() {
        // Previous candidate ids listed out of order (as a run's own map
        // lists them, by entity), one of them held by two entities now.
        let prev = IdMap::from_sorted(
            [("R1", 0), ("R2", 1), ("R3", 1), ("R4", 2)],
            vec![Arc::from("C9"), Arc::from("C2"), Arc::from("C5")],
        );
        let records = ["R1", "R2", "R3", "R4", "R5"];
        let entity_of = [0, 1, 2, 0, 3];
        let smallest = ["R1", "R2", "R3", "R5"];
        let (ids, changes) = assign_sorted(&records, &entity_of, &smallest, Some(&prev));
        // C2 goes to its smallest record's entity, C5 to R4's; C9's only
        // holder took the smaller C5 and C9 is retired into it.
        assert_eq!(ids, vec!["C5", "C2", &*fresh_id("R3"), &*fresh_id("R5")]);
        assert_eq!(changes, vec![("C9".to_string(), "C5".to_string())]);
        let lists = [vec!["R1", "R4"], vec!["R2"], vec!["R3"], vec!["R5"]];
        assert_eq!(assign_ids(&lists, Some(&prev)), (ids, changes));
    }
}

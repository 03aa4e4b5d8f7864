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

use std::collections::{BTreeMap, HashSet};

use rayon::prelude::*;

use crate::model::stable_id;

/// The fresh id of an entity whose smallest record id is `smallest`.
pub fn fresh_id(smallest: &str) -> String {
    stable_id("C", &[smallest])
}

/// Ids for entities given as their member record ids, each list sorted
/// ascending and the entities ordered by their smallest record id. Returns
/// one id per entity and the `(old, new)` id changes, sorted.
pub fn assign_ids(
    entities: &[Vec<&str>],
    previous: Option<&BTreeMap<String, String>>,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut ids: Vec<Option<String>> = vec![None; entities.len()];
    let mut changes: Vec<(String, String)> = Vec::new();

    if let Some(prev) = previous {
        // (previous id, record id, entity) of every current record that had
        // one, sorted: each previous id's holders by record id.
        let mut claims: Vec<(&str, &str, usize)> = entities
            .par_iter()
            .enumerate()
            .flat_map_iter(|(e, members)| {
                members
                    .iter()
                    .filter_map(move |r| Some((prev.get(*r)?.as_str(), *r, e)))
            })
            .collect();
        claims.par_sort_unstable();
        let mut retired: Vec<(&str, usize)> = Vec::new();
        for holders in claims.chunk_by(|a, b| a.0 == b.0) {
            let old = holders[0].0;
            match holders.iter().find(|(_, _, e)| ids[*e].is_none()) {
                Some((_, _, e)) => ids[*e] = Some(old.to_string()),
                None => retired.push((old, holders[0].2)),
            }
        }
        for (old, e) in retired {
            let new = ids[e].clone().unwrap_or_default();
            changes.push((old.to_string(), new));
        }
    }

    // Fresh ids, hashed in parallel; then, in entity order, any that
    // collides with an id in use (or used before) is hashed again.
    let smallest = |e: usize| entities[e].first().copied().unwrap_or_default();
    let fresh: Vec<Option<String>> = (0..entities.len())
        .into_par_iter()
        .map(|e| ids[e].is_none().then(|| fresh_id(smallest(e))))
        .collect();
    let mut taken: HashSet<&str, foldhash::fast::RandomState> =
        ids.iter().flatten().map(String::as_str).collect();
    if let Some(prev) = previous {
        taken.extend(prev.values().map(String::as_str));
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

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
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
}

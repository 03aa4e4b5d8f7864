//! Scale harness: resolves a synthetic history of about 100k records and
//! prints the timings. Ignored by default; run with
//! `cargo test --release resolve::tests::scale -- --ignored --nocapture`.

use std::time::Instant;

use crate::resolve::{ResolveOptions, resolve};

use super::synth::{history, pairwise};

#[test]
#[ignore]
fn resolve_100k_records() {
    let started = Instant::now();
    let (records, truth) = history(50_000, 11);
    let generated = started.elapsed();
    let started = Instant::now();
    let r = resolve(&records, None, &ResolveOptions::default());
    let took = started.elapsed();
    let (precision, recall) = pairwise(&r.entity_of, &truth);
    println!(
        "records {} generated in {generated:?}; resolved in {took:?}: {} entities, {} pairs, \
         blocking {:?}, em {:?}, precision {precision:.4}, recall {recall:.4}",
        records.len(),
        r.entities.len(),
        r.merges.len(),
        r.blocking,
        r.em,
    );
    assert_eq!(r.entity_of.len(), records.len());
}

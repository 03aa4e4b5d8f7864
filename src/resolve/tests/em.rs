//! EM estimation, configuration parsing, and quality on synthetic data.

use crate::resolve::compare::{Comparison, Field, Level, N};
use crate::resolve::keys::RecordKeys;
use crate::resolve::weights::{MIN_PROBABILITY, WeightSource, Weights, build_weights};
use crate::resolve::{ConfiguredWeights, EmOptions, ResolveOptions, Rule, resolve};

use super::synth::{history, pairwise};

const PLANTED: [Field; 4] = [Field::Phone, Field::Email, Field::Gender, Field::School];

/// Expected pattern counts (per million pairs) of a two-class mixture over
/// four non-blocking fields; with `p` = 0 they are the non-match (random
/// pair) distribution.
fn planted(p: f64, m: &[[f64; 3]; 4], u: &[[f64; 3]; 4]) -> Vec<(u32, u64)> {
    let mut out = Vec::new();
    for code in 0..81u32 {
        let pick: Vec<usize> = (0..4).map(|i| (code / 3u32.pow(i)) as usize % 3).collect();
        let (mut a, mut b) = (p, 1.0 - p);
        let mut levels = [Level::Missing; N];
        for (i, f) in PLANTED.iter().enumerate() {
            a *= m[i][pick[i]];
            b *= u[i][pick[i]];
            levels[f.index()] = Level::SCORED[pick[i]];
        }
        let count = ((a + b) * 1_000_000.0).round() as u64;
        if count > 0 {
            out.push((
                Comparison {
                    levels,
                    name_key_shared: false,
                }
                .pack(),
                count,
            ));
        }
    }
    out.sort_unstable();
    out
}

const M: [[f64; 3]; 4] = [
    [0.8, 0.0, 0.2],
    [0.6, 0.1, 0.3],
    [0.95, 0.0, 0.05],
    [0.5, 0.2, 0.3],
];
const U: [[f64; 3]; 4] = [
    [0.002, 0.0, 0.998],
    [0.005, 0.01, 0.985],
    [0.5, 0.0, 0.5],
    [0.05, 0.05, 0.9],
];

#[test]
fn em_recovers_a_planted_mixture() {
    let candidates = planted(0.3, &M, &U);
    let random = planted(0.0, &M, &U);
    let (w, report) = build_weights(
        &candidates,
        &random,
        &ConfiguredWeights::default(),
        &EmOptions::default(),
    );
    assert!(report.ran && report.converged, "{report:?}");
    assert_eq!(
        report.random_pairs,
        random.iter().map(|(_, n)| n).sum::<u64>()
    );
    assert!((report.match_share - 0.3).abs() < 0.005, "{report:?}");
    for (i, f) in PLANTED.iter().enumerate() {
        let got = &w.fields[f.index()];
        assert_eq!(got.source, WeightSource::Estimated);
        for l in [0, 2] {
            assert!((got.m[l] - M[i][l]).abs() < 0.01, "{} m {got:?}", f.name());
            assert!((got.u[l] - U[i][l]).abs() < 0.002, "{} u {got:?}", f.name());
        }
    }
    // The phone's close level never occurs: both sides sit at the floor.
    assert_eq!(w.fields[Field::Phone.index()].weights[1], 0.0);
    // Fields never compared keep their defaults.
    assert_eq!(w.fields[Field::City.index()].source, WeightSource::Default);
}

#[test]
fn blocking_fields_keep_their_default_m() {
    let mut candidates = planted(0.3, &M, &U);
    // Every candidate pair agrees on the name, as blocking makes it.
    for (p, _) in &mut candidates {
        *p &= !3;
    }
    // Random pairs never do.
    let mut random = planted(0.0, &M, &U);
    for (p, _) in &mut random {
        *p = (*p & !3) | Level::Different as u32;
    }
    let (w, _) = build_weights(
        &candidates,
        &random,
        &ConfiguredWeights::default(),
        &EmOptions::default(),
    );
    let name = &w.fields[Field::Name.index()];
    assert_eq!(name.source, WeightSource::Estimated);
    assert_eq!(name.m, Weights::defaults().fields[Field::Name.index()].m);
    assert_eq!(name.u[0], MIN_PROBABILITY);
    // EM still finds the mixture on the other fields.
    let phone = &w.fields[Field::Phone.index()];
    assert!((phone.m[0] - M[0][0]).abs() < 0.01, "{phone:?}");
}

#[test]
fn em_can_be_switched_off() {
    let rows = planted(0.3, &M, &U);
    let em = EmOptions {
        enabled: false,
        ..Default::default()
    };
    let (w, report) = build_weights(&rows, &rows, &ConfiguredWeights::default(), &em);
    assert!(!report.ran);
    assert!(w.fields.iter().all(|f| f.source == WeightSource::Default));
}

#[test]
fn options_parse_from_toml() {
    let opts: ResolveOptions = toml::from_str(
        r#"
        threshold = 10.0
        max_block_size = 200
        [rules]
        always_same_name_and_phone = false
        [em]
        max_iterations = 50
        [weights.phone]
        m = { exact = 0.9, different = 0.1 }
        u = { exact = 0.01, different = 0.99 }
        [survivorship]
        name = "most_complete"
        phones = "source_priority"
        "#,
    )
    .expect("valid options");
    assert_eq!(opts.threshold, 10.0);
    assert_eq!(opts.review_band, 4.0);
    assert_eq!(opts.max_block_size, 200);
    assert!(!opts.rules.always_same_name_and_phone);
    assert!(opts.rules.never_conflicting_id);
    assert_eq!(opts.em.max_iterations, 50);
    assert_eq!(opts.em.min_pairs, 1000);
    let phone = opts.weights.phone.expect("configured");
    assert_eq!(phone.m.close, 0.001);
    assert_eq!(opts.survivorship.name, Some(Rule::MostComplete));
    assert_eq!(opts.validate(), Ok(()));

    assert!(toml::from_str::<ResolveOptions>("treshold = 3.0").is_err());
    assert!(toml::from_str::<ResolveOptions>("[rules]\nnever = true").is_err());
    assert!(toml::from_str::<ResolveOptions>("[survivorship]\nname = \"newest\"").is_err());
    assert_eq!(ResolveOptions::default().validate(), Ok(()));
}

#[test]
fn invalid_options_are_reported() {
    let opts: ResolveOptions = toml::from_str(
        r#"
        max_block_size = 1
        cannot_link_below = 20.0
        [weights.name]
        m = { exact = 1.5, different = 0.1 }
        u = { exact = 0.5, different = 0.5 }
        [survivorship]
        name = "keep_all"
        "#,
    )
    .expect("parses");
    assert_eq!(
        opts.validate(),
        Err(vec![
            "cannot_link_below: must be a number below threshold".to_string(),
            "max_block_size: must be at least 2".to_string(),
            "weights.name.m: probabilities must be in 0..1 and not all 0".to_string(),
            "survivorship.name: keep_all applies only to list fields \
             (phones, phones_raw, emails, skills, notes)"
                .to_string(),
        ])
    );
}

#[test]
fn synthetic_history_resolves_without_false_merges() {
    let (records, truth) = history(3000, 7);
    let r = resolve(&records, None, &ResolveOptions::default());
    assert!(r.em.ran && r.em.converged, "{:?}", r.em);
    assert_eq!(
        r.weights[Field::Phone.index()].source,
        WeightSource::Estimated
    );
    for f in [Field::Phone, Field::Email, Field::BirthDate] {
        assert!(r.weights[f.index()].weights[0] > 5.0, "{:?}", r.weights);
        assert!(r.weights[f.index()].weights[2] < -2.0, "{:?}", r.weights);
    }
    println!("{:?} {:?}", r.em, r.blocking);
    let (precision, recall) = pairwise(&r.entity_of, &truth);
    println!("precision {precision}, recall {recall}");
    assert!(precision >= 0.99, "precision {precision}, recall {recall}");
    // Every true pair that shares a name key and a phone is merged.
    let keys: Vec<RecordKeys> = records.iter().map(RecordKeys::from_record).collect();
    let mut checked = 0;
    for i in 0..records.len() {
        for j in i + 1..(i + 4).min(records.len()) {
            if truth[i] != truth[j] {
                continue;
            }
            let c = crate::resolve::compare::compare(&keys[i], &keys[j]);
            if c.name_key_shared && c.level(Field::Phone) == Level::Exact {
                checked += 1;
                assert_eq!(
                    r.entity_of[i], r.entity_of[j],
                    "{:?} {:?}",
                    records[i], records[j]
                );
            }
        }
    }
    assert!(checked > 500, "{checked}");
    assert!(r.histogram.iter().map(|(_, n)| n).sum::<u64>() == r.merges.len() as u64);
}

//! Fellegi–Sunter field weights: built-in defaults, configured values and
//! estimation from the data with expectation–maximization (EM).
//!
//! Each field level has two probabilities: `m`, the chance of that level
//! when the two records are the same person, and `u`, the chance when they
//! are not. The weight of a level is `log2(m / u)` bits, and a pair's score
//! is the sum over its fields; [`Level::Missing`] contributes 0, because an
//! empty cell is evidence of nothing. Probabilities are clamped to
//! [[`MIN_PROBABILITY`], [`MAX_PROBABILITY`]] so that no single level can
//! contribute an infinite weight.
//!
//! Why estimate at all: the right weights depend on the data. In a company
//! that hires many `张伟`s an exact name match is weak evidence; where
//! candidates mostly have rare names it is strong; how often a person's
//! phone or e-mail changes between files differs per company too. Nobody
//! has labels, but the candidate pairs are a mixture of matches and
//! non-matches, and under the usual assumption that fields agree
//! independently given the class, EM recovers the match distribution from
//! the level patterns alone.
//!
//! How (the same split of work as the Splink library uses):
//! - `u` comes from *random* record pairs, which are non-matches with
//!   near certainty: the level frequencies among up to `random_pairs`
//!   (default 200 000) pairs drawn deterministically, or among all pairs
//!   when there are fewer.
//! - `m` and the match share come from EM over the *candidate* pairs with
//!   `u` held fixed. Letting EM move `u` too does not work on blocked
//!   pairs: blocking makes the pairs agree on the name (and often the birth
//!   year or city) by construction, which breaks the independence
//!   assumption so badly that the two classes EM finds are "blocked on
//!   name + city" versus "blocked on name + year" rather than match versus
//!   non-match (measured on synthetic data: a weight of +8 bits for a
//!   *different* city, a match share pinned at 0.999).
//! - For the same reason the blocking fields, name, birth date and city
//!   ([`BLOCKING_FIELDS`]), are left out of the EM likelihood and keep
//!   their default `m`; only their `u` is measured.
//! - EM starts from the default `m` and a match share of
//!   `initial_match_share` (default 0.1), iterates over the distinct level
//!   patterns with their counts (so the cost does not grow with the number
//!   of pairs) at most `max_iterations` (default 100) times, and stops when
//!   no probability moves by more than `tolerance` (default 1e-6).
//! - Estimation runs only when enabled and when there are at least
//!   `min_pairs` candidate pairs (default 1000); below that the defaults
//!   are used. Configured fields are never estimated: configured weights
//!   override EM. Fields that never occur keep their defaults.

use super::compare::{Comparison, Field, Level, N};
use super::options::{ConfiguredWeights, EmOptions};

/// Lower bound for every `m` and `u`.
pub const MIN_PROBABILITY: f64 = 0.001;
/// Upper bound for every `m` and `u`.
pub const MAX_PROBABILITY: f64 = 0.999;

/// Where a field's weights came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightSource {
    /// The built-in defaults.
    Default,
    /// `u` measured on random pairs; `m` estimated with EM from this run's
    /// candidate pairs, except for the blocking fields, which keep their
    /// default `m`.
    Estimated,
    /// Given in the configuration.
    Configured,
}

impl WeightSource {
    /// `default`, `estimated` or `configured`.
    pub fn name(self) -> &'static str {
        match self {
            WeightSource::Default => "default",
            WeightSource::Estimated => "estimated",
            WeightSource::Configured => "configured",
        }
    }
}

/// The probabilities and weights of one field, for scoring and the report.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldWeights {
    /// Field name (`phone`).
    pub field: &'static str,
    /// `m` of exact, close, different.
    pub m: [f64; 3],
    /// `u` of exact, close, different.
    pub u: [f64; 3],
    /// `log2(m/u)` of exact, close, different, in bits.
    pub weights: [f64; 3],
    /// Where the probabilities came from.
    pub source: WeightSource,
}

impl FieldWeights {
    fn new(field: Field, m: [f64; 3], u: [f64; 3], source: WeightSource) -> Self {
        let (m, u) = (clamp(m), clamp(u));
        FieldWeights {
            field: field.name(),
            m,
            u,
            weights: std::array::from_fn(|i| (m[i] / u[i]).log2()),
            source,
        }
    }

    /// The weight of one level; 0 for [`Level::Missing`].
    pub fn weight(&self, level: Level) -> f64 {
        match level {
            Level::Missing => 0.0,
            l => self.weights[l as usize],
        }
    }
}

/// Built-in `m` and `u` per field (exact, close, different). Fields without
/// a close level carry the floor on both sides, i.e. weight 0.
const DEFAULTS: [([f64; 3], [f64; 3]); N] = [
    ([0.80, 0.17, 0.03], [0.02, 0.03, 0.95]),        // name
    ([0.85, 0.001, 0.149], [0.001, 0.001, 0.998]),   // phone
    ([0.80, 0.05, 0.15], [0.001, 0.002, 0.997]),     // email
    ([0.97, 0.02, 0.01], [0.001, 0.001, 0.998]),     // id_number
    ([0.85, 0.001, 0.149], [0.001, 0.001, 0.998]),   // wechat
    ([0.90, 0.07, 0.03], [0.001, 0.03, 0.969]),      // birth_date
    ([0.97, 0.001, 0.029], [0.4995, 0.001, 0.4995]), // gender
    ([0.80, 0.001, 0.199], [0.20, 0.001, 0.799]),    // city
    ([0.50, 0.30, 0.20], [0.001, 0.01, 0.989]),      // address
    ([0.70, 0.15, 0.15], [0.02, 0.03, 0.95]),        // school
    ([0.50, 0.20, 0.30], [0.01, 0.02, 0.97]),        // company
    ([0.30, 0.10, 0.60], [0.002, 0.004, 0.994]),     // application
];

/// The weights of every field, indexed by [`Field::index`].
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// One entry per field, in [`Field::ALL`] order.
    pub fields: Vec<FieldWeights>,
}

impl Weights {
    /// The built-in defaults.
    pub fn defaults() -> Weights {
        Weights {
            fields: Field::ALL
                .iter()
                .map(|f| {
                    let (m, u) = DEFAULTS[f.index()];
                    FieldWeights::new(*f, m, u, WeightSource::Default)
                })
                .collect(),
        }
    }

    /// The defaults with configured fields replaced.
    pub fn configured(config: &ConfiguredWeights) -> Weights {
        let mut w = Weights::defaults();
        for f in Field::ALL {
            if let Some(p) = config.get(f) {
                w.fields[f.index()] =
                    FieldWeights::new(f, p.m.array(), p.u.array(), WeightSource::Configured);
            }
        }
        w
    }

    /// Total score of a level pattern, in bits.
    pub fn score(&self, levels: &[Level; N]) -> f64 {
        levels
            .iter()
            .zip(&self.fields)
            .map(|(l, w)| w.weight(*l))
            .sum()
    }
}

/// What the estimation did, for the report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EmReport {
    /// False when EM was disabled or there were too few pairs.
    pub ran: bool,
    /// Candidate pairs the estimate is based on.
    pub pairs: u64,
    /// Distinct level patterns among them.
    pub patterns: usize,
    /// Random pairs `u` was measured on.
    pub random_pairs: u64,
    /// EM iterations run.
    pub iterations: u32,
    /// True when EM stopped because nothing moved more than the tolerance.
    pub converged: bool,
    /// Estimated share of matches among candidate pairs.
    pub match_share: f64,
}

/// Fields that decide blocking: their agreement among candidate pairs is
/// manufactured, so EM does not use them (see the module notes).
pub const BLOCKING_FIELDS: [Field; 3] = [Field::Name, Field::BirthDate, Field::City];

/// Clamps to the probability bounds, rescales to sum 1, clamps again.
fn clamp(p: [f64; 3]) -> [f64; 3] {
    let c = p.map(|x| x.clamp(MIN_PROBABILITY, MAX_PROBABILITY));
    let sum: f64 = c.iter().sum();
    c.map(|x| (x / sum).clamp(MIN_PROBABILITY, MAX_PROBABILITY))
}

/// Counts the distinct level patterns of the compared pairs, sorted by
/// their packed form so the estimation sums in a fixed order.
pub fn patterns(comparisons: &[Comparison]) -> Vec<(u32, u64)> {
    let mut packed: Vec<u32> = comparisons.iter().map(Comparison::pack).collect();
    packed.sort_unstable();
    let mut out: Vec<(u32, u64)> = Vec::new();
    for p in packed {
        match out.last_mut() {
            Some((q, n)) if *q == p => *n += 1,
            _ => out.push((p, 1)),
        }
    }
    out
}

/// The weights to score with: defaults, overridden by configuration, and,
/// when EM runs, the other observed fields estimated from `candidates` and
/// `random` (packed level patterns with counts, see [`patterns`], of the
/// candidate pairs and of random pairs).
pub fn build_weights(
    candidates: &[(u32, u64)],
    random: &[(u32, u64)],
    config: &ConfiguredWeights,
    em: &EmOptions,
) -> (Weights, EmReport) {
    let mut weights = Weights::configured(config);
    let pairs: u64 = candidates.iter().map(|(_, n)| n).sum();
    let mut report = EmReport {
        pairs,
        patterns: candidates.len(),
        random_pairs: random.iter().map(|(_, n)| n).sum(),
        ..Default::default()
    };
    if !em.enabled || pairs < em.min_pairs.max(1) {
        return (weights, report);
    }
    report.ran = true;
    let unpack = |rows: &[(u32, u64)]| -> Vec<([Level; N], f64)> {
        rows.iter()
            .map(|(p, n)| (Comparison::unpack_levels(*p), *n as f64))
            .collect()
    };
    let (rows, random) = (unpack(candidates), unpack(random));
    let configured: [bool; N] = std::array::from_fn(|f| config.get(Field::ALL[f]).is_some());

    // u: level frequencies among random pairs.
    let mut u: [[f64; 3]; N] = std::array::from_fn(|f| weights.fields[f].u);
    let mut measured = [false; N];
    for f in (0..N).filter(|f| !configured[*f]) {
        let mut counts = [0.0f64; 3];
        for (levels, n) in &random {
            if levels[f] != Level::Missing {
                counts[levels[f] as usize] += n;
            }
        }
        let total: f64 = counts.iter().sum();
        if total > 0.0 {
            u[f] = clamp(counts.map(|c| c / total));
            measured[f] = true;
        }
    }

    // m and the match share: EM over candidate pairs with u fixed, on the
    // fields that are observed there and are neither configured nor blocking.
    let mut observed = [false; N];
    for (levels, _) in &rows {
        for (f, l) in levels.iter().enumerate() {
            observed[f] |= *l != Level::Missing;
        }
    }
    let free: [bool; N] = std::array::from_fn(|f| {
        observed[f] && !configured[f] && !BLOCKING_FIELDS.contains(&Field::ALL[f])
    });
    let mut m: [[f64; 3]; N] = std::array::from_fn(|f| weights.fields[f].m);
    let mut p = em
        .initial_match_share
        .clamp(MIN_PROBABILITY, MAX_PROBABILITY);
    let lu = u.map(|r| r.map(f64::ln));
    for iteration in 1..=em.max_iterations {
        report.iterations = iteration;
        let lm = m.map(|r| r.map(f64::ln));
        let (lp, lq) = (p.ln(), (1.0 - p).ln());
        let mut sum_g = 0.0;
        let mut sm = [[0.0f64; 3]; N];
        for (levels, count) in &rows {
            // E-step: posterior probability that this pattern is a match.
            let (mut a, mut b) = (lp, lq);
            for f in (0..N).filter(|f| free[*f] && levels[*f] != Level::Missing) {
                a += lm[f][levels[f] as usize];
                b += lu[f][levels[f] as usize];
            }
            let g = 1.0 / (1.0 + (b - a).exp());
            sum_g += g * count;
            for f in (0..N).filter(|f| free[*f] && levels[*f] != Level::Missing) {
                sm[f][levels[f] as usize] += g * count;
            }
        }
        // M-step: the match share and every free field's m.
        let new_p = (sum_g / pairs as f64).clamp(MIN_PROBABILITY, MAX_PROBABILITY);
        let mut delta = (new_p - p).abs();
        p = new_p;
        for f in (0..N).filter(|f| free[*f]) {
            let total: f64 = sm[f].iter().sum();
            if total > 0.0 {
                let next = clamp(sm[f].map(|s| s / total));
                for i in 0..3 {
                    delta = delta.max((next[i] - m[f][i]).abs());
                }
                m[f] = next;
            }
        }
        if delta < em.tolerance {
            report.converged = true;
            break;
        }
    }
    report.match_share = p;
    for f in Field::ALL {
        let i = f.index();
        if free[i] || measured[i] {
            weights.fields[i] = FieldWeights::new(f, m[i], u[i], WeightSource::Estimated);
        }
    }
    (weights, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::options::{LevelProbs, MatchProbs};

    #[test]
    fn default_weights_are_log_ratios() {
        let w = Weights::defaults();
        let phone = &w.fields[Field::Phone.index()];
        assert_eq!(phone.field, "phone");
        assert!((phone.weight(Level::Exact) - (0.85f64 / 0.001).log2()).abs() < 1e-9);
        for f in &w.fields {
            assert!((f.m.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{}", f.field);
            assert!((f.u.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{}", f.field);
        }
        assert_eq!(phone.weight(Level::Close), 0.0);
        assert_eq!(phone.weight(Level::Missing), 0.0);
        let name = &w.fields[Field::Name.index()];
        assert_eq!(format!("{:.2}", name.weight(Level::Exact)), "5.32");
        assert_eq!(format!("{:.2}", name.weight(Level::Different)), "-4.98");
    }

    #[test]
    fn clamping_bounds_probabilities() {
        let c = clamp([1.0, 0.0, 0.0]);
        assert!(
            c.iter()
                .all(|x| (MIN_PROBABILITY..=MAX_PROBABILITY).contains(x))
        );
        assert!((c.iter().sum::<f64>() - 1.0).abs() < 0.002);
    }

    #[test]
    fn configured_fields_override_and_stay_fixed() {
        let config = ConfiguredWeights {
            phone: Some(MatchProbs {
                m: LevelProbs {
                    exact: 0.5,
                    close: 0.001,
                    different: 0.5,
                },
                u: LevelProbs {
                    exact: 0.25,
                    close: 0.001,
                    different: 0.75,
                },
            }),
            ..Default::default()
        };
        let w = Weights::configured(&config);
        let phone = &w.fields[Field::Phone.index()];
        assert_eq!(phone.source, WeightSource::Configured);
        assert!((phone.weight(Level::Exact) - 1.0).abs() < 0.01);
        let mut levels = [Level::Missing; N];
        levels[Field::Phone.index()] = Level::Exact;
        let rows = vec![(
            Comparison {
                levels,
                name_key_shared: false,
            }
            .pack(),
            5000,
        )];
        let (est, report) = build_weights(&rows, &rows, &config, &EmOptions::default());
        assert!(report.ran);
        assert_eq!(est.fields[Field::Phone.index()], *phone);
        // Never-compared fields keep their defaults.
        assert_eq!(
            est.fields[Field::Name.index()].source,
            WeightSource::Default
        );
    }

    #[test]
    fn too_few_pairs_use_defaults() {
        let (w, report) = build_weights(
            &[(0, 10)],
            &[(0, 10)],
            &ConfiguredWeights::default(),
            &EmOptions::default(),
        );
        assert!(!report.ran);
        assert_eq!(report.pairs, 10);
        assert_eq!(w, Weights::defaults());
    }
}

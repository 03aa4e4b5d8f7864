//! The interview composite: one number per evaluation from its dimension
//! scores and the position's weights, and, across the interviewers of one
//! application, the mean, the spread and the per-dimension disagreement.
//!
//! Sources score on different scales: the 2022 ledger on 1–10, the 2024
//! evaluation sheet and the English sheet on 1–5. Every score is brought to
//! 0–10 as a fraction of its scale's maximum (`4/5` → 8), and the scale is
//! detected per source, one source being one file and sheet: if no score in
//! the source (any dimension or overall) exceeds 5 it is a 1–5 source, if none
//! exceeds 10 a 1–10 source, otherwise a 1–100 source. A small 1–10 sheet
//! whose every score happens to be 5 or less would be misread as 1–5; set
//! its scale explicitly with [`Scales::set`] in that case.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::model::EvaluationRecord;

/// The score dimensions, in the order reports list them; the keys of
/// position weights (`{"technical":0.4,"teamwork":0.3,"culture":0.3}`).
pub const DIMENSIONS: [&str; 5] = [
    "technical",
    "business",
    "communication",
    "teamwork",
    "culture",
];

/// An evaluation's dimension scores in [`DIMENSIONS`] order.
fn dimensions(e: &EvaluationRecord) -> [Option<f64>; 5] {
    [
        e.technical,
        e.business,
        e.communication,
        e.teamwork,
        e.culture,
    ]
}

/// Rounds to six decimals. Composites are weighted sums of scores given to
/// one or two decimals; rounding removes binary noise so that 8, 6, 7 with
/// 40/30/30 is exactly 7.1 and not 7.1000000000000005.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The scale a source scores on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scale {
    /// 1–5.
    Five,
    /// 1–10.
    Ten,
    /// 1–100.
    Hundred,
}

impl Scale {
    /// The highest score on the scale.
    pub fn max(self) -> f64 {
        match self {
            Scale::Five => 5.0,
            Scale::Ten => 10.0,
            Scale::Hundred => 100.0,
        }
    }

    /// The smallest scale that holds every score (1–10 when there are none).
    pub fn detect(scores: impl IntoIterator<Item = f64>) -> Scale {
        let mut scale = None;
        for s in scores.into_iter().filter(|s| s.is_finite()) {
            let this = if s <= 5.0 {
                Scale::Five
            } else if s <= 10.0 {
                Scale::Ten
            } else {
                Scale::Hundred
            };
            scale = scale.max(Some(this));
        }
        scale.unwrap_or(Scale::Ten)
    }

    /// A score on this scale as a score out of 10.
    pub fn to_ten(self, score: f64) -> f64 {
        score * 10.0 / self.max()
    }
}

/// One source: file and sheet (`None` for evaluations without an origin).
type SourceKey = Option<(Arc<str>, Option<Arc<str>>)>;

fn source_of(e: &EvaluationRecord) -> SourceKey {
    e.origin
        .as_ref()
        .map(|o| (Arc::clone(&o.file), o.sheet.clone()))
}

fn all_scores(e: &EvaluationRecord) -> impl Iterator<Item = f64> {
    dimensions(e).into_iter().chain([e.overall]).flatten()
}

/// The detected or configured scale of every source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scales {
    by_source: BTreeMap<SourceKey, Scale>,
}

impl Scales {
    /// Detects the scale of each source from all of its evaluations. Pass
    /// every evaluation of the dataset, not one application's, so that a
    /// weak candidate's low scores do not make a 1–10 sheet look like 1–5.
    pub fn detect<'a>(evals: impl IntoIterator<Item = &'a EvaluationRecord>) -> Scales {
        let mut scores: BTreeMap<SourceKey, Vec<f64>> = BTreeMap::new();
        for e in evals {
            scores
                .entry(source_of(e))
                .or_default()
                .extend(all_scores(e));
        }
        Scales {
            by_source: scores
                .into_iter()
                .map(|(k, v)| (k, Scale::detect(v)))
                .collect(),
        }
    }

    /// Fixes the scale of one file and sheet.
    pub fn set(&mut self, file: &str, sheet: Option<&str>, scale: Scale) {
        self.by_source
            .insert(Some((Arc::from(file), sheet.map(Arc::from))), scale);
    }

    /// The scale of the evaluation's source; a source not seen by
    /// [`Scales::detect`] is judged by the evaluation's own scores.
    pub fn scale_of(&self, e: &EvaluationRecord) -> Scale {
        match self.by_source.get(&source_of(e)) {
            Some(scale) => *scale,
            None => Scale::detect(all_scores(e)),
        }
    }
}

/// Reads a position's weights JSON (`{"technical":0.4,…}`).
pub fn parse_weights(json: &str) -> Result<BTreeMap<String, f64>, String> {
    serde_json::from_str(json).map_err(|e| format!("not evaluation weights JSON: {e}"))
}

/// One evaluation as a score out of 10.
///
/// - With dimension scores: `Σ wᵈ·sᵈ / Σ wᵈ` over the dimensions that are
///   scored and weighted. Dividing by the weights of the scored dimensions
///   only means a missing culture score neither counts as zero nor drags the
///   composite down. When no scored dimension has a positive weight (no
///   position weights, or weights for other dimensions), the plain mean of
///   the scored dimensions.
/// - Without dimension scores: the `overall` score.
/// - Neither: `None`.
///
/// Weights that are negative, not finite or name unknown dimensions are
/// ignored.
pub fn evaluation_score(
    e: &EvaluationRecord,
    weights: &BTreeMap<String, f64>,
    scale: Scale,
) -> Option<f64> {
    let scored: Vec<(&str, f64)> = DIMENSIONS
        .iter()
        .zip(dimensions(e))
        .filter_map(|(d, s)| s.filter(|s| s.is_finite()).map(|s| (*d, scale.to_ten(s))))
        .collect();
    if scored.is_empty() {
        return e
            .overall
            .filter(|s| s.is_finite())
            .map(|s| round6(scale.to_ten(s)));
    }
    let weight = |d: &str| {
        weights
            .get(d)
            .copied()
            .filter(|w| w.is_finite() && *w > 0.0)
            .unwrap_or(0.0)
    };
    let total_weight: f64 = scored.iter().map(|(d, _)| weight(d)).sum();
    let value = if total_weight > 0.0 {
        scored.iter().map(|(d, s)| weight(d) * s).sum::<f64>() / total_weight
    } else {
        scored.iter().map(|(_, s)| s).sum::<f64>() / scored.len() as f64
    };
    Some(round6(value))
}

/// The composite of one application's evaluations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Composite {
    /// `(evaluation_id, score out of 10)` for every evaluation that has a
    /// score, in input order.
    pub per_evaluation: Vec<(String, f64)>,
    /// Mean of the per-evaluation scores; `None` when none has a score.
    pub mean: Option<f64>,
    /// Highest minus lowest per-evaluation score: how far the interviewers
    /// disagree overall (0 with one interviewer).
    pub spread: Option<f64>,
    /// Per dimension scored by at least one interviewer: the population
    /// standard deviation of its scores out of 10 (0 with one score).
    pub dimension_sd: BTreeMap<String, f64>,
}

/// The composite of one application's evaluations, scales detected among
/// `evals` themselves (see [`Scales::detect`] for why a whole dataset's
/// detection is better; use [`composite_with`] then).
pub fn composite(evals: &[&EvaluationRecord], weights: &BTreeMap<String, f64>) -> Composite {
    let scales = Scales::detect(evals.iter().copied());
    composite_with(evals, weights, &scales)
}

/// The composite with the scales of a whole dataset.
pub fn composite_with(
    evals: &[&EvaluationRecord],
    weights: &BTreeMap<String, f64>,
    scales: &Scales,
) -> Composite {
    let per_evaluation: Vec<(String, f64)> = evals
        .iter()
        .filter_map(|e| {
            evaluation_score(e, weights, scales.scale_of(e)).map(|s| (e.evaluation_id.clone(), s))
        })
        .collect();
    let values: Vec<f64> = per_evaluation.iter().map(|(_, s)| *s).collect();
    let mean = average(&values).map(round6);
    let spread = values
        .iter()
        .copied()
        .reduce(f64::max)
        .zip(values.iter().copied().reduce(f64::min))
        .map(|(hi, lo)| round6(hi - lo));
    let mut dimension_sd = BTreeMap::new();
    for (index, name) in DIMENSIONS.iter().enumerate() {
        let scores: Vec<f64> = evals
            .iter()
            .filter_map(|e| {
                dimensions(e)[index]
                    .filter(|s| s.is_finite())
                    .map(|s| scales.scale_of(e).to_ten(s))
            })
            .collect();
        if let Some(m) = average(&scores) {
            let variance =
                scores.iter().map(|s| (s - m) * (s - m)).sum::<f64>() / scores.len() as f64;
            dimension_sd.insert(name.to_string(), round6(variance.sqrt()));
        }
    }
    Composite {
        per_evaluation,
        mean,
        spread,
        dimension_sd,
    }
}

fn average(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn eval(id: &str, tech: f64, team: f64, culture: f64) -> EvaluationRecord {
        EvaluationRecord {
            evaluation_id: id.to_string(),
            technical: Some(tech),
            teamwork: Some(team),
            culture: Some(culture),
            ..Default::default()
        }
    }

    fn weights(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    fn from_sheet(mut e: EvaluationRecord, file: &str, sheet: &str) -> EvaluationRecord {
        e.origin = Some(Origin::new(
            Arc::from("s"),
            Arc::from(file),
            Some(Arc::from(sheet)),
            2,
        ));
        e
    }

    #[test]
    fn weighted_dimensions() {
        let e = eval("E1", 8.0, 6.0, 7.0);
        let cases: &[(&[(&str, f64)], f64)] = &[
            // 0.4·8 + 0.3·6 + 0.3·7 = 3.2 + 1.8 + 2.1
            (
                &[("technical", 0.4), ("teamwork", 0.3), ("culture", 0.3)],
                7.1,
            ),
            // 0.5·8 + 0.3·6 + 0.2·7 = 4.0 + 1.8 + 1.4
            (
                &[("technical", 0.5), ("teamwork", 0.3), ("culture", 0.2)],
                7.2,
            ),
            // Unnormalized weights give the same result.
            (
                &[("technical", 50.0), ("teamwork", 30.0), ("culture", 20.0)],
                7.2,
            ),
            // No weights: the plain mean (8 + 6 + 7) / 3.
            (&[], 7.0),
            // Weights only for unscored dimensions: the plain mean too.
            (&[("business", 1.0)], 7.0),
            // Only technical weighted: technical alone.
            (&[("technical", 1.0), ("business", 3.0)], 8.0),
            // Negative weights are ignored.
            (&[("technical", 1.0), ("culture", -1.0)], 8.0),
        ];
        for (w, expected) in cases {
            let got = evaluation_score(&e, &weights(w), Scale::Ten);
            assert_eq!(got, Some(*expected), "{w:?}");
        }
    }

    #[test]
    fn missing_dimension_is_renormalized_not_zero() {
        let mut e = eval("E1", 8.0, 6.0, 0.0);
        e.culture = None;
        // (0.4·8 + 0.3·6) / 0.7 = 5.0 / 0.7
        let w = weights(&[("technical", 0.4), ("teamwork", 0.3), ("culture", 0.3)]);
        assert_eq!(evaluation_score(&e, &w, Scale::Ten), Some(7.142857));
    }

    #[test]
    fn overall_is_the_fallback() {
        let w = weights(&[("technical", 0.4)]);
        let only_overall = EvaluationRecord {
            overall: Some(4.1),
            ..Default::default()
        };
        assert_eq!(evaluation_score(&only_overall, &w, Scale::Five), Some(8.2));
        assert_eq!(evaluation_score(&only_overall, &w, Scale::Ten), Some(4.1));
        let dims_win = EvaluationRecord {
            technical: Some(9.0),
            overall: Some(2.0),
            ..Default::default()
        };
        assert_eq!(evaluation_score(&dims_win, &w, Scale::Ten), Some(9.0));
        assert_eq!(
            evaluation_score(&EvaluationRecord::default(), &w, Scale::Ten),
            None
        );
    }

    #[test]
    fn composite_of_two_interviewers() {
        let a = eval("E1", 8.0, 6.0, 7.0);
        let b = eval("E2", 6.0, 8.0, 7.0);
        let w = weights(&[("technical", 0.4), ("teamwork", 0.3), ("culture", 0.3)]);
        let c = composite(&[&a, &b], &w);
        // E2: 0.4·6 + 0.3·8 + 0.3·7 = 2.4 + 2.4 + 2.1 = 6.9
        assert_eq!(
            c.per_evaluation,
            vec![("E1".to_string(), 7.1), ("E2".to_string(), 6.9)]
        );
        assert_eq!(c.mean, Some(7.0));
        assert_eq!(c.spread, Some(0.2));
        // technical 8 and 6: mean 7, deviations ±1 → SD 1; culture 7 and 7 → 0.
        assert_eq!(
            c.dimension_sd,
            weights(&[("culture", 0.0), ("teamwork", 1.0), ("technical", 1.0)])
        );
    }

    #[test]
    fn composite_of_one_and_of_none() {
        let a = eval("E1", 8.0, 6.0, 7.0);
        let w = weights(&[("technical", 0.5), ("teamwork", 0.3), ("culture", 0.2)]);
        let c = composite(&[&a], &w);
        assert_eq!(c.per_evaluation, vec![("E1".to_string(), 7.2)]);
        assert_eq!((c.mean, c.spread), (Some(7.2), Some(0.0)));
        let empty = EvaluationRecord {
            evaluation_id: "E0".into(),
            comment: Some("未到场".into()),
            ..Default::default()
        };
        assert_eq!(composite(&[&empty], &w), Composite::default());
    }

    #[test]
    fn five_point_sheets_are_doubled() {
        // 2024 sheet on 1–5: 4, 3, 3.5 → 8, 6, 7.
        let a = from_sheet(
            eval("E1", 4.0, 3.0, 3.5),
            "2024_面试评估表.xlsx",
            "面试评估",
        );
        let b = from_sheet(
            eval("E2", 5.0, 4.0, 4.5),
            "2024_面试评估表.xlsx",
            "面试评估",
        );
        let w = weights(&[("technical", 0.4), ("teamwork", 0.3), ("culture", 0.3)]);
        let c = composite(&[&a, &b], &w);
        // E2: 10, 8, 9 → 4.0 + 2.4 + 2.7 = 9.1
        assert_eq!(
            c.per_evaluation,
            vec![("E1".to_string(), 7.1), ("E2".to_string(), 9.1)]
        );
        assert_eq!(c.spread, Some(2.0));
        assert_eq!(c.dimension_sd["technical"], 1.0);
    }

    #[test]
    fn scale_detection_is_per_sheet() {
        let low = from_sheet(eval("E1", 4.0, 3.0, 5.0), "ledger.xlsx", "上半年");
        let high = from_sheet(eval("E2", 9.0, 3.0, 5.0), "ledger.xlsx", "下半年");
        let low_in_high = from_sheet(eval("E3", 4.0, 3.0, 5.0), "ledger.xlsx", "下半年");
        let hundred = from_sheet(eval("E4", 85.0, 70.0, 90.0), "hr.xlsx", "评分");
        let scales = Scales::detect([&low, &high, &low_in_high, &hundred]);
        assert_eq!(scales.scale_of(&low), Scale::Five);
        assert_eq!(scales.scale_of(&high), Scale::Ten);
        assert_eq!(scales.scale_of(&low_in_high), Scale::Ten);
        assert_eq!(scales.scale_of(&hundred), Scale::Hundred);
        let mut fixed = scales.clone();
        fixed.set("ledger.xlsx", Some("上半年"), Scale::Ten);
        assert_eq!(fixed.scale_of(&low), Scale::Ten);
        // Not seen by detect: judged by its own scores.
        let stray = eval("E5", 7.0, 7.0, 7.0);
        assert_eq!(scales.scale_of(&stray), Scale::Ten);
        assert_eq!(Scale::detect([]), Scale::Ten);
        assert_eq!(Scale::detect([5.0, 4.5]), Scale::Five);
        assert_eq!(Scale::detect([5.5]), Scale::Ten);
        assert_eq!(Scale::Hundred.to_ten(85.0), 8.5);
    }

    #[test]
    fn position_weights_json() {
        let w = parse_weights(r#"{"culture":0.3,"teamwork":0.3,"technical":0.4}"#).unwrap();
        assert_eq!(
            w,
            weights(&[("culture", 0.3), ("teamwork", 0.3), ("technical", 0.4)])
        );
        assert!(
            parse_weights("技术40")
                .unwrap_err()
                .starts_with("not evaluation weights JSON")
        );
    }
}

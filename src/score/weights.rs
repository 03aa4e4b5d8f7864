//! How much each component of a match score counts. The six weights are
//! relative: they are divided by their sum before use, so `skills = 2,
//! experience = 1` and `skills = 0.5, experience = 0.25` rank identically.

use serde::{Deserialize, Serialize};

/// Relative weights of the six match components. Read from a pipeline's
/// configuration; fields left out keep their defaults, unknown fields are
/// errors. Check with [`ScoreWeights::validate`] before scoring.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScoreWeights {
    /// Required and nice-to-have skill coverage. Default 0.35.
    pub skills: f64,
    /// Years of experience against the position's minimum. Default 0.15.
    pub experience: f64,
    /// Education level against the position's minimum. Default 0.10.
    pub education: f64,
    /// Salary expectation against the budget. Default 0.15.
    pub salary: f64,
    /// Past interview results. Default 0.15.
    pub evaluation: f64,
    /// How recently the candidate was last in touch. Default 0.10.
    pub recency: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights {
            skills: 0.35,
            experience: 0.15,
            education: 0.10,
            salary: 0.15,
            evaluation: 0.15,
            recency: 0.10,
        }
    }
}

impl ScoreWeights {
    /// The weights by name, in breakdown order.
    pub fn fields(&self) -> [(&'static str, f64); 6] {
        [
            ("skills", self.skills),
            ("experience", self.experience),
            ("education", self.education),
            ("salary", self.salary),
            ("evaluation", self.evaluation),
            ("recency", self.recency),
        ]
    }

    /// Checks that every weight is finite and not negative and that at least
    /// one is positive; every problem is reported.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        for (name, value) in self.fields() {
            if !value.is_finite() {
                errors.push(format!(
                    "score weight '{name}' must be a finite number, got {value}"
                ));
            } else if value < 0.0 {
                errors.push(format!(
                    "score weight '{name}' must not be negative, got {value}"
                ));
            }
        }
        if errors.is_empty() && self.fields().iter().all(|(_, v)| *v == 0.0) {
            errors.push("score weights are all zero: at least one must be positive".to_string());
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The weights divided by their sum, in breakdown order.
    ///
    /// # Panics
    ///
    /// When [`ScoreWeights::validate`] fails: scoring with such weights
    /// would give NaN or negative totals.
    pub fn normalized(&self) -> [f64; 6] {
        if let Err(errors) = self.validate() {
            panic!("invalid score weights: {}", errors.join("; "));
        }
        let values = self.fields().map(|(_, v)| v);
        let sum: f64 = values.iter().sum();
        values.map(|v| v / sum)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_sum_to_one() {
        let w = ScoreWeights::default();
        assert_eq!(w.validate(), Ok(()));
        let sum: f64 = w.fields().iter().map(|(_, v)| v).sum();
        assert!((sum - 1.0).abs() < 1e-12);
        assert_eq!(w.normalized()[0], 0.35 / sum);
    }

    #[test]
    fn deserialize_fills_defaults_and_rejects_unknown_fields() {
        let w: ScoreWeights = toml::from_str("skills = 0.5\nrecency = 0").unwrap();
        assert_eq!(
            w,
            ScoreWeights {
                skills: 0.5,
                recency: 0.0,
                ..ScoreWeights::default()
            }
        );
        let err = toml::from_str::<ScoreWeights>("skill = 0.5").unwrap_err();
        assert!(err.to_string().contains("unknown field `skill`"), "{err}");
        let w: ScoreWeights = serde_json::from_str(r#"{"salary": 2}"#).unwrap();
        assert_eq!(w.salary, 2.0);
    }

    #[test]
    fn validation_errors_name_each_weight() {
        let w = ScoreWeights {
            skills: f64::NAN,
            experience: -0.1,
            recency: f64::INFINITY,
            ..ScoreWeights::default()
        };
        assert_eq!(
            w.validate().unwrap_err(),
            vec![
                "score weight 'skills' must be a finite number, got NaN",
                "score weight 'experience' must not be negative, got -0.1",
                "score weight 'recency' must be a finite number, got inf",
            ]
        );
        let zero = ScoreWeights {
            skills: 0.0,
            experience: 0.0,
            education: 0.0,
            salary: 0.0,
            evaluation: 0.0,
            recency: 0.0,
        };
        assert_eq!(
            zero.validate().unwrap_err(),
            vec!["score weights are all zero: at least one must be positive"]
        );
    }

    #[test]
    fn normalized_divides_by_the_sum() {
        let w = ScoreWeights {
            skills: 2.0,
            experience: 1.0,
            education: 1.0,
            salary: 0.0,
            evaluation: 0.0,
            recency: 0.0,
        };
        assert_eq!(w.normalized(), [0.5, 0.25, 0.25, 0.0, 0.0, 0.0]);
    }

    #[test]
    #[should_panic(expected = "invalid score weights")]
    fn normalized_refuses_invalid_weights() {
        let w = ScoreWeights {
            salary: -1.0,
            ..ScoreWeights::default()
        };
        let _ = w.normalized();
    }
}

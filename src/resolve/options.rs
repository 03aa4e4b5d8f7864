//! Settings of entity resolution: [`ResolveOptions`], embedded by the
//! pipeline as its `[resolve]` table, and the tables nested in it
//! (`[resolve.rules]`, `[resolve.em]`, `[resolve.weights.<field>]`,
//! `[resolve.survivorship]`). Every table rejects unknown keys and every
//! key has a default, so an empty `[resolve]` means the defaults.

use serde::Deserialize;

use super::compare::Field;
use super::survive::{Rule, SurvivorField};
use super::weights::MIN_PROBABILITY;

use SurvivorField as F;

fn floor() -> f64 {
    MIN_PROBABILITY
}

/// Probabilities of the three scored levels; `close` may be omitted for
/// fields that have no close level and defaults to [`MIN_PROBABILITY`].
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelProbs {
    /// Probability of [`Level::Exact`](super::Level::Exact).
    pub exact: f64,
    /// Probability of [`Level::Close`](super::Level::Close).
    #[serde(default = "floor")]
    pub close: f64,
    /// Probability of [`Level::Different`](super::Level::Different).
    pub different: f64,
}

impl LevelProbs {
    /// `[exact, close, different]`.
    pub fn array(self) -> [f64; 3] {
        [self.exact, self.close, self.different]
    }
}

/// Configured `m` and `u` of one field.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchProbs {
    /// Level probabilities among true matches.
    pub m: LevelProbs,
    /// Level probabilities among non-matches.
    pub u: LevelProbs,
}

/// `[resolve.weights.<field>]`: fields whose `m`/`u` are given instead of
/// estimated.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConfiguredWeights {
    /// `[resolve.weights.name]`.
    pub name: Option<MatchProbs>,
    /// `[resolve.weights.phone]`.
    pub phone: Option<MatchProbs>,
    /// `[resolve.weights.email]`.
    pub email: Option<MatchProbs>,
    /// `[resolve.weights.id_number]`.
    pub id_number: Option<MatchProbs>,
    /// `[resolve.weights.wechat]`.
    pub wechat: Option<MatchProbs>,
    /// `[resolve.weights.birth_date]`.
    pub birth_date: Option<MatchProbs>,
    /// `[resolve.weights.gender]`.
    pub gender: Option<MatchProbs>,
    /// `[resolve.weights.city]`.
    pub city: Option<MatchProbs>,
    /// `[resolve.weights.address]`.
    pub address: Option<MatchProbs>,
    /// `[resolve.weights.school]`.
    pub school: Option<MatchProbs>,
    /// `[resolve.weights.company]`.
    pub company: Option<MatchProbs>,
    /// `[resolve.weights.application]`.
    pub application: Option<MatchProbs>,
}

impl ConfiguredWeights {
    /// The configured probabilities of one field, if any.
    pub fn get(&self, f: Field) -> Option<MatchProbs> {
        match f {
            Field::Name => self.name,
            Field::Phone => self.phone,
            Field::Email => self.email,
            Field::IdNumber => self.id_number,
            Field::Wechat => self.wechat,
            Field::BirthDate => self.birth_date,
            Field::Gender => self.gender,
            Field::City => self.city,
            Field::Address => self.address,
            Field::School => self.school,
            Field::Company => self.company,
            Field::Application => self.application,
        }
    }
}

/// `[resolve.em]`: settings of the EM estimation.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmOptions {
    /// Estimate weights from the data at all.
    pub enabled: bool,
    /// Fewest candidate pairs to estimate from.
    pub min_pairs: u64,
    /// Iteration limit.
    pub max_iterations: u32,
    /// Convergence: largest change of any probability in one iteration.
    pub tolerance: f64,
    /// Starting share of matches among candidate pairs.
    pub initial_match_share: f64,
    /// Random record pairs compared to measure `u`.
    pub random_pairs: u64,
}

impl Default for EmOptions {
    fn default() -> Self {
        EmOptions {
            enabled: true,
            min_pairs: 1000,
            max_iterations: 100,
            tolerance: 1e-6,
            initial_match_share: 0.1,
            random_pairs: 200_000,
        }
    }
}

/// `[resolve.survivorship]`: per-field rule overrides (field names as in
/// [`SurvivorField::name`]).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SurvivorshipOverrides {
    /// Rule for `name`.
    pub name: Option<Rule>,
    /// Rule for `gender`.
    pub gender: Option<Rule>,
    /// Rule for `birth_date`.
    pub birth_date: Option<Rule>,
    /// Rule for `phones`.
    pub phones: Option<Rule>,
    /// Rule for `phones_raw`.
    pub phones_raw: Option<Rule>,
    /// Rule for `emails`.
    pub emails: Option<Rule>,
    /// Rule for `wechat`.
    pub wechat: Option<Rule>,
    /// Rule for `id_number`.
    pub id_number: Option<Rule>,
    /// Rule for `city`.
    pub city: Option<Rule>,
    /// Rule for `address`.
    pub address: Option<Rule>,
    /// Rule for `education`.
    pub education: Option<Rule>,
    /// Rule for `school`.
    pub school: Option<Rule>,
    /// Rule for `major`.
    pub major: Option<Rule>,
    /// Rule for `years_experience`.
    pub years_experience: Option<Rule>,
    /// Rule for `current_company`.
    pub current_company: Option<Rule>,
    /// Rule for `current_title`.
    pub current_title: Option<Rule>,
    /// Rule for `skills`.
    pub skills: Option<Rule>,
    /// Rule for `salary`.
    pub salary: Option<Rule>,
    /// Rule for `source_channel`.
    pub source_channel: Option<Rule>,
    /// Rule for `latest_status`.
    pub latest_status: Option<Rule>,
    /// Rule for `last_contact_at`.
    pub last_contact_at: Option<Rule>,
    /// Rule for `notes`.
    pub notes: Option<Rule>,
}

impl SurvivorshipOverrides {
    /// The configured rule of a field, if any.
    pub fn get(&self, f: SurvivorField) -> Option<Rule> {
        match f {
            F::Name => self.name,
            F::Gender => self.gender,
            F::BirthDate => self.birth_date,
            F::Phones => self.phones,
            F::PhonesRaw => self.phones_raw,
            F::Emails => self.emails,
            F::Wechat => self.wechat,
            F::IdNumber => self.id_number,
            F::City => self.city,
            F::Address => self.address,
            F::Education => self.education,
            F::School => self.school,
            F::Major => self.major,
            F::YearsExperience => self.years_experience,
            F::CurrentCompany => self.current_company,
            F::CurrentTitle => self.current_title,
            F::Skills => self.skills,
            F::Salary => self.salary,
            F::SourceChannel => self.source_channel,
            F::LatestStatus => self.latest_status,
            F::LastContactAt => self.last_contact_at,
            F::Notes => self.notes,
        }
    }

    /// The rule in effect for a field: the configured one, unless it is
    /// keep-all on a single-valued field, else the default.
    pub fn rule(&self, f: SurvivorField) -> Rule {
        match self.get(f) {
            Some(Rule::KeepAll) if !f.is_multi() => f.default_rule(),
            Some(r) => r,
            None => f.default_rule(),
        }
    }
}

/// `[resolve.rules]`: the hard rules, all on by default.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HardRules {
    /// Never merge two records with different non-empty id numbers.
    pub never_conflicting_id: bool,
    /// Never merge two records whose phones all differ and whose birth
    /// years differ (both present).
    pub never_different_phones_and_birth_years: bool,
    /// Always merge two records that share a name key and a phone number.
    pub always_same_name_and_phone: bool,
}

impl Default for HardRules {
    fn default() -> Self {
        HardRules {
            never_conflicting_id: true,
            never_different_phones_and_birth_years: true,
            always_same_name_and_phone: true,
        }
    }
}

/// `[resolve]`: every setting of entity resolution.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResolveOptions {
    /// Score (bits) at or above which a pair is merged; default 8.
    pub threshold: f64,
    /// Pairs scoring in `[threshold - review_band, threshold)` go to review
    /// when an identifying field agrees; default 4.
    pub review_band: f64,
    /// Most pairs `review.xlsx` shows, most likely one person first;
    /// `review.csv` always has them all. Default 2,000.
    pub review_limit: usize,
    /// Pairs scoring below this are cannot-link constraints; default −10.
    pub cannot_link_below: f64,
    /// Largest block compared pairwise before it is split; default 500.
    pub max_block_size: usize,
    /// The hard rules.
    pub rules: HardRules,
    /// Weight estimation.
    pub em: EmOptions,
    /// Fields whose `m`/`u` are given instead of estimated.
    pub weights: ConfiguredWeights,
    /// Survivorship rule overrides per field.
    pub survivorship: SurvivorshipOverrides,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            threshold: 8.0,
            review_band: 4.0,
            review_limit: 2000,
            cannot_link_below: -10.0,
            max_block_size: 500,
            rules: HardRules::default(),
            em: EmOptions::default(),
            weights: ConfiguredWeights::default(),
            survivorship: SurvivorshipOverrides::default(),
        }
    }
}

impl ResolveOptions {
    /// Every problem with the settings, each naming its key.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut errors = Vec::new();
        if !self.threshold.is_finite() {
            errors.push("threshold: must be a finite number".to_string());
        }
        if !(self.review_band.is_finite() && self.review_band >= 0.0) {
            errors.push("review_band: must be a number ≥ 0".to_string());
        }
        if self.review_limit == 0 {
            errors.push("review_limit: must be at least 1".to_string());
        }
        if !(self.cannot_link_below.is_finite() && self.cannot_link_below < self.threshold) {
            errors.push("cannot_link_below: must be a number below threshold".to_string());
        }
        if self.max_block_size < 2 {
            errors.push("max_block_size: must be at least 2".to_string());
        }
        if self.em.max_iterations == 0 {
            errors.push("em.max_iterations: must be at least 1".to_string());
        }
        if self.em.tolerance.is_nan() || self.em.tolerance <= 0.0 {
            errors.push("em.tolerance: must be above 0".to_string());
        }
        if !(self.em.initial_match_share > 0.0 && self.em.initial_match_share < 1.0) {
            errors.push("em.initial_match_share: must be between 0 and 1".to_string());
        }
        for f in Field::ALL {
            if let Some(p) = self.weights.get(f) {
                for (side, probs) in [("m", p.m), ("u", p.u)] {
                    let all = [probs.exact, probs.close, probs.different];
                    if all.iter().any(|x| !(0.0..=1.0).contains(x))
                        || all.iter().sum::<f64>() <= 0.0
                    {
                        errors.push(format!(
                            "weights.{}.{side}: probabilities must be in 0..1 and not all 0",
                            f.name()
                        ));
                    }
                }
            }
        }
        for f in SurvivorField::ALL {
            if self.survivorship.get(f) == Some(Rule::KeepAll) && !f.is_multi() {
                errors.push(format!(
                    "survivorship.{}: keep_all applies only to list fields \
                     (phones, phones_raw, emails, skills, notes)",
                    f.name()
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

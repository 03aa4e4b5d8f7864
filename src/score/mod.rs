//! Matching candidates to positions: match scores, hard-requirement
//! screening, talent-pool tags and the interview composite.
//!
//! Everything here is a pure function of the model records: no I/O, no
//! clock (the reference date `as_of` is an argument), no global state besides
//! the built-in tables embedded from `tables/*.toml`.
//!
//! - [`skills`]: the synonym table (`Golang` = `Go`, `MySQL` ⇒ `SQL`) and
//!   candidates' skills as small sorted id sets.
//! - [`profile`]: [`CandidateProfile`] (what scoring needs of one resolved
//!   candidate) and [`PositionNeeds`] (a position's requirements, resolved).
//! - [`match_score`]: the six components and [`score_one`].
//! - [`screen`]: hard requirements, reported beside the score.
//! - [`batch`]: [`score_all`], every candidate × open position in parallel,
//!   in a deterministic order.
//! - [`weights`]: [`ScoreWeights`], the configurable component weights.
//! - [`composite`](mod@composite): per-evaluation and per-application
//!   interview composites across 1–5, 1–10 and 1–100 scales.
//! - [`tags`]: talent-pool tags from comments and notes.
//!
//! The skill and tag tables can be extended or corrected per pipeline with
//! [`SkillTable::with_overrides`] and [`TagTable::with_overrides`], as the
//! rules' vocabulary can with `Vocab::with_overrides`.

pub mod batch;
pub mod composite;
pub mod match_score;
pub mod profile;
pub mod screen;
pub mod skills;
pub mod tags;
pub mod weights;

pub use batch::{MatchRow, score_all, score_all_sequential};
pub use composite::{
    Composite, DIMENSIONS, Scale, Scales, composite, composite_with, evaluation_score,
    parse_weights,
};
pub use match_score::{Breakdown, MatchScore, score_one};
pub use profile::{CandidateProfile, PositionNeeds, is_open};
pub use screen::{ScreenFlags, Screening};
pub use skills::{Skill, SkillId, SkillSet, SkillTable};
pub use tags::{Tag, TagTable, tags_for};
pub use weights::ScoreWeights;

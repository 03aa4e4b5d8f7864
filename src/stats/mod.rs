//! Statistics for the management reports: candidate-survey figures and
//! recruiting metrics, computed from the normalized records.
//!
//! - [`survey`]: the survey response model and the question bank
//!   (`tables/questions.toml`); [`wide`]: [`reshape_wide`] for survey exports.
//! - [`describe`]: n, mean, 95 % CI, median, percentiles, distribution,
//!   top-2-box, NPS, response rate, interview-to-notice time.
//! - [`groups`]: survey figures per month, department, job family, outcome
//!   and template version, with small groups suppressed.
//! - [`funnel`]: stage funnel and conversions, time to hire, sources, offer
//!   acceptance, cost per hire, and the combined [`RecruitingReport`];
//!   [`rejections`]: rejection reasons by stage and type.
//! - [`interviewers`]: score spread in interview panels.
//!
//! Everything here is pure: no I/O, no clock, no global state besides the
//! embedded question bank. Independent groups are computed in parallel with
//! rayon, and every list comes out in a fixed order, so the same input gives
//! byte-identical reports. Outputs are plain `Serialize` structs that the
//! XLSX and HTML writers share. Conventions: rates are fractions 0–1,
//! `*_pct` fields are percentages 0–100, the NPS runs from −100 to 100, and a
//! figure that cannot be computed (no data, zero denominator) is `None`,
//! never 0.

pub mod describe;
pub mod funnel;
pub mod groups;
pub mod interviewers;
pub mod rejections;
pub mod survey;
pub mod wide;

/// Records a statistic reads, owned or borrowed: the report filters its
/// periods as references to the records instead of copies.
pub trait Records<T>: std::borrow::Borrow<T> + Sync {}

impl<T, R: std::borrow::Borrow<T> + Sync> Records<T> for R {}

pub use describe::{
    DurationSummary, Interval, Nps, PointCount, QuestionStats, ResponseRate, Summary,
    interview_to_notice, nps, percentile, question_stats, response_rate, summarize, t_critical_95,
};
pub use funnel::{
    FunnelReport, FunnelStep, OfferAcceptance, RecruitingReport, SourceRow, recruiting_figures,
    recruiting_report,
};
pub use groups::{GroupBy, GroupConfig, GroupReport, SurveyContext, SurveyReport, survey_report};
pub use interviewers::{InterviewerConsistency, interviewer_consistency, panel_consistency};
pub use rejections::{RejectionBreakdown, rejection_reasons};
pub use survey::{Polarity, Question, QuestionBank, Scale, Section, SurveyResponse};
pub use wide::{CellProblem, Reshaped, WideTable, reshape_wide, reshape_wide_checked};

/// Group key for a missing department, channel, position, month….
pub const UNKNOWN: &str = "(unknown)";

#[cfg(test)]
mod tests;

//! The top-level error and its exit code, decided in one place.
//!
//! Exit codes: 0 success; 1 the run failed on data or I/O (a source could
//! not be opened, an output could not be written, accounting did not
//! balance); 2 the pipeline is invalid or the command line is wrong (clap
//! uses 2 for usage errors too).

use crate::plan::PlanError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Every problem found in a pipeline file.
    #[error("{}", render_plan_errors(.0))]
    Plan(Vec<PlanError>),
    /// A command-line problem clap could not catch.
    #[error("{0}")]
    Usage(String),
    /// The run could not complete or completed with failures.
    #[error("{0}")]
    Run(String),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

fn render_plan_errors(errors: &[PlanError]) -> String {
    let mut out = String::new();
    for e in errors {
        out.push_str(&e.to_string());
        out.push('\n');
    }
    let n = errors.len();
    out.push_str(&format!(
        "{n} problem{} found.",
        if n == 1 { "" } else { "s" }
    ));
    out
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Plan(_) | Error::Usage(_) => 2,
            Error::Run(_) | Error::Io { .. } => 1,
        }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_convention() {
        assert_eq!(Error::Plan(vec![]).exit_code(), 2);
        assert_eq!(Error::Usage("x".into()).exit_code(), 2);
        assert_eq!(Error::Run("x".into()).exit_code(), 1);
        assert_eq!(Error::io("x", std::io::Error::other("y")).exit_code(), 1);
    }
}

//! The pipeline file as written: `pipelines/*.toml` deserialized with serde and
//! nothing else.
//!
//! This module owns the *shape* of a pipeline. It does no I/O and checks nothing
//! beyond what serde checks (types and unknown keys). Everything that needs the
//! file system or cross-field reasoning — do the files exist, is the encoding
//! label known, does a column override name a canonical field — happens in
//! [`crate::plan`], which reports every problem at once.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A whole pipeline file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineSpec {
    /// Short name, used in the run summary and the default output folder.
    pub name: String,
    /// One line for `hrflow list`.
    #[serde(default)]
    pub description: String,
    /// Directory that relative source paths resolve against, relative to the
    /// pipeline file. Defaults to the pipeline file's own directory.
    #[serde(default)]
    pub root: Option<String>,
    /// Allow source paths outside `root` (absolute paths or `..`).
    #[serde(default)]
    pub allow_outside_root: bool,
    /// Input files larger than this many bytes are refused (a failure
    /// naming the file; the other sources are still read). Default 1 GiB.
    #[serde(default)]
    pub max_input_bytes: Option<u64>,
    /// Where outputs go.
    #[serde(default)]
    pub output: OutputSpec,
    /// The inputs, in priority order unless `priority` says otherwise.
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceSpec>,
    /// Normalization settings and vocabulary overrides.
    #[serde(default)]
    pub normalize: NormalizeSpec,
}

/// `[output]`: the output folder and which file formats to write.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputSpec {
    /// Output folder, relative to `root`. `--out` on the command line wins.
    #[serde(default = "default_out_dir")]
    pub dir: String,
    /// Dataset formats to write; all three by default.
    #[serde(default = "default_formats")]
    pub formats: Vec<String>,
}

impl Default for OutputSpec {
    fn default() -> Self {
        OutputSpec {
            dir: default_out_dir(),
            formats: default_formats(),
        }
    }
}

fn default_out_dir() -> String {
    "out".to_string()
}

fn default_formats() -> Vec<String> {
    vec!["parquet".into(), "csv".into(), "xlsx".into()]
}

/// One `[[source]]` entry. The `kind` key picks how the file is read.
///
/// This is a plain struct rather than a serde-tagged enum on purpose:
/// `deny_unknown_fields` does not work reliably on internally tagged enums, and
/// a misspelled key must always be an error. [`crate::plan`] turns it into the
/// closed [`crate::plan::SourceKind`] set and rejects keys that do not apply to
/// the kind (an `encoding` on an Excel source, say).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// `excel`, `csv` or `chat`.
    pub kind: String,
    /// A file path or a glob (`sample-data/*.xlsx`), relative to `root`.
    pub path: String,
    /// Globs (relative to `root`) of files to leave out of `path`'s matches.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// What the rows are: `candidates` (default), `positions` or `survey`
    /// (candidate survey responses).
    #[serde(default)]
    pub role: Option<String>,
    /// Survey: `wide` (one row per response, a column per question) or
    /// `long` (one row per answer); detected from the header when absent.
    #[serde(default)]
    pub layout: Option<String>,
    /// Excel: sheets to read by name. Default: every visible worksheet.
    #[serde(default)]
    pub sheets: Option<Vec<String>>,
    /// Excel: also read hidden sheets when no `sheets` list is given.
    #[serde(default)]
    pub include_hidden: bool,
    /// Excel/CSV: the 1-based row that holds the header, when detection
    /// should not be trusted. For a two-row header, the lower row.
    #[serde(default)]
    pub header_row: Option<u32>,
    /// CSV/chat: a WHATWG encoding label (`gbk`, `utf-16le`, `big5`…). Wins
    /// over detection.
    #[serde(default)]
    pub encoding: Option<String>,
    /// CSV: one of `,` `;` `\t` `|`. Wins over sniffing.
    #[serde(default)]
    pub delimiter: Option<String>,
    /// Chat: the export format; detected when absent.
    #[serde(default)]
    pub format: Option<String>,
    /// Chat: hours from UTC of the chat's clock, for exports that store
    /// absolute times (default 8, Asia/Shanghai).
    #[serde(default)]
    pub utc_offset_hours: Option<i32>,
    /// Chat: force day-first (true) or month-first (false) dates where the
    /// file's own evidence is ambiguous.
    #[serde(default)]
    pub day_first: Option<bool>,
    /// Higher wins when sources disagree about a field; default 0.
    #[serde(default)]
    pub priority: i32,
    /// Source header → canonical field (or `ignore`) overrides.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

/// `[normalize]`: defaults for ambiguous notations and vocabulary overrides.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizeSpec {
    /// Region for phone numbers written without a country code; `CN` by default.
    #[serde(default)]
    pub default_region: Option<String>,
    /// Read `5/1/2023` as 5 January instead of May 1.
    #[serde(default)]
    pub day_first: bool,
    /// Extra or replacement vocabulary entries, per table:
    /// `[normalize.tables.status]` `"已沟通" = "screening"`.
    #[serde(default)]
    pub tables: BTreeMap<String, toml::Table>,
    /// Extra header synonyms: `"联系人手机" = "phone"`, applied to every source.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
}

impl PipelineSpec {
    /// Parses pipeline TOML; the error carries toml's line/column and caret.
    pub fn from_toml(text: &str) -> Result<PipelineSpec, toml::de::Error> {
        toml::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_pipeline_parses_with_defaults() {
        let spec =
            PipelineSpec::from_toml("name = \"x\"\n[[source]]\nkind = \"csv\"\npath = \"a.csv\"\n")
                .unwrap();
        assert_eq!(spec.output.dir, "out");
        assert_eq!(spec.output.formats, ["parquet", "csv", "xlsx"]);
        assert_eq!(spec.sources[0].priority, 0);
        assert!(!spec.allow_outside_root);
    }

    #[test]
    fn misspelled_key_is_an_error_with_its_location() {
        let err =
            PipelineSpec::from_toml("name = \"x\"\n[[source]]\nkind = \"csv\"\npaht = \"a.csv\"\n")
                .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("unknown field `paht`"), "{text}");
        assert!(text.contains("line 4"), "{text}");
    }
}

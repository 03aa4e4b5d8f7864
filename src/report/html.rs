//! The report as one self-contained HTML page: `reports/monthly/report.html.j2`
//! rendered by minijinja with the [`ReportModel`] as its context. CSS is in
//! the template, charts are the model's inline SVG, and nothing is fetched,
//! so the page opens offline, reads on a phone and prints cleanly.
//!
//! Auto-escaping is on for the whole template: every candidate-supplied
//! text (names, comments, reasons) is escaped. The only markup inserted
//! unescaped is the SVG the report builds itself, which escapes its labels
//! (see [`super::svg`]). Undefined variables are errors, so a typo in the
//! template fails the test suite rather than printing nothing.

use std::io::Write as _;
use std::path::Path;

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use super::ReportModel;

const TEMPLATE: &str = include_str!("../../reports/monthly/report.html.j2");

/// The template context: the model through its JSON form, which is exactly
/// what `report.json` holds (minijinja is built without its serde feature).
fn context(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::from(()),
        serde_json::Value::Bool(b) => Value::from(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::from(i),
            None => Value::from(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(a) => Value::from(a.iter().map(context).collect::<Vec<_>>()),
        serde_json::Value::Object(o) => Value::from(
            o.iter()
                .map(|(k, v)| (k.clone(), context(v)))
                .collect::<BTreeMap<String, Value>>(),
        ),
    }
}

/// Renders the page.
pub fn render(model: &ReportModel) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)?;
    let mut json = serde_json::to_value(model).expect("the report model serializes");
    add_header_groups(&mut json);
    env.get_template("report.html")?.render(context(&json))
}

/// Gives each table whose columns belong to spans a `head` list for the
/// first of two header rows: one cell per run of columns of the same span
/// (`colspan` = its length) and one per column outside any span (drawn
/// over both rows). Empty when no column has a span.
fn add_header_groups(json: &mut serde_json::Value) {
    use serde_json::{Value as J, json};
    let Some(sections) = json.get_mut("sections").and_then(J::as_array_mut) else {
        return;
    };
    for table in sections
        .iter_mut()
        .filter_map(|s| s.get_mut("tables").and_then(J::as_array_mut))
        .flatten()
    {
        let columns = table["columns"].as_array().cloned().unwrap_or_default();
        let mut head: Vec<J> = Vec::new();
        if columns.iter().any(|c| c["group"].is_string()) {
            for c in &columns {
                let group = c["group"].as_str();
                match (group, head.last_mut()) {
                    (Some(g), Some(last)) if last["group"] == g => {
                        last["span"] = J::from(last["span"].as_u64().unwrap_or(1) + 1);
                    }
                    (Some(g), _) => head.push(json!({"label": g, "group": g, "span": 1})),
                    (None, _) => head.push(json!({"label": c["label"], "group": null, "span": 1})),
                }
            }
        }
        table["head"] = J::from(head);
    }
}

/// Writes the page to `path` (atomically).
pub fn write(path: &Path, model: &ReportModel) -> std::io::Result<()> {
    let html = render(model).map_err(|e| std::io::Error::other(format!("{e:#}")))?;
    crate::output::write_atomic(path, |w| w.write_all(html.as_bytes()))
}

//! Inline SVG charts for the HTML report, drawn from the same table the
//! workbook's native chart uses. Plain strings, no scripts, no fonts to
//! fetch: the page stays one file that opens offline. Every label is
//! escaped here because the template inserts the SVG as markup.

use std::fmt::Write as _;

use super::{Chart, ChartKind, Table};

/// Series colours (colour-blind-safe Okabe–Ito order), shared with the
/// workbook's charts.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
];

const WIDTH: f64 = 640.0;

/// Escapes text for SVG element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Shortens a label to about `max` display columns.
fn clip(s: &str, max: usize) -> String {
    let mut width = 0;
    let mut out = String::new();
    for c in s.chars() {
        width += if c.is_ascii() { 1 } else { 2 };
        if width > max {
            out.push('…');
            return out;
        }
        out.push(c);
    }
    out
}

fn fmt_num(v: f64) -> String {
    format!("{v:.1}")
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

/// The chart as an SVG element; empty when the table has no rows.
pub fn render(table: &Table, chart: &Chart) -> String {
    if table.rows.is_empty() {
        return String::new();
    }
    let categories: Vec<String> = table
        .rows
        .iter()
        .map(|r| r[chart.category].display.clone())
        .collect();
    let series: Vec<(String, Vec<f64>, Vec<String>)> = chart
        .series
        .iter()
        .map(|&c| {
            (
                table.columns[c].label.clone(),
                table
                    .rows
                    .iter()
                    .map(|r| r[c].number.unwrap_or(0.0))
                    .collect(),
                table.rows.iter().map(|r| r[c].display.clone()).collect(),
            )
        })
        .collect();
    let body = match chart.kind {
        ChartKind::Bar => bars(&categories, &series[0]),
        ChartKind::Column => columns(&categories, &series),
        ChartKind::Line => lines(&categories, &series),
        ChartKind::StackedBar => stacked(&categories, &series),
    };
    let (inner, height) = body;
    format!(
        "<svg viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{t}\" class=\"chart\"><title>{t}</title>{inner}</svg>",
        t = escape(&chart.title)
    )
}

fn legend(out: &mut String, names: &[&str], y: f64) {
    let mut x = 10.0;
    for (i, name) in names.iter().enumerate() {
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" class=\"lg\">{}</text>",
            y - 10.0,
            PALETTE[i % PALETTE.len()],
            x + 16.0,
            y,
            escape(name)
        );
        x += 28.0
            + 7.0
                * name
                    .chars()
                    .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                    .sum::<f64>();
    }
}

fn bars(categories: &[String], series: &(String, Vec<f64>, Vec<String>)) -> (String, f64) {
    let (_, values, shown) = series;
    let max = values.iter().copied().fold(0.0, f64::max).max(1e-9);
    let (label_w, row_h) = (190.0, 26.0);
    let bar_max = WIDTH - label_w - 70.0;
    let mut out = String::new();
    for (i, (cat, v)) in categories.iter().zip(values).enumerate() {
        let y = 8.0 + i as f64 * row_h;
        let w = (v / max * bar_max).max(0.0);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"cat\">{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{}\" class=\"val\">{}</text>",
            label_w - 6.0,
            y + 15.0,
            escape(&clip(cat, 26)),
            row_h - 8.0,
            PALETTE[0],
            label_w + w + 4.0,
            y + 15.0,
            escape(&shown[i])
        );
    }
    (out, 16.0 + categories.len() as f64 * row_h)
}

fn columns(categories: &[String], series: &[(String, Vec<f64>, Vec<String>)]) -> (String, f64) {
    let max = series
        .iter()
        .flat_map(|s| s.1.iter().copied())
        .fold(0.0, f64::max)
        .max(1e-9);
    let (top, plot_h, left) = (28.0, 180.0, 10.0);
    let slot = (WIDTH - left * 2.0) / categories.len() as f64;
    let bar_w = (slot * 0.8 / series.len() as f64).min(40.0);
    let mut out = String::new();
    let names: Vec<&str> = series.iter().map(|s| s.0.as_str()).collect();
    legend(&mut out, &names, 14.0);
    for (i, cat) in categories.iter().enumerate() {
        let x0 = left + i as f64 * slot + (slot - bar_w * series.len() as f64) / 2.0;
        for (k, (_, values, shown)) in series.iter().enumerate() {
            let h = values[i] / max * plot_h;
            let x = x0 + k as f64 * bar_w;
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {}</title></rect>",
                top + plot_h - h,
                bar_w - 2.0,
                PALETTE[k % PALETTE.len()],
                escape(cat),
                escape(&shown[i])
            );
            if categories.len() * series.len() <= 24 {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"val\">{}</text>",
                    x + bar_w / 2.0 - 1.0,
                    top + plot_h - h - 3.0,
                    escape(&shown[i])
                );
            }
        }
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"cat\">{}</text>",
            left + i as f64 * slot + slot / 2.0,
            top + plot_h + 16.0,
            escape(&clip(cat, (slot / 7.0) as usize + 1))
        );
    }
    (out, top + plot_h + 26.0)
}

fn lines(categories: &[String], series: &[(String, Vec<f64>, Vec<String>)]) -> (String, f64) {
    let max = series
        .iter()
        .flat_map(|s| s.1.iter().copied())
        .fold(0.0, f64::max)
        .max(1.0);
    let (top, plot_h, left, right) = (28.0, 180.0, 36.0, 36.0);
    let n = categories.len().max(2) - 1;
    let x = |i: usize| left + i as f64 * (WIDTH - left - right) / n as f64;
    let y = |v: f64| top + plot_h - v / max * plot_h;
    let mut out = String::new();
    let names: Vec<&str> = series.iter().map(|s| s.0.as_str()).collect();
    legend(&mut out, &names, 14.0);
    for v in [0.0, max / 2.0, max] {
        let _ = write!(
            out,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" class=\"grid\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" class=\"val\">{}</text>",
            WIDTH - right,
            y(v),
            y(v),
            left - 4.0,
            y(v) + 4.0,
            fmt_num(v)
        );
    }
    for (k, (_, values, _)) in series.iter().enumerate() {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            out,
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
            PALETTE[k % PALETTE.len()],
            points.join(" ")
        );
    }
    let every = categories.len().div_ceil(12).max(1);
    for (i, cat) in categories.iter().enumerate().step_by(every) {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"cat\">{}</text>",
            x(i),
            top + plot_h + 16.0,
            escape(cat)
        );
    }
    (out, top + plot_h + 26.0)
}

fn stacked(categories: &[String], series: &[(String, Vec<f64>, Vec<String>)]) -> (String, f64) {
    let (label_w, row_h, top) = (230.0, 24.0, 26.0);
    let bar_max = WIDTH - label_w - 10.0;
    let mut out = String::new();
    let names: Vec<&str> = series.iter().map(|s| s.0.as_str()).collect();
    legend(&mut out, &names, 14.0);
    for (i, cat) in categories.iter().enumerate() {
        let total: f64 = series.iter().map(|s| s.1[i]).sum();
        let y = top + i as f64 * row_h;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"cat\">{}</text>",
            label_w - 6.0,
            y + 14.0,
            escape(&clip(cat, 30))
        );
        let mut x = label_w;
        for (k, (name, values, shown)) in series.iter().enumerate() {
            if total <= 0.0 {
                break;
            }
            let w = values[i] / total * bar_max;
            let _ = write!(
                out,
                "<rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                row_h - 6.0,
                PALETTE[k % PALETTE.len()],
                escape(name),
                escape(&shown[i])
            );
            x += w;
        }
    }
    (out, top + 8.0 + categories.len() as f64 * row_h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Column, Fmt, Value};

    #[test]
    fn labels_are_escaped_and_bars_scale_to_the_largest_value() {
        let t = Table {
            id: "x",
            title: "<b>".into(),
            note: None,
            columns: vec![
                Column::new("k".into(), Fmt::Text),
                Column::new("n".into(), Fmt::Int),
            ],
            rows: vec![
                vec![Value::text("<script>"), Value::int(10)],
                vec![Value::text("b"), Value::int(5)],
            ],
            chart: None,
        };
        let c = Chart {
            kind: ChartKind::Bar,
            title: "<b>".into(),
            category: 0,
            series: vec![1],
            svg: String::new(),
        };
        let svg = render(&t, &c);
        assert!(
            !svg.contains("<script>") && svg.contains("&lt;script&gt;"),
            "{svg}"
        );
        assert!(svg.contains("width=\"380.0\""), "{svg}");
        assert!(svg.contains("width=\"190.0\""), "{svg}");
    }
}

//! The report as an XLSX workbook: a summary sheet with the key figures,
//! then one sheet per section. Tables are stacked down each sheet with a
//! bold title, a coloured header row and typed cells — numbers are written
//! as numbers with the number format that shows the model's text, dates as
//! dates — and every chart of the model becomes a native Excel chart over
//! the table's own cells, placed to the right of the tables. The first table
//! of a sheet gets the frozen header and the autofilter (Excel allows one
//! filter per sheet). Column widths count CJK characters double.
//!
//! The creation time is pinned (see [`crate::output::xlsx::pinned_properties`])
//! so the same model always gives the same bytes.

use foldhash::{HashMap, HashMapExt};
use std::io::Write as _;
use std::path::Path;

use rust_xlsxwriter::{
    Chart as XChart, ChartFormat, ChartSolidFill, ChartType, Color, ExcelDateTime, Format,
    FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::svg::PALETTE;
use super::{ChartKind, Fmt, ReportModel, Table, Value};
use crate::output::safe_text;
use crate::output::xlsx::{cell_text, display_width, pinned_properties};

/// Rows a chart takes (its default height is 288 px, 20 px a row).
const CHART_ROWS: u32 = 16;

struct Styles {
    title: Format,
    table_title: Format,
    note: Format,
    header: Format,
    formats: HashMap<&'static str, Format>,
}

impl Styles {
    fn new() -> Styles {
        let mut formats = HashMap::new();
        for fmt in [
            Fmt::Int,
            Fmt::Dec1,
            Fmt::Dec2,
            Fmt::Pct,
            Fmt::Money,
            Fmt::Signed,
            Fmt::Date,
        ] {
            formats.insert(fmt.excel(), Format::new().set_num_format(fmt.excel()));
        }
        Styles {
            title: Format::new().set_bold().set_font_size(16),
            table_title: Format::new().set_bold().set_font_size(12),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x555555)),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_border_bottom(FormatBorder::Thin),
            formats,
        }
    }
}

fn write_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: &Value,
    st: &Styles,
) -> Result<(), XlsxError> {
    if let Some(n) = v.number {
        ws.write_number_with_format(row, col, n, &st.formats[v.fmt.excel()])?;
    } else if let Some(d) = v.date {
        let d = ExcelDateTime::from_ymd(
            chrono::Datelike::year(&d) as u16,
            chrono::Datelike::month(&d) as u8,
            chrono::Datelike::day(&d) as u8,
        )?;
        ws.write_datetime_with_format(row, col, d, &st.formats[Fmt::Date.excel()])?;
    } else if !v.display.is_empty() {
        ws.write_string(row, col, cell_text(&v.display).as_ref())?;
    }
    Ok(())
}

/// Widths per column, in Excel character units.
fn widen(widths: &mut Vec<usize>, col: usize, text: &str) {
    if widths.len() <= col {
        widths.resize(col + 1, 8);
    }
    widths[col] = widths[col].max(display_width(text));
}

/// Pixel height of a bar chart with `rows` bars: room for every label.
fn bar_height(rows: usize) -> u32 {
    80 + 28 * rows.clamp(6, 20) as u32
}

fn native_chart(sheet: &str, t: &Table, header_row: u32) -> XChart {
    let chart = t.chart.as_ref().expect("called for tables with a chart");
    let kind = match chart.kind {
        ChartKind::Bar => ChartType::Bar,
        ChartKind::Column => ChartType::Column,
        ChartKind::Line => ChartType::Line,
        ChartKind::StackedBar => ChartType::BarPercentStacked,
    };
    let mut x = XChart::new(kind);
    let (first, last) = (header_row + 1, header_row + t.rows.len() as u32);
    let cat = chart.category as u16;
    for (k, &s) in chart.series.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let mut format = ChartFormat::new();
        format.set_solid_fill(ChartSolidFill::new().set_color(colour));
        x.add_series()
            .set_name((sheet, header_row, s as u16))
            .set_categories((sheet, first, cat, last, cat))
            .set_values((sheet, first, s as u16, last, s as u16))
            .set_format(&mut format);
    }
    x.title().set_name(chart.title.as_str());
    if chart.series.len() == 1 {
        x.legend().set_hidden();
    }
    if matches!(chart.kind, ChartKind::Bar | ChartKind::StackedBar) {
        // Excel draws bar categories bottom-up; keep the table's order (in
        // rust_xlsxwriter the y axis of a bar chart is the category axis).
        x.y_axis().set_reverse();
        x.set_height(bar_height(t.rows.len()));
    }
    x
}

/// Writes the tables of one section down a sheet.
fn fill_section(
    ws: &mut Worksheet,
    sheet: &str,
    title: &str,
    tables: &[Table],
    no_data: &str,
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, title, &st.title)?;
    let mut widths: Vec<usize> = Vec::new();
    let chart_col = tables.iter().map(|t| t.columns.len()).max().unwrap_or(1) as u16 + 1;
    let mut row: u32 = 2;
    let mut chart_until: u32 = 0;
    for (i, t) in tables.iter().enumerate() {
        let title_row = row;
        ws.write_string_with_format(row, 0, &t.title, &st.table_title)?;
        row += 1;
        if let Some(note) = &t.note {
            ws.write_string_with_format(row, 0, safe_text(note).as_ref(), &st.note)?;
            row += 1;
        }
        let header_row = row;
        for (c, column) in t.columns.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, &column.label, &st.header)?;
            widen(&mut widths, c, &column.label);
        }
        if t.rows.is_empty() {
            row += 1;
            ws.write_string_with_format(row, 0, no_data, &st.note)?;
        }
        for r in &t.rows {
            row += 1;
            for (c, v) in r.iter().enumerate() {
                write_value(ws, row, c as u16, v, st)?;
                widen(&mut widths, c, &v.display);
            }
        }
        if i == 0 {
            ws.set_freeze_panes(header_row + 1, 0)?;
            if !t.rows.is_empty() {
                ws.autofilter(header_row, 0, row, (t.columns.len() - 1) as u16)?;
            }
        }
        if t.chart.is_some() {
            let chart = native_chart(sheet, t, header_row);
            let start = title_row.max(chart_until);
            ws.insert_chart(start, chart_col, &chart)?;
            let rows = if matches!(
                t.chart.as_ref().map(|c| c.kind),
                Some(ChartKind::Bar | ChartKind::StackedBar)
            ) {
                bar_height(t.rows.len()) / 20 + 1
            } else {
                CHART_ROWS
            };
            chart_until = start + rows + 1;
        }
        row += 3;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
    }
    Ok(())
}

/// The workbook as bytes.
pub fn workbook(model: &ReportModel) -> Result<Vec<u8>, XlsxError> {
    let st = Styles::new();
    let mut wb = Workbook::new();
    wb.set_properties(&pinned_properties().set_title(&model.title));
    let ws = wb.add_worksheet();
    ws.set_name(&model.summary_title)?;
    ws.write_string_with_format(0, 0, &model.title, &st.title)?;
    ws.write_string(1, 0, safe_text(&model.company).as_ref())?;
    ws.write_string(1, 1, format!("{} {}", model.labels["period"], model.period))?;
    ws.write_string(2, 0, &model.labels["as_of"])?;
    let as_of: chrono::NaiveDate = model
        .as_of
        .parse()
        .map_err(|e: chrono::ParseError| XlsxError::ParameterError(e.to_string()))?;
    write_value(ws, 2, 1, &Value::date(Some(as_of)), &st)?;
    ws.write_string_with_format(3, 0, safe_text(&model.summary_note).as_ref(), &st.note)?;
    ws.write_string_with_format(4, 0, &model.labels["col.figure"], &st.header)?;
    ws.write_string_with_format(4, 1, &model.labels["col.value"], &st.header)?;
    ws.write_string_with_format(4, 2, &model.labels["col.scope"], &st.header)?;
    let mut widths = [
        display_width(&model.labels["col.figure"]),
        12,
        display_width(&model.labels["col.scope"]),
    ];
    for (i, f) in model.figures.iter().enumerate() {
        let row = 5 + i as u32;
        ws.write_string(row, 0, &f.label)?;
        write_value(ws, row, 1, &f.value, &st)?;
        // The span the figure covers, with its dates; the filter on this
        // column shows one span at a time.
        let scope = model
            .scopes
            .iter()
            .find(|s| s.id == f.scope)
            .map_or(f.scope, |s| s.label.as_str());
        ws.write_string(row, 2, scope)?;
        widths[0] = widths[0].max(display_width(&f.label));
        widths[1] = widths[1].max(display_width(&f.value.display));
        widths[2] = widths[2].max(display_width(scope));
    }
    ws.set_freeze_panes(5, 0)?;
    ws.autofilter(4, 0, 4 + model.figures.len() as u32, 2)?;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).min(60.0))?;
    }
    for s in &model.sections {
        let ws = wb.add_worksheet();
        ws.set_name(&s.sheet)?;
        fill_section(
            ws,
            &s.sheet,
            &s.title,
            &s.tables,
            &model.labels["no_data"],
            &st,
        )?;
    }
    wb.save_to_buffer()
}

/// Writes the workbook to `path` (atomically).
pub fn write(path: &Path, model: &ReportModel) -> std::io::Result<()> {
    let bytes = workbook(model).map_err(std::io::Error::other)?;
    crate::output::write_atomic(path, |w| w.write_all(&bytes))
}

//! Every workbook in `tests/fixtures/excel/` (real files from calamine's and
//! fastexcel's test suites, see SOURCES.md there) is read without a panic and
//! yields what it holds: sheet visibility, dates in both epochs, error cells,
//! merged regions, headers off row 1, tables off A1, whitespace, duplicated
//! header names.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use hrflow::ingest::excel::{ExcelOptions, WorkbookRead, read_workbook, sheet_grid};
use hrflow::ingest::header::{Expect, HeaderOptions, HeaderTable};
use hrflow::ingest::{Cell, RawTable};
use hrflow::model::Level;
use hrflow::normalize::{self, Context, Normalized};
use hrflow::plan::{NormalizeSettings, Role};
use hrflow::rules::Vocab;

fn fixture(name: &str) -> PathBuf {
    crate::common::repo()
        .join("tests/fixtures/excel")
        .join(name)
}

fn read(
    name: &str,
    overrides: &[(&str, &str)],
    header_row: Option<u32>,
    include_hidden: bool,
) -> WorkbookRead {
    let overrides: BTreeMap<String, String> = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let opts = ExcelOptions {
        sheets: None,
        include_hidden,
        header_row,
        header: HeaderOptions {
            table: HeaderTable::builtin(),
            overrides: &overrides,
            expect: Expect::Candidates,
            forced_row: None,
        },
    };
    read_workbook(&fixture(name), name, &opts).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn normalized(table: &RawTable) -> Normalized {
    let settings = NormalizeSettings {
        region: "CN".into(),
        day_first: false,
        vocab: Vocab::builtin().clone(),
        headers: HeaderTable::builtin().clone(),
    };
    let ctx = Context {
        source: Arc::from("source[1]"),
        priority: 0,
        role: Role::Candidates,
        settings: &settings,
    };
    let by_ref = normalize::table(table, &ctx);
    // Freeing each row once read gives the same records.
    let mut owned = table.clone();
    let freed = normalize::table_freeing(&mut owned, &ctx);
    assert!(owned.rows.is_empty());
    let (a, b) = (&by_ref, &freed);
    assert_eq!(a.data.lineage, b.data.lineage);
    assert_eq!(
        format!(
            "{:?} {:?} {:?} {:?} {:?}",
            a.data.persons,
            a.data.applications,
            a.data.evaluations,
            a.data.events,
            a.data.quarantine
        ),
        format!(
            "{:?} {:?} {:?} {:?} {:?}",
            b.data.persons,
            b.data.applications,
            b.data.evaluations,
            b.data.events,
            b.data.quarantine
        )
    );
    assert_eq!(
        format!("{:?} {:?}", a.contacts, a.listings),
        format!("{:?} {:?}", b.contacts, b.listings)
    );
    assert_eq!(
        (
            a.rows_kept,
            a.rows_quarantined,
            a.values_quarantined,
            a.rows_no_outcome
        ),
        (
            b.rows_kept,
            b.rows_quarantined,
            b.values_quarantined,
            b.rows_no_outcome
        )
    );
    by_ref
}

fn date(y: i32, m: u32, d: u32) -> Cell {
    Cell::Date(
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
    )
}

fn outcomes(wb: &WorkbookRead) -> Vec<(String, &'static str, &'static str, String)> {
    wb.sheets
        .iter()
        .map(|s| (s.name.clone(), s.kind, s.visibility, s.outcome.clone()))
        .collect()
}

#[test]
fn any_sheets_reports_hidden_very_hidden_and_chart_sheets() {
    for file in ["calamine_any_sheets.xlsx", "calamine_any_sheets.xls"] {
        let wb = read(file, &[], None, false);
        let o = outcomes(&wb);
        assert_eq!(o[0].0, "Visible");
        assert!(
            o[0].3
                .starts_with("skipped: no row in the first 30 looks like a header"),
            "{file}: {o:?}"
        );
        assert_eq!((o[1].0.as_str(), o[1].2), ("Hidden", "hidden"));
        assert!(o[1].3.contains("set `include_hidden = true`"), "{o:?}");
        assert_eq!((o[2].0.as_str(), o[2].2), ("VeryHidden", "very hidden"));
        if file.ends_with(".xlsx") {
            assert_eq!((o[3].0.as_str(), o[3].1), ("Chart", "chart"), "{o:?}");
        }
        assert!(wb.tables.is_empty());
        // The skipped visible sheet's rows are counted, not lost.
        assert_eq!(
            wb.skipped
                .iter()
                .find(|s| s.sheet.as_deref() == Some("Visible"))
                .unwrap()
                .rows,
            5
        );
    }
}

#[test]
fn dates_read_the_same_in_the_1900_and_1904_systems() {
    let g1900 = sheet_grid(&fixture("calamine_date.xls"), "Sheet1").unwrap();
    let g1904 = sheet_grid(&fixture("calamine_date_1904.xlsx"), "Sheet1").unwrap();
    for g in [&g1900, &g1904] {
        assert_eq!(g.cell(0, 0), &date(2021, 1, 1));
        assert_eq!(g.cell(1, 0), &date(2021, 1, 2));
        assert!(
            matches!(g.cell(2, 0), Cell::Duration(d) if (d - 10.632060185185185).abs() < 1e-9),
            "{:?}",
            g.cell(2, 0)
        );
        assert_eq!(g.cell(0, 1), &Cell::Number(15.0));
    }
}

#[test]
fn all_seven_error_values_are_recognised() {
    let g = sheet_grid(&fixture("calamine_errors.xlsx"), "Feuil1").unwrap();
    let errors: Vec<String> = (0..7)
        .map(|r| match g.cell(r, 0) {
            Cell::Error(e) => e.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        errors,
        [
            "#DIV/0!", "#NAME?", "#VALUE!", "#NULL!", "#REF!", "#NUM!", "#N/A"
        ]
    );
    // The empty sheets yield nothing and are reported.
    let wb = read("calamine_errors.xlsx", &[], None, false);
    assert!(wb.tables.is_empty());
    assert_eq!(wb.skipped.len(), 3);
}

#[test]
fn error_cells_inside_typed_columns_go_to_quarantine() {
    let wb = read(
        "fastexcel_sheet-with-na.xlsx",
        &[
            ("Title", "name"),
            ("Amount", "expected_salary"),
            ("numbers", "phone"),
        ],
        None,
        false,
    );
    let sheet1 = wb
        .tables
        .iter()
        .find(|t| t.sheet.as_deref() == Some("Sheet1"))
        .unwrap();
    assert_eq!(sheet1.rows.len(), 2);
    let n = normalized(sheet1);
    assert_eq!(n.rows_kept, 2);
    let q: Vec<_> = n
        .data
        .quarantine
        .iter()
        .map(|q| {
            (
                q.row,
                q.column.as_str(),
                q.value.as_str(),
                q.reason.as_str(),
                q.level,
            )
        })
        .collect();
    assert_eq!(
        q,
        [(
            2,
            "B (Amount)",
            "#N/A",
            "Excel error value #N/A in the cell",
            Level::Value
        )]
    );
    let b = n
        .data
        .persons
        .iter()
        .find(|p| p.name.as_deref() == Some("B"))
        .unwrap();
    assert_eq!(b.salary_raw.as_deref(), Some("100"));
}

#[test]
fn header_on_row_9_is_found_past_a_stray_note() {
    let wb = read(
        "calamine_header-row.xlsx",
        &[("Column A", "name"), ("Column B", "phone")],
        None,
        false,
    );
    let t = &wb.tables[0];
    assert_eq!(t.header.why, "row 9 matched 2 known labels (score 2.0)");
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.rows[0].row, 10);
    assert_eq!(t.rows_read, 8, "rows 3..=10 of the used range");
    assert_eq!(t.non_data.get("title"), Some(&1));
    assert_eq!(t.non_data.get("blank"), Some(&5));
}

#[test]
fn merged_regions_give_their_value_to_every_cell() {
    for file in ["calamine_merge_cells.xlsx", "calamine_merge_cells.xls"] {
        let g = sheet_grid(&fixture(file), "Sheet1").unwrap();
        assert_eq!(g.merges.len(), 3, "{file}");
        assert_eq!(g.merged_value(3, 3).as_text(), "Chunk Merged", "{file}");
        assert_eq!(g.merged_value(2, 0).as_text(), "Column Merge", "{file}");
        assert_eq!(g.merged_value(0, 1).as_text(), "Row Merge", "{file}");
        assert_eq!(g.merged_value(0, 2).as_text(), "Not Merged", "{file}");
    }
}

#[test]
fn vertically_merged_header_cells_head_their_columns() {
    let wb = read(
        "calamine_merged_range.xlsx",
        &[("B1", "name"), ("C1", "phone"), ("E1", "email")],
        None,
        false,
    );
    let t = wb
        .tables
        .iter()
        .find(|t| t.sheet.as_deref() == Some("Sheet1"))
        .unwrap();
    let labels: Vec<&str> = t.header.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["A1", "B1", "C1", "E1", "F1", "G1", "H1"]);
    let names: Vec<String> = t.rows.iter().map(|r| r.cells[1].as_text()).collect();
    assert_eq!(names, ["B3", "B4"]);
    assert_eq!(t.rows_read, 4);
}

#[test]
fn a_table_off_a1_keeps_its_sheet_coordinates() {
    let wb = read(
        "calamine_temperature-in-middle.xlsx",
        &[("label", "name"), ("value", "score_overall")],
        None,
        false,
    );
    let t = &wb.tables[0];
    assert_eq!(t.column_names, ["B", "C"]);
    assert!(
        t.header.why.starts_with("row 4 matched"),
        "{}",
        t.header.why
    );
    let rows: Vec<(u32, String, String)> = t
        .rows
        .iter()
        .map(|r| (r.row, r.cells[0].as_text(), r.cells[1].as_text()))
        .collect();
    assert_eq!(
        rows,
        [
            (5, "celsius".into(), "22.2222".into()),
            (6, "fahrenheit".into(), "72".into())
        ]
    );
}

#[test]
fn whitespace_is_trimmed_and_blank_cells_are_empty() {
    for sheet in ["inlineStr", "SharedStrings"] {
        let g = sheet_grid(&fixture("calamine_whitespace_trim.xlsx"), sheet).unwrap();
        assert_eq!(g.cell(0, 0).as_text(), "trimmed value");
        assert!(
            g.cell(0, 2).is_empty(),
            "{sheet}: whitespace-only cell is empty"
        );
        assert_eq!(g.cell(1, 0).as_text(), "line1\nline2");
        assert_eq!(g.cell(2, 0).as_text(), "日期 时间");
    }
}

#[test]
fn header_location_changes_from_sheet_to_sheet() {
    let wb = read(
        "fastexcel_fixture-changing-header-location.xlsx",
        &[("Month", "name"), ("Year", "applied_at")],
        None,
        false,
    );
    let o = outcomes(&wb);
    assert_eq!(
        o.iter()
            .map(|x| x.3.starts_with("read"))
            .collect::<Vec<_>>(),
        [true, false, true],
        "{o:?}"
    );
    let s1 = wb
        .tables
        .iter()
        .find(|t| t.sheet.as_deref() == Some("Sheet1"))
        .unwrap();
    assert!(
        s1.header.why.starts_with("row 2 matched"),
        "{}",
        s1.header.why
    );
    assert_eq!(s1.non_data.get("title"), Some(&1));
    assert_eq!(s1.rows.len(), 2);
    let s3 = wb
        .tables
        .iter()
        .find(|t| t.sheet.as_deref() == Some("Sheet3"))
        .unwrap();
    assert!(
        s3.header.why.starts_with("row 12 matched"),
        "{}",
        s3.header.why
    );
    assert_eq!(s3.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [13, 14]);
}

#[test]
fn duplicated_header_names_are_all_kept() {
    let wb = read(
        "fastexcel_fixture-single-sheet-duplicated-columns.xlsx",
        &[],
        Some(1),
        false,
    );
    let t = &wb.tables[0];
    assert_eq!(
        t.header.why,
        "row 1 matched 0 known labels (score 0.0), set by header_row"
    );
    let n = normalized(t);
    // No column identifies a person, so each row is quarantined whole, with
    // every one of the three same-named columns in its value.
    assert_eq!(n.rows_quarantined, 2);
    assert_eq!(
        n.data.quarantine[0].value,
        "col=1; col=2019; col=2019-02-01 00:01:02"
    );
}

#[test]
fn formula_cells_read_as_their_cached_values() {
    let g = sheet_grid(&fixture("calamine_xls_formula.xls"), "Sheet1").unwrap();
    let values: Vec<String> = (0..4).map(|r| g.cell(r, 0).as_text()).collect();
    assert_eq!(values, ["10", "20", "110", "65"]);
    let g2 = sheet_grid(&fixture("calamine_xls_formula.xls"), "Sheet2").unwrap();
    assert_eq!(g2.cell(0, 0).as_text(), "55");
}

//! Files that cannot be opened are reported with their path; the other
//! sources are still processed and written, and the run exits 1. Ragged rows
//! and bad values are quarantined, not dropped, and the accounting balances.

use crate::common::{column, hrflow, output, repo};

#[test]
fn unreadable_workbooks_fail_the_run_but_not_the_other_sources() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("good.csv"), "姓名,手机号\n张三,13800138000\n").unwrap();
    std::fs::write(d.join("empty.xlsx"), b"").unwrap();
    let real = std::fs::read(repo().join("tests/fixtures/excel/calamine_header-row.xlsx")).unwrap();
    std::fs::write(d.join("truncated.xlsx"), &real[..real.len() / 2]).unwrap();
    std::fs::write(d.join("not_really.xlsx"), "姓名,手机号\n").unwrap();
    std::fs::write(
        d.join("p.toml"),
        "name = \"f\"\n[output]\ndir = \"out\"\n[[source]]\nkind = \"csv\"\npath = \"good.csv\"\n[[source]]\nkind = \"excel\"\npath = \"*.xlsx\"\n",
    )
    .unwrap();
    let mut c = hrflow(d);
    c.args(["run", "p.toml"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    for f in ["empty.xlsx", "truncated.xlsx", "not_really.xlsx"] {
        assert!(
            stderr.contains(&format!("source[2]: `{f}`:")),
            "{f} not reported: {stderr}"
        );
    }
    assert!(stderr.contains("the file is empty (0 bytes)"), "{stderr}");
    assert_eq!(column(&d.join("out/csv/candidates.csv"), "name"), ["张三"]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["failures"].as_array().unwrap().len(), 3);
}

#[test]
fn ragged_rows_and_bad_values_are_quarantined_with_their_location() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("x.csv"),
        "姓名,手机号,期望薪资,投递日期\n张三,13800138000,15k,2023-05-01\n李四,12345,看情况,2023-02-30\n王五,13900139000,20k,2023-06-01,多出来的\n,,,\n测试,,,\n",
    )
    .unwrap();
    std::fs::write(d.join("p.toml"), "name = \"q\"\n[output]\ndir = \"out\"\nformats = [\"csv\"]\n[[source]]\nkind = \"csv\"\npath = \"x.csv\"\n").unwrap();
    let mut c = hrflow(d);
    c.args(["run", "p.toml"]);
    let (code, stdout, stderr) = output(c);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let q = d.join("out/csv/quarantine.csv");
    let rows = column(&q, "row");
    let reasons = column(&q, "reason");
    let values = column(&q, "value");
    let cols = column(&q, "column");
    let find = |row: &str, col: &str| {
        (0..rows.len())
            .find(|&i| rows[i] == row && cols[i] == col)
            .unwrap_or_else(|| {
                panic!("no quarantine entry at row {row} column {col}: {rows:?} {cols:?}")
            })
    };
    let phone = find("3", "手机号");
    assert_eq!(values[phone], "12345");
    let salary = find("3", "期望薪资");
    assert_eq!(values[salary], "看情况");
    let date = find("3", "投递日期");
    assert_eq!(values[date], "2023-02-30");
    let ragged = find("4", "");
    assert!(
        reasons[ragged].starts_with("ragged row: 5 fields where the header has 4"),
        "{}",
        reasons[ragged]
    );
    let nobody = find("6", "");
    assert!(
        reasons[nobody].starts_with("no usable name"),
        "{}",
        reasons[nobody]
    );
    // Both kept rows are there, with the bad values left empty.
    let mut names = column(&d.join("out/csv/candidates.csv"), "name");
    names.sort();
    assert_eq!(names, ["张三", "李四"]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/manifest.json")).unwrap()).unwrap();
    let s = &manifest["sources"][0];
    assert_eq!(
        (
            s["rows_read"].as_u64(),
            s["rows_kept"].as_u64(),
            s["rows_quarantined"].as_u64(),
            s["rows_non_data"].as_u64()
        ),
        (Some(6), Some(2), Some(2), Some(2))
    );
}

/// Writes `p.toml` with a good CSV source and the given extra sources, runs
/// it with CSV output only, and returns (exit code, stderr, manifest).
fn run_with(d: &std::path::Path, extra: &str) -> (i32, String, serde_json::Value) {
    std::fs::write(d.join("good.csv"), "姓名,手机号\n张三,13800138000\n").unwrap();
    std::fs::write(
        d.join("p.toml"),
        format!(
            "name = \"f\"\n[output]\ndir = \"out\"\nformats = [\"csv\", \"xlsx\"]\n[[source]]\nkind = \"csv\"\npath = \"good.csv\"\n{extra}"
        ),
    )
    .unwrap();
    let mut c = hrflow(d);
    c.args(["run", "p.toml"]);
    let (code, stdout, stderr) = output(c);
    let manifest = std::fs::read(d.join("out/manifest.json"))
        .unwrap_or_else(|e| panic!("no manifest ({e}): {stdout}\n{stderr}"));
    (
        code,
        format!("{stdout}\n{stderr}"),
        serde_json::from_slice(&manifest).unwrap(),
    )
}

/// The failure line of `file`, from stderr.
fn failure<'a>(stderr: &'a str, file: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.contains(&format!("`{file}`:")))
        .unwrap_or_else(|| panic!("{file} not reported: {stderr}"))
}

#[test]
fn encrypted_corrupt_and_misnamed_workbooks_are_named_with_their_cause() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Made with msoffcrypto-tool (see tests/fixtures/excel/SOURCES.md).
    std::fs::copy(
        repo().join("tests/fixtures/excel/hrflow_password_protected.xlsx"),
        d.join("locked.xlsx"),
    )
    .unwrap();
    // A zip header and then noise.
    let mut corrupt = b"PK\x03\x04".to_vec();
    corrupt.extend((0..4000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    std::fs::write(d.join("corrupt.xlsx"), corrupt).unwrap();
    // An old .xls saved under a new name.
    std::fs::copy(
        repo().join("tests/fixtures/excel/calamine_date.xls"),
        d.join("old.xlsx"),
    )
    .unwrap();
    std::fs::write(d.join("zero.xlsx"), b"").unwrap();
    let (code, stderr, manifest) = run_with(d, "[[source]]\nkind = \"excel\"\npath = \"*.xlsx\"\n");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        failure(&stderr, "locked.xlsx").contains("the workbook is password-protected (encrypted)"),
        "{stderr}"
    );
    assert!(
        failure(&stderr, "corrupt.xlsx").contains("cannot open the workbook"),
        "{stderr}"
    );
    assert!(
        failure(&stderr, "old.xlsx").contains("an old-format .xls workbook"),
        "{stderr}"
    );
    assert!(
        failure(&stderr, "zero.xlsx").contains("the file is empty (0 bytes)"),
        "{stderr}"
    );
    assert_eq!(manifest["failures"].as_array().unwrap().len(), 4);
    assert_eq!(column(&d.join("out/csv/candidates.csv"), "name"), ["张三"]);
    // The secret row of the encrypted workbook was not read in any form.
    let all = std::fs::read_to_string(d.join("out/csv/candidates.csv")).unwrap();
    assert!(!all.contains("秘密"));
}

/// A 2 GiB input (sparse, so it costs no disk) is refused from its size
/// before anything reads it, in well under the time reading it would take.
#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let huge = std::fs::File::create(d.join("huge.csv")).unwrap();
    huge.set_len(2 << 30).unwrap();
    drop(huge);
    let started = std::time::Instant::now();
    let (code, stderr, manifest) = run_with(d, "[[source]]\nkind = \"csv\"\npath = \"huge.csv\"\n");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        failure(&stderr, "huge.csv").contains(
            "the file is 2.0 GiB (2147483648 bytes), larger than the 1.0 GiB limit; raise `max_input_bytes` in the pipeline to read it"
        ),
        "{stderr}"
    );
    assert_eq!(manifest["inputs"][1]["size"], 2147483648u64);
    assert_eq!(column(&d.join("out/csv/candidates.csv"), "name"), ["张三"]);
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());

    // The limit is the pipeline's to set.
    let text = std::fs::read_to_string(d.join("p.toml"))
        .unwrap()
        .replace("name = \"f\"\n", "name = \"f\"\nmax_input_bytes = 20\n");
    std::fs::write(d.join("p.toml"), text).unwrap();
    let mut c = hrflow(d);
    c.args(["run", "p.toml"]);
    let (code, _, stderr) = output(c);
    assert_eq!(code, 1);
    assert!(
        failure(&stderr, "good.csv")
            .contains("the file is 36 bytes, larger than the 20 bytes limit"),
        "{stderr}"
    );
}

/// A GBK export cut mid-character and a UTF-8 one with a half character:
/// the cell that lost bytes is quarantined with its row and column, the
/// rest of its row is kept, and the file keeps its encoding.
#[test]
fn broken_multibyte_sequences_quarantine_the_cell_not_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let gbk = |s: &str| encoding_rs::GBK.encode(s).0.into_owned();
    let mut bytes = gbk("姓名,手机号,备注\n李四,13900139000,岗位已满先放人才库\n王五,13700137000,");
    bytes.extend(&gbk("满")[..1]); // a lead byte with its trail byte lost
    bytes.extend(gbk("\n赵六,13600136000,技术能力不足\n"));
    std::fs::write(d.join("cut_gbk.csv"), bytes).unwrap();
    let mut bytes = "姓名,手机号,备注\n孙七,13500135000,沟通能力强\n周八,13400134000,经验"
        .as_bytes()
        .to_vec();
    bytes.extend(&"丰".as_bytes()[..2]);
    bytes.extend("\n吴九,13300133000,薪资期望过高\n".as_bytes());
    std::fs::write(d.join("cut_utf8.csv"), bytes).unwrap();
    let (code, stderr, manifest) = run_with(
        d,
        "[[source]]\nkind = \"csv\"\npath = \"cut_gbk.csv\"\n[[source]]\nkind = \"csv\"\npath = \"cut_utf8.csv\"\n",
    );
    assert_eq!(code, 0, "{stderr}");
    let q = d.join("out/csv/quarantine.csv");
    let (files, rows, cols, reasons) = (
        column(&q, "file"),
        column(&q, "row"),
        column(&q, "column"),
        column(&q, "reason"),
    );
    let mut broken: Vec<(String, String, String)> = (0..files.len())
        .filter(|&i| reasons[i] == "bytes that are not valid in the file's encoding")
        .map(|i| (files[i].clone(), rows[i].clone(), cols[i].clone()))
        .collect();
    broken.sort();
    assert_eq!(
        broken,
        [
            (
                "cut_gbk.csv".to_string(),
                "3".to_string(),
                "备注".to_string()
            ),
            (
                "cut_utf8.csv".to_string(),
                "3".to_string(),
                "备注".to_string()
            ),
        ]
    );
    let mut names = column(&d.join("out/csv/candidates.csv"), "name");
    names.sort();
    assert_eq!(
        names,
        ["吴九", "周八", "孙七", "张三", "李四", "王五", "赵六"]
    );
    let inputs = manifest["inputs"].as_array().unwrap();
    let input = |f: &str| inputs.iter().find(|i| i["path"] == f).unwrap();
    assert_eq!(input("cut_gbk.csv")["encoding"], "gb18030");
    assert_eq!(input("cut_utf8.csv")["encoding"], "UTF-8");
    for f in ["cut_gbk.csv", "cut_utf8.csv"] {
        let notes = input(f)["notes"].to_string();
        assert!(
            notes.contains("1 character(s) were not valid"),
            "{f}: {notes}"
        );
    }
}

/// A chat export with one 100 MiB line (made here, not committed): the line
/// is quarantined with its number, the messages around it are read, and
/// a long but legal message (past Excel's cell limit) does not stop the
/// workbook from being written.
#[test]
fn a_chat_line_of_100_mib_is_quarantined_with_its_line() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut f = std::io::BufWriter::new(std::fs::File::create(d.join("chat.txt")).unwrap());
    writeln!(f, "12/01/2024, 10:00 - 王总: 张三可以约二面").unwrap();
    writeln!(f, "12/01/2024, 10:01 - 李娜: {}", "长".repeat(40_000)).unwrap();
    write!(f, "12/01/2024, 10:02 - 李娜: ").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        f.write_all(&chunk).unwrap();
    }
    writeln!(f).unwrap();
    writeln!(f, "12/01/2024, 10:03 - 王总: 收到").unwrap();
    drop(f);
    let (code, stderr, _) = run_with(d, "[[source]]\nkind = \"chat\"\npath = \"chat.txt\"\n");
    assert_eq!(code, 0, "{stderr}");
    let q = d.join("out/csv/quarantine.csv");
    let (files, rows, reasons) = (column(&q, "file"), column(&q, "row"), column(&q, "reason"));
    let i = (0..files.len())
        .find(|&i| files[i] == "chat.txt")
        .unwrap_or_else(|| panic!("no quarantine entry for chat.txt: {reasons:?}"));
    assert_eq!(rows[i], "3");
    assert!(
        reasons[i].starts_with("line of 100.0 MiB is longer than the 1.0 MiB limit"),
        "{}",
        reasons[i]
    );
    assert!(column(&q, "value")[i].chars().count() <= 301);
    let m = d.join("out/csv/messages.csv");
    let texts = column(&m, "text");
    assert_eq!(texts.len(), 3, "{:?}", column(&m, "sender"));
    assert_eq!(texts[1].chars().count(), 40_000);
    assert_eq!(column(&d.join("out/csv/candidates.csv"), "name"), ["张三"]);
    // The workbook holds the long message cut to a cell.
    use calamine::{DataType, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(d.join("out/dataset.xlsx")).unwrap();
    let sheet = wb.worksheet_range("messages").unwrap();
    let cut = sheet
        .rows()
        .flat_map(|r| r.iter())
        .filter_map(|c| c.get_string())
        .find(|s| s.starts_with("长长"))
        .expect("the long message is in the workbook");
    assert!(
        cut.ends_with("…[cut to fit an Excel cell]"),
        "{}",
        &cut[cut.len() - 40..]
    );
}

//! End-to-end checks of the generator: determinism, ground truth pointing
//! at the right rows, the scripted storyline and the planted defects.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::cells::{Cell, Sheet};
use super::notation::{self, Roman};
use super::people::Person;
use super::{
    DEFAULT_SEED, GenOptions, english, evals, ledger, legacy, oldsys, plan, positions, sample,
    wechat,
};

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p)
            } else {
                out.push(p)
            }
        }
    }
    out.sort();
    out
}

/// Every way the generator may write this person's name.
fn renderings(p: &Person) -> BTreeSet<String> {
    let mut s = BTreeSet::new();
    s.insert(p.name());
    s.insert(p.trad_name());
    if p.given.len() == 1 {
        s.insert(format!("{}\u{3000}{}", p.surname.hanzi, p.given[0].hanzi));
    }
    for (i, g) in p.given.iter().enumerate() {
        if let Some(t) = g.typo {
            let mut name = p.surname.hanzi.to_string();
            for (j, h) in p.given.iter().enumerate() {
                name.push_str(if i == j { t } else { h.hanzi });
            }
            s.insert(name);
        }
    }
    for style in [
        Roman::GivenFirst,
        Roman::SurnameFirst,
        Roman::Passport,
        Roman::Lower,
        Roman::English,
    ] {
        for alt in 0..=p.surname.alt.len() {
            s.insert(notation::roman(p, style, alt));
        }
    }
    s
}

/// Digits of a phone cell with the country code removed.
fn phone_digits(text: &str) -> String {
    let ascii: String = text
        .chars()
        .map(|c| {
            if ('０'..='９').contains(&c) {
                char::from_u32(c as u32 - 0xFEE0).unwrap()
            } else {
                c
            }
        })
        .filter(char::is_ascii_digit)
        .collect();
    ascii
        .strip_prefix("0086")
        .or_else(|| ascii.strip_prefix("86"))
        .filter(|r| r.len() == 11)
        .unwrap_or(&ascii)
        .to_string()
}

fn check_phone(p: &Person, text: &str, ctx: &str) {
    if text.is_empty() || text.contains('*') {
        return;
    }
    let d = phone_digits(text);
    let ok = p
        .phones
        .iter()
        .any(|ph| *ph == d || (d.len() == 10 && ph.starts_with(&d)));
    assert!(ok, "{ctx}: phone {text:?} is not one of {:?}", p.phones);
}

fn persons() -> Vec<Person> {
    plan::sample_plan(DEFAULT_SEED).persons
}

fn entity(persons: &[Person], id: &str) -> Person {
    let n: usize = id[1..].parse().unwrap();
    persons[n - 1].clone()
}

fn truth(dir: &Path) -> Vec<(String, String, u64, String)> {
    let mut r = csv::Reader::from_path(dir.join("ground_truth.csv")).unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (
                x[0].to_string(),
                x[1].to_string(),
                x[2].parse().unwrap(),
                x[3].to_string(),
            )
        })
        .collect()
}

/// Records of a delimited file keyed by the physical line they start on.
fn text_records(bytes: &[u8], utf16: bool, delimiter: u8) -> BTreeMap<u64, Vec<String>> {
    let text = if utf16 {
        assert_eq!(&bytes[..2], &[0xFF, 0xFE], "BOM");
        encoding_rs::UTF_16LE
            .decode_without_bom_handling(&bytes[2..])
            .0
            .into_owned()
    } else {
        let (t, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
        assert!(!had_errors);
        t.into_owned()
    };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut out = BTreeMap::new();
    let mut rec = csv::StringRecord::new();
    while r.read_record(&mut rec).unwrap() {
        // Physical line of the record's first byte (the reader's position
        // may still point at the previous record's line terminator).
        let bytes = text.as_bytes();
        let mut start = rec.position().unwrap().byte() as usize;
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let line = 1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64;
        out.insert(line, rec.iter().map(str::to_string).collect());
    }
    out
}

fn sheet<'a>(models: &'a sample::Models, file: &str, name: &str) -> &'a Sheet {
    let (_, sheets) = models.iter().find(|(f, _)| f == file).unwrap();
    sheets.iter().find(|s| s.name == name).unwrap()
}

#[test]
fn same_seed_gives_identical_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for d in [&a, &b] {
        super::generate(&GenOptions {
            out: d.path().into(),
            candidates: None,
            seed: DEFAULT_SEED,
        })
        .unwrap();
    }
    let fa = files_under(a.path());
    let fb = files_under(b.path());
    assert_eq!(fa.len(), fb.len());
    assert!(fa.len() >= 9);
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(
            x.strip_prefix(a.path()).unwrap(),
            y.strip_prefix(b.path()).unwrap()
        );
        assert!(
            fs::read(x).unwrap() == fs::read(y).unwrap(),
            "{} differs between runs",
            x.display()
        );
    }
    let c = tempfile::tempdir().unwrap();
    super::generate(&GenOptions {
        out: c.path().into(),
        candidates: None,
        seed: 7,
    })
    .unwrap();
    assert_ne!(
        fs::read(a.path().join("ground_truth.csv")).unwrap(),
        fs::read(c.path().join("ground_truth.csv")).unwrap()
    );
}

#[test]
fn ground_truth_points_at_the_right_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (summary, models) = sample::generate(&GenOptions {
        out: dir.path().into(),
        candidates: None,
        seed: DEFAULT_SEED,
    })
    .unwrap();
    let persons = persons();
    let rows = truth(dir.path());
    assert_eq!(rows.len(), summary.data_rows);
    let gbk = text_records(
        &fs::read(dir.path().join(oldsys::FILE)).unwrap(),
        false,
        b',',
    );
    let utf16 = text_records(
        &fs::read(dir.path().join(wechat::FILE)).unwrap(),
        true,
        b'\t',
    );
    let mut seen_rows = BTreeSet::new();
    for (file, sh, row, id) in &rows {
        assert!(
            seen_rows.insert((file.clone(), sh.clone(), *row)),
            "row listed twice: {file} {sh} {row}"
        );
        let p = entity(&persons, id);
        let ctx = format!("{file} {sh} row {row} ({id} {})", p.name());
        let (name, phone) = match file.as_str() {
            legacy::FILE | ledger::FILE | english::FILE | evals::FILE => {
                let s = sheet(&models, file, sh);
                let (nc, pc) = match file.as_str() {
                    legacy::FILE => (legacy::NAME_COL, 5),
                    ledger::FILE => (ledger::C_NAME as u16, ledger::C_PHONE as u16),
                    english::FILE => (english::FIRST_COL, english::FIRST_COL + 2),
                    _ => (0, 1),
                };
                let phone = match s.cell(*row as u32, pc) {
                    Some(Cell::Int(n)) => n.to_string(),
                    Some(c) => c.display(),
                    None => String::new(),
                };
                (
                    s.cell(*row as u32, nc)
                        .map(Cell::display)
                        .unwrap_or_default(),
                    phone,
                )
            }
            oldsys::FILE => {
                let r = gbk
                    .get(row)
                    .unwrap_or_else(|| panic!("{ctx}: no record starts there"));
                (r[0].clone(), r[2].clone())
            }
            wechat::FILE => {
                let r = utf16
                    .get(row)
                    .unwrap_or_else(|| panic!("{ctx}: no record starts there"));
                (r[0].clone(), r[1].clone())
            }
            other => panic!("unexpected file {other}"),
        };
        assert!(renderings(&p).contains(&name), "{ctx}: name cell {name:?}");
        check_phone(&p, &phone, &ctx);
    }
    // Every data record of the CSV files is in the ground truth.
    let listed = |f: &str| rows.iter().filter(|r| r.0 == f).count();
    assert_eq!(gbk.len() - 1, listed(oldsys::FILE));
    assert_eq!(utf16.len() - 1, listed(wechat::FILE));
}

#[test]
fn sample_has_the_requested_shape() {
    let dir = tempfile::tempdir().unwrap();
    let (summary, models) = sample::generate(&GenOptions {
        out: dir.path().into(),
        candidates: None,
        seed: DEFAULT_SEED,
    })
    .unwrap();
    assert!(
        (60..=90).contains(&summary.entities),
        "entities {}",
        summary.entities
    );
    assert!(
        (150..=250).contains(&summary.data_rows),
        "rows {}",
        summary.data_rows
    );
    let rows = truth(dir.path());
    // Persons found in more than one file (the evaluation sheet only details
    // English-sheet applications, so it does not count).
    let mut files_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.0 != evals::FILE) {
        files_of
            .entry(r.3.as_str())
            .or_default()
            .insert(r.0.as_str());
    }
    let multi = files_of.values().filter(|f| f.len() > 1).count() as f64 / files_of.len() as f64;
    assert!(
        (0.25..=0.45).contains(&multi),
        "share of persons in more than one file: {multi}"
    );
    let wechat_rows = rows.iter().filter(|r| r.0 == wechat::FILE).count();
    assert!(
        (20..=30).contains(&wechat_rows),
        "wechat rows {wechat_rows}"
    );
    let conv = &summary.xls_conversions[0];
    assert!(conv.xlsx.exists());
    assert!(conv.xls.ends_with(legacy::FILE));
    let gbk = fs::read(dir.path().join(oldsys::FILE)).unwrap();
    assert!(gbk.windows(2).any(|w| w == b"\r\n"));
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the GBK file must not be UTF-8"
    );

    // Storyline.
    let reg = sheet(&models, legacy::FILE, legacy::SHEET);
    let zs: Vec<_> = rows.iter().filter(|r| r.3 == "P0001").collect();
    assert_eq!(zs.len(), 3);
    let reg_row = zs.iter().find(|r| r.0 == legacy::FILE).unwrap().2 as u32;
    let cell = |c: u16| reg.cell(reg_row, c).unwrap().display();
    assert_eq!(cell(2), "张三");
    assert_eq!(cell(5), "138-0013-8000");
    assert!(cell(10).contains("销售"));
    assert_eq!(cell(12), "15k/月");
    assert_eq!(cell(14), "王总");
    assert_eq!(cell(15), "逻辑清晰，沟通能力强，做过类似项目，结果很不错");
    assert_eq!(cell(17), "岗位已满");
    let en = sheet(&models, english::FILE, english::SHEET);
    let en_row = zs.iter().find(|r| r.0 == english::FILE).unwrap().2 as u32;
    assert_eq!(
        en.cell(en_row, english::FIRST_COL).unwrap().display(),
        "Zhang San"
    );
    assert_eq!(
        en.cell(en_row, english::FIRST_COL + 1).unwrap().display(),
        "zhangsan@qq.com"
    );
    let pos = sheet(&models, positions::FILE, positions::SHEET);
    let sales = (2..=12)
        .find(|&r| pos.cell(r, 1).map(Cell::display).as_deref() == Some("销售经理"))
        .unwrap();
    assert_eq!(pos.cell(sales, 10).unwrap().display(), "重新开放");
    assert_eq!(pos.cell(sales, 9).unwrap().display(), "15-20k");
    let zhang_wei: BTreeSet<&str> = rows
        .iter()
        .filter(|r| entity(&persons(), &r.3).name() == "张伟")
        .map(|r| r.3.as_str())
        .collect();
    assert!(zhang_wei.len() >= 2);

    // Ledger structure and defects.
    let h1 = sheet(&models, ledger::FILE, "2022上半年");
    assert!(
        h1.merges
            .iter()
            .any(|m| m.text == "基础信息" && m.first.0 == 2 && m.last == (2, 3))
    );
    assert!(
        h1.merges
            .iter()
            .any(|m| m.text == "面试官" && m.first.0 == 2 && m.last.0 == 3)
    );
    assert!(h1.rows.iter().any(|r| {
        r.cells
            .iter()
            .any(|c| matches!(c, Cell::Formula { cached, .. } if cached == "#N/A"))
    }));
    assert!(
        h1.rows
            .iter()
            .any(|r| r.cells.get(ledger::C_APPLIED) == Some(&Cell::Text("2022-02-30".into())))
    );
    let total = h1.rows.last().unwrap();
    let n1 = rows.iter().filter(|r| r.1 == "2022上半年").count();
    assert_eq!(total.cells[1].display(), format!("共 {n1} 人"));
    assert!(sheet(&models, ledger::FILE, ledger::LOOKUP_SHEET).hidden);
    let h2 = sheet(&models, ledger::FILE, "2022下半年");
    assert!(
        h2.rows
            .iter()
            .any(|r| r.cells.iter().any(|c| c.display().contains("****")))
    );
    assert!(
        h2.rows
            .iter()
            .any(|r| r.cells.get(ledger::C_SALARY) == Some(&Cell::Text("看情况".into())))
    );
}

#[test]
fn scale_mode_writes_consistent_files() {
    let dir = tempfile::tempdir().unwrap();
    let n = 400;
    let s = super::generate(&GenOptions {
        out: dir.path().into(),
        candidates: Some(n),
        seed: 11,
    })
    .unwrap();
    assert!(
        s.entities <= n && s.entities > n * 8 / 10,
        "entities {}",
        s.entities
    );
    assert!(
        s.data_rows as f64 > s.entities as f64 * 1.2,
        "too few duplicate appearances"
    );
    let toml = fs::read_to_string(dir.path().join("pipeline.toml")).unwrap();
    for key in [
        "name = \"generated\"",
        "root = \".\"",
        "[output]",
        "dir = \"out\"",
        "role = \"positions\"",
        "encoding = \"gbk\"",
    ] {
        assert!(toml.contains(key), "pipeline.toml lacks {key}");
    }
    let rows = truth(dir.path());
    assert_eq!(rows.len(), s.data_rows);
    // Person rows: every file but positions, truth, chats and surveys.
    let listed: usize = s
        .files
        .iter()
        .filter(|f| {
            let rel = f.path.strip_prefix(dir.path()).unwrap();
            rel.parent() == Some(Path::new(""))
                && !rel.to_string_lossy().starts_with("ground_truth")
                && !f.path.ends_with(positions::FILE)
        })
        .map(|f| f.rows)
        .sum();
    assert_eq!(listed, s.data_rows);
    for f in [
        "台账_001.xlsx",
        "candidates_EN_001.xlsx",
        "面试评估_001.xlsx",
        oldsys::FILE,
        wechat::FILE,
        positions::FILE,
    ] {
        assert!(dir.path().join(f).exists(), "{f} missing");
    }
    let gbk = text_records(
        &fs::read(dir.path().join(oldsys::FILE)).unwrap(),
        false,
        b',',
    );
    for (file, _, row, id) in rows.iter().filter(|r| r.0 == oldsys::FILE) {
        let p = Person::generate(11, id[1..].parse().unwrap());
        let r = &gbk[row];
        assert!(
            renderings(&p).contains(&r[0]),
            "{file} line {row}: {:?} is not {}",
            r[0],
            p.name()
        );
        check_phone(&p, &r[2], file);
    }
}

#[test]
fn scale_mode_is_byte_identical_for_a_seed() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    for (dir, seed) in [(&a, 7), (&b, 7), (&c, 8)] {
        super::generate(&GenOptions {
            out: dir.path().into(),
            candidates: Some(300),
            seed,
        })
        .unwrap();
    }
    let rel = |d: &Path| -> Vec<PathBuf> {
        files_under(d)
            .into_iter()
            .map(|p| p.strip_prefix(d).unwrap().to_path_buf())
            .collect()
    };
    let names = rel(a.path());
    assert_eq!(names, rel(b.path()));
    for f in ["chats", "surveys"] {
        assert!(names.iter().any(|n| n.starts_with(f)), "no {f} written");
    }
    let mut differ = 0;
    for name in &names {
        let x = fs::read(a.path().join(name)).unwrap();
        assert_eq!(
            x,
            fs::read(b.path().join(name)).unwrap(),
            "{} differs between two runs with seed 7",
            name.display()
        );
        if fs::read(c.path().join(name)).ok() != Some(x) {
            differ += 1;
        }
    }
    assert!(differ > 5, "seed 8 should give other data");
}

/// Chat threads and survey answers point at the true person: the message
/// at the truth's line names that person (or carries their phone), and a
/// survey's application id is the id of that person's English-sheet row.
#[test]
fn scale_mode_chats_and_surveys_match_their_truth() {
    let dir = tempfile::tempdir().unwrap();
    super::generate(&GenOptions {
        out: dir.path().into(),
        candidates: Some(400),
        seed: 3,
    })
    .unwrap();
    let mut r = csv::Reader::from_path(dir.path().join(super::truth::MENTIONS)).unwrap();
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let mut kinds = BTreeSet::new();
    let mut checked = 0;
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r[0].starts_with("chats/")) {
        let lines = files.entry(row[0].clone()).or_insert_with(|| {
            fs::read_to_string(dir.path().join(&row[0]))
                .unwrap()
                .lines()
                .map(str::to_string)
                .collect()
        });
        let line: usize = row[2].parse().unwrap();
        let p = Person::generate(3, row[3][1..].parse().unwrap());
        // WhatsApp keeps header and text on one line; QQ and WeChat put the
        // text on the next.
        let text = if row[0].contains("whatsapp") {
            lines[line - 1].clone()
        } else {
            format!("{}\n{}", lines[line - 1], lines[line])
        };
        assert!(
            text.contains(&p.name()),
            "{}:{line} does not name {}: {text}",
            row[0],
            p.name()
        );
        kinds.insert(row[4].clone());
        checked += 1;
    }
    assert!(
        checked > 50,
        "only {checked} chat messages about candidates"
    );
    for k in ["mention", "evaluation", "rejected"] {
        assert!(kinds.contains(k), "no {k} message in {kinds:?}");
    }
    let truth = truth(dir.path());
    let english: BTreeMap<String, String> = truth
        .iter()
        .filter(|t| t.0.starts_with("candidates_EN"))
        .map(|t| {
            (
                crate::model::stable_id("A", &[&t.0, &t.1, &t.2.to_string()]),
                t.3.clone(),
            )
        })
        .collect();
    let wide = text_records(
        &fs::read(dir.path().join(super::surveys::WIDE_FILE)).unwrap(),
        false,
        b',',
    );
    let mut surveys = 0;
    for row in rows.iter().filter(|r| r[0] == super::surveys::WIDE_FILE) {
        let rec = &wide[&row[2].parse::<u64>().unwrap()];
        assert_eq!(english.get(&rec[1]), Some(&row[3]), "survey {}", rec[0]);
        surveys += 1;
    }
    assert!(surveys > 5, "only {surveys} surveys");
}

//! The phrase tables: built-in files, overrides and their error messages,
//! and the vocabulary the rejection reasons come from.

use super::*;
use crate::rules::match_form;
use crate::rules::status::Outcome;

fn decision(phrases: &Phrases, text: &str) -> Option<Outcome> {
    let ex = extract(
        &[message("t", 1, MONDAY, "孙悦", text)],
        &people(),
        phrases,
        "CN",
    );
    ex.events
        .iter()
        .find(|e| e.kind == ChatEventKind::Decision)
        .and_then(|e| e.decision)
}

#[test]
fn builtin_tables_load_and_are_nonempty() {
    let phrases = Phrases::builtin();
    assert_eq!(phrases, &Phrases::default());
    for name in TABLES {
        let rows = phrases.entries(name).expect("known table");
        assert!(!rows.is_empty(), "table {name} is empty");
        // Longest phrase first.
        let lengths: Vec<usize> = rows
            .iter()
            .map(|(p, _)| match_form(p).chars().count())
            .collect();
        assert!(
            lengths.windows(2).all(|w| w[0] >= w[1]),
            "table {name} is not longest-first"
        );
    }
    assert_eq!(phrases.entries("reasons"), None);
}

#[test]
fn builtin_files_have_no_duplicate_phrases() {
    // Two rows with the same matching form would make the result depend on
    // file order, also across the zh and en files.
    let mut seen: Vec<(String, String, &str)> = Vec::new();
    for (lang, source) in super::super::phrases::builtin_sources() {
        let parsed: toml::Table = source.parse().expect("valid TOML");
        for (table, rows) in &parsed {
            for key in rows.as_table().expect("table").keys() {
                let needle = match_form(key);
                if let Some(first) = seen.iter().find(|(t, n, _)| t == table && *n == needle) {
                    panic!(
                        "{table}: '{key}' in {lang}.toml repeats a phrase of {}.toml",
                        first.2
                    );
                }
                seen.push((table.clone(), needle, lang));
            }
        }
    }
    assert!(seen.len() > 400, "{} phrases", seen.len());
}

#[test]
fn overrides_add_and_replace() {
    let extra: toml::Table = r#"
        "拍板了" = "hired"
        "再看看" = "rejected"
    "#
    .parse()
    .expect("valid TOML");
    let phrases = Phrases::builtin()
        .with_overrides("decisions", &extra)
        .expect("valid overrides");
    assert_eq!(decision(&phrases, "张三拍板了"), Some(Outcome::Hired));
    assert_eq!(decision(&phrases, "李四再看看"), Some(Outcome::Rejected));
    assert_eq!(decision(Phrases::builtin(), "张三拍板了"), None);
    assert_eq!(
        decision(Phrases::builtin(), "李四再看看"),
        Some(Outcome::OnHold)
    );
    let rows = phrases.entries("decisions").expect("table");
    assert_eq!(rows.iter().filter(|(p, _)| *p == "再看看").count(), 1);
}

#[test]
fn override_errors_name_table_key_and_codes() {
    let bad: toml::Table = r#"
        "拍板" = "approved"
        "再议" = 3
    "#
    .parse()
    .expect("valid TOML");
    let mut errors = Phrases::builtin()
        .with_overrides("decisions", &bad)
        .unwrap_err();
    errors.sort();
    assert_eq!(
        errors,
        vec![
            "table 'decisions', key '再议': expected a string code, one of: in_progress, passed, \
             rejected, declined, on_hold, talent_pool, hired, or none for a phrase that decides nothing"
                .to_string(),
            "table 'decisions', key '拍板': unknown code 'approved'; allowed codes: in_progress, \
             passed, rejected, declined, on_hold, talent_pool, hired, or none for a phrase that \
             decides nothing"
                .to_string(),
        ]
    );
    let surnames: toml::Table = r#"
        "司马懿" = "sima"
        "岳" = "Yue"
    "#
    .parse()
    .expect("valid TOML");
    let mut errors = Phrases::builtin()
        .with_overrides("surnames", &surnames)
        .unwrap_err();
    errors.sort();
    assert_eq!(
        errors,
        vec![
            "table 'surnames', key '司马懿': a surname must be one or two Chinese characters"
                .to_string(),
            "table 'surnames', key '岳': unknown code 'Yue'; allowed codes: romanizations in \
             lowercase ASCII separated by | (zhang, lyu|lv|lu)"
                .to_string(),
        ]
    );
    assert_eq!(
        Phrases::builtin()
            .with_overrides("reasons", &toml::Table::new())
            .unwrap_err(),
        vec![format!(
            "unknown phrase table 'reasons': expected one of {}",
            TABLES.join(", ")
        )]
    );
    assert_eq!(
        Phrases::allowed_codes("contact").as_deref(),
        Some("reached, no_answer, busy, invalid")
    );
    assert_eq!(Phrases::allowed_codes("nope"), None);
}

#[test]
fn evaluation_labels_and_surnames_come_from_tables() {
    let evaluations: toml::Table = r#""很能扛" = "strength:抗压能力强""#.parse().expect("TOML");
    let surnames: toml::Table = r#""亓" = "qi""#.parse().expect("TOML");
    let phrases = Phrases::builtin()
        .with_overrides("evaluations", &evaluations)
        .and_then(|p| p.with_overrides("surnames", &surnames))
        .expect("valid overrides");
    let ex = extract(
        &[message("t", 1, MONDAY, "孙悦", "张三很能扛")],
        &people(),
        &phrases,
        "CN",
    );
    let strengths: Vec<&Vec<String>> = ex
        .events
        .iter()
        .filter(|e| e.kind == ChatEventKind::Evaluation)
        .map(|e| &e.strengths)
        .collect();
    assert_eq!(strengths, vec![&vec!["抗压能力强".to_string()]]);
    // A lead's name must start with a known surname.
    let lead = |p: &Phrases| {
        extract(
            &[message(
                "t",
                1,
                MONDAY,
                "孙悦",
                "朋友亓子涵，电话13912345678",
            )],
            &people(),
            p,
            "CN",
        )
        .leads
        .first()
        .and_then(|l| l.name.clone())
    };
    assert_eq!(lead(Phrases::builtin()), None);
    assert_eq!(lead(&phrases).as_deref(), Some("亓子涵"));
}

#[test]
fn reasons_follow_the_vocabulary() {
    let extra: toml::Table = r#""编制取消" = "headcount_filled""#.parse().expect("TOML");
    let vocab = crate::rules::Vocab::builtin()
        .with_overrides("reasons", &extra)
        .expect("valid overrides");
    let reasons = |p: &Phrases| {
        extract(
            &[message("t", 1, MONDAY, "孙悦", "张三编制取消了")],
            &people(),
            p,
            "CN",
        )
        .events
        .into_iter()
        .filter_map(|e| e.reason)
        .collect::<Vec<_>>()
    };
    assert_eq!(reasons(Phrases::builtin()), vec![]);
    let phrases = Phrases::builtin().with_vocab(vocab.clone());
    assert_eq!(phrases.vocab(), &vocab);
    assert_eq!(
        reasons(&phrases),
        vec![(
            crate::rules::reason::RejectionType::WeRejected,
            crate::rules::reason::ReasonCode::HeadcountFilled
        )]
    );
}

#[test]
fn kind_and_contact_codes_round_trip() {
    for kind in ChatEventKind::ALL {
        assert_eq!(ChatEventKind::from_code(kind.code()), Some(kind));
    }
    for code in ContactResult::CODES {
        assert_eq!(
            ContactResult::from_code(code).map(ContactResult::code),
            Some(*code)
        );
    }
    assert_eq!(ChatEventKind::from_code("lead"), None);
}

//! The labeled set and the sample chats: every labeled message is read in
//! its chat, its facts are compared with the labels, and precision and
//! recall over all facts must not fall below what the extraction achieves
//! today.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::chat::{ChatFormat, ParseOptions, detect, parse};

/// Achieved on the whole labeled set (398 facts right, 6 false, 15 missed);
/// a change that lowers either fails.
const MIN_PRECISION: f64 = 0.985;
const MIN_RECALL: f64 = 0.963;
/// Achieved on the held-out cases alone (39 right, 6 false, 13 missed).
const MIN_HELD_OUT_PRECISION: f64 = 0.866;
const MIN_HELD_OUT_RECALL: f64 = 0.75;

/// The sample chats: file, format, message count.
const SAMPLES: &[(&str, ChatFormat, usize)] = &[
    ("qq_招聘群.txt", ChatFormat::QqTxt, 58),
    ("wechat_招聘沟通.txt", ChatFormat::WechatTxt, 55),
    ("whatsapp_hr.txt", ChatFormat::WhatsappTxt, 43),
];

fn parse_sample(file: &str) -> Vec<Message> {
    let text = read(&format!("{CHATS}{file}"));
    let (format, why) = detect(&text, file).unwrap_or_else(|| panic!("{file}: no format"));
    let expected = SAMPLES
        .iter()
        .find(|s| s.0 == file)
        .unwrap_or_else(|| panic!("{file} is not a sample chat"))
        .1;
    assert_eq!(format, expected, "{file}: detected {format} because {why}");
    let out = parse(&text, format, &ParseOptions::default());
    assert!(out.rejected.is_empty(), "{file}: {:?}", out.rejected);
    out.messages
}

#[test]
fn sample_chats_parse_completely() {
    for (file, _, count) in SAMPLES {
        let messages = parse_sample(file);
        assert_eq!(messages.len(), *count, "{file}");
        assert!((40..=120).contains(count), "{file}");
        let first = messages.first().expect("messages").at;
        let last = messages.last().expect("messages").at;
        assert!(
            first >= dt("2021-01-01 00:00") && last < dt("2025-01-01 00:00"),
            "{file}"
        );
        assert!(
            messages.windows(2).all(|w| w[0].at <= w[1].at),
            "{file}: out of order"
        );
        let skipped = messages
            .iter()
            .filter(|m| m.is_system || !matches!(m.kind, MessageKind::Text | MessageKind::Reply))
            .count();
        assert!(skipped >= 3, "{file}: too little noise ({skipped})");
    }
}

/// One labeled message: where it is, whether it is held out, and its
/// expected and predicted facts.
struct Compared {
    place: String,
    held_out: bool,
    expected: BTreeSet<String>,
    predicted: BTreeSet<String>,
}

fn compare_all() -> Vec<Compared> {
    let labels = labels();
    let people = people();
    let cases = labels["case"].as_array().expect("case list");
    let mut by_file: BTreeMap<String, (Vec<Message>, Extraction)> = BTreeMap::new();
    let mut out = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let text = case["text"].as_str().expect("text");
        let expected: BTreeSet<String> = case["events"]
            .as_array()
            .expect("events")
            .iter()
            .flat_map(label_units)
            .collect();
        let (place, predicted) = if let Some(file) = case.get("file").and_then(|f| f.as_str()) {
            let line = case["line"].as_integer().expect("line") as usize;
            let (messages, ex) = by_file.entry(file.to_string()).or_insert_with(|| {
                let messages = parse_sample(file);
                let ex = extract(&messages, &people, Phrases::builtin(), "CN");
                (messages, ex)
            });
            let m = messages
                .iter()
                .find(|m| m.line == line)
                .unwrap_or_else(|| panic!("{file}: no message at line {line}"));
            assert_eq!(m.text, text, "{file}:{line}");
            (format!("{file}:{line}"), predicted_units(ex, line))
        } else {
            let context: Vec<&str> = case
                .get("context")
                .and_then(|c| c.as_array())
                .map(|a| {
                    a.iter()
                        .map(|x| x.as_str().expect("context line"))
                        .collect()
                })
                .unwrap_or_default();
            let at = case.get("at").and_then(|a| a.as_str()).unwrap_or(MONDAY);
            let sender = case
                .get("sender")
                .and_then(|s| s.as_str())
                .unwrap_or("孙悦");
            let ex = run(&context, at, sender, text);
            (
                format!("case {n}: {text}"),
                predicted_units(&ex, context.len() + 1),
            )
        };
        out.push(Compared {
            place,
            held_out: case.get("held_out").and_then(|h| h.as_bool()) == Some(true),
            expected,
            predicted,
        });
    }
    out
}

#[test]
fn every_chat_fixture_extracts_without_panicking() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/chatlogs/");
    let people = people();
    let mut files = 0;
    for entry in std::fs::read_dir(dir).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Some((format, _)) = detect(&text, name) else {
            continue;
        };
        let out = parse(&text, format, &ParseOptions::default());
        let ex = extract(&out.messages, &people, Phrases::builtin(), "CN");
        assert_eq!(ex.stats.messages, out.messages.len(), "{name}");
        assert!(
            ex.events
                .iter()
                .all(|e| (0.0..=1.0).contains(&e.confidence)),
            "{name}"
        );
        files += 1;
    }
    assert!(files >= 10, "{files} fixtures read");
    // Hostile text: separators everywhere, half numbers, emoji, long runs.
    let long = "张三，".repeat(2000);
    for text in [
        "，，，；；；。。。???",
        "张三 13800138000 微信: 13800138000 wx:",
        "期望-k，下周下午点，月日号",
        "小小小张张张总总总",
        "1/2/3/4 5:6:7 8点9点 十十十点",
        "🙂张三🙂通过🙂",
        long.as_str(),
        "Mr. Mr Ms. zhang Zhang ZHANG",
        "@@@.com a@b wx:abcdef_ghijklmnopqrstuvwxyz",
    ] {
        let ex = run(&[], MONDAY, "孙悦", text);
        assert_eq!(ex.stats.messages, 1, "{text}");
    }
}

#[test]
fn labeled_set_is_large_enough() {
    let labels = labels();
    let cases = labels["case"].as_array().expect("case list");
    let negatives = cases
        .iter()
        .filter(|c| c["events"].as_array().is_some_and(Vec::is_empty))
        .count();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    assert!(negatives >= 10, "{negatives} negatives");
    let kinds: BTreeSet<&str> = cases
        .iter()
        .flat_map(|c| c["events"].as_array().expect("events"))
        .map(|e| e["kind"].as_str().expect("kind"))
        .collect();
    for kind in ChatEventKind::CODES.iter().chain(&["ambiguous", "lead"]) {
        assert!(kinds.contains(kind), "no labeled {kind}");
    }
}

/// (right, false, missed) facts over some labeled messages.
fn score<'a>(compared: impl Iterator<Item = &'a Compared>) -> (usize, usize, usize) {
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for c in compared {
        let hit = c.expected.intersection(&c.predicted).count();
        tp += hit;
        fp += c.predicted.len() - hit;
        fn_ += c.expected.len() - hit;
    }
    (tp, fp, fn_)
}

fn ratio(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

#[test]
fn labeled_precision_and_recall() {
    let compared = compare_all();
    for c in &compared {
        for extra in c.predicted.difference(&c.expected) {
            println!("false positive  {}: {extra}", c.place);
        }
        for missed in c.expected.difference(&c.predicted) {
            println!("missed          {}: {missed}", c.place);
        }
    }
    let held_out = compared.iter().filter(|c| c.held_out).count();
    for (name, held) in [
        ("held-out", Some(true)),
        ("tuned", Some(false)),
        ("all", None),
    ] {
        let (tp, fp, fn_) = score(
            compared
                .iter()
                .filter(|c| held.is_none_or(|h| c.held_out == h)),
        );
        println!(
            "{name:>8}: {tp} facts right, {fp} false, {fn_} missed; precision {:.3}, recall {:.3}",
            ratio(tp, tp + fp),
            ratio(tp, tp + fn_)
        );
    }
    let (tp, fp, fn_) = score(compared.iter());
    let (precision, recall) = (ratio(tp, tp + fp), ratio(tp, tp + fn_));
    println!(
        "chat extraction on {} labeled messages ({held_out} held out): precision {precision:.3}, recall {recall:.3}",
        compared.len()
    );
    assert!(
        precision >= MIN_PRECISION,
        "precision {precision:.3} < {MIN_PRECISION}"
    );
    assert!(recall >= MIN_RECALL, "recall {recall:.3} < {MIN_RECALL}");
    let (tp, fp, fn_) = score(compared.iter().filter(|c| c.held_out));
    let (precision, recall) = (ratio(tp, tp + fp), ratio(tp, tp + fn_));
    assert!(
        precision >= MIN_HELD_OUT_PRECISION,
        "held-out precision {precision:.3} < {MIN_HELD_OUT_PRECISION}"
    );
    assert!(
        recall >= MIN_HELD_OUT_RECALL,
        "held-out recall {recall:.3} < {MIN_HELD_OUT_RECALL}"
    );
}

//! Tests of the chat parsers: every fixture file end to end, header-line
//! tables per format, and hostile input.

use chrono::NaiveDateTime;

use super::*;

mod fixtures;
mod headers;
mod kinds;
mod robustness;
mod whatsapp;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/chatlogs/");

fn fixture(name: &str) -> String {
    let path = format!("{FIXTURES}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .unwrap_or_else(|e| panic!("bad test time {s}: {e}"))
}

/// Detects the fixture's format, checks it, and parses with default options.
fn parse_fixture(name: &str, expected: ChatFormat) -> ParseOutput {
    let text = fixture(name);
    let (format, why) = detect(&text, name).unwrap_or_else(|| panic!("{name}: no format detected"));
    assert_eq!(format, expected, "{name}: detected {format} because {why}");
    parse(&text, format, &ParseOptions::default())
}

/// Asserts sender, time, text and source line of one message.
#[track_caller]
fn assert_msg(m: &Message, sender: Option<&str>, at: &str, text: &str, line: usize) {
    assert_eq!(m.sender.as_deref(), sender, "sender of {m:?}");
    assert_eq!(m.at, dt(at), "time of {m:?}");
    assert_eq!(m.text, text, "text of {m:?}");
    assert_eq!(m.line, line, "line of {m:?}");
}

fn kinds(out: &ParseOutput) -> Vec<MessageKind> {
    out.messages.iter().map(|m| m.kind).collect()
}

fn system_lines(out: &ParseOutput) -> Vec<usize> {
    out.messages
        .iter()
        .filter(|m| m.is_system)
        .map(|m| m.line)
        .collect()
}

/// Parses `text` as `format` and returns the only message.
#[track_caller]
fn only(text: &str, format: ChatFormat, opts: &ParseOptions) -> Message {
    let out = parse(text, format, opts);
    assert!(out.rejected.is_empty(), "{text:?}: {:?}", out.rejected);
    assert_eq!(out.messages.len(), 1, "{text:?}: {:?}", out.messages);
    out.messages
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!())
}

//! Every chat parser on the same input: format detection, then each of the
//! ten formats (QQ, WeChat txt/CSV/WechatExporter/WeFlow, WeCom JSON lines,
//! WhatsApp, Telegram, Signal-style and the generic fallback), then event
//! extraction over whatever the detected format yields, with two known
//! candidates so that mentions, phones and e-mails have someone to match.
//!
//! The input is decoded the way a run decodes a chat file, so invalid UTF-8
//! and UTF-16 inputs reach the parsers as they would in a run.

#![no_main]

use std::sync::LazyLock;

use hrflow::chat::extract::{KnownPerson, Phrases, extract};
use hrflow::chat::{ChatFormat, ParseOptions, detect, parse};
use hrflow::ingest::decode::decode;
use libfuzzer_sys::fuzz_target;

static PEOPLE: LazyLock<Vec<KnownPerson>> = LazyLock::new(|| {
    vec![
        KnownPerson {
            candidate_id: "C1".into(),
            name: "张三".into(),
            name_key: "张三".into(),
            phones: vec!["+8613800138000".into()],
            emails: vec!["zhangsan@qq.com".into()],
        },
        KnownPerson {
            candidate_id: "C2".into(),
            name: "Li Si".into(),
            name_key: "lisi".into(),
            phones: vec!["+8613900139000".into()],
            emails: Vec::new(),
        },
    ]
});

fuzz_target!(|bytes: &[u8]| {
    let text = decode(bytes, None).text;
    let lines = text.split('\n').count();
    let detected = detect(&text, "chat.txt").map(|(f, _)| f);
    for format in ChatFormat::ALL {
        for day_first in [None, Some(true)] {
            let opts = ParseOptions {
                day_first,
                ..ParseOptions::default()
            };
            let out = parse(&text, format, &opts);
            assert_eq!(out.format, format);
            for m in &out.messages {
                assert!(m.line >= 1 && m.line <= lines, "{format}: line {}", m.line);
            }
            for r in &out.rejected {
                assert!(r.line >= 1, "{format}: rejected line 0");
                assert!(r.raw.chars().count() <= 301, "{format}: raw not clipped");
            }
            if Some(format) == detected && day_first.is_none() {
                extract(&out.messages, &PEOPLE, Phrases::builtin(), "CN");
            }
        }
    }
});

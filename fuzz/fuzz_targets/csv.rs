//! CSV decoding and reading, as a `csv` source is read: encoding detection
//! (BOM, UTF-16 NUL pattern, UTF-8, chardetng) and a forced GBK decode,
//! delimiter sniffing, records with their lines, header detection, ragged
//! rows, then normalization of every data row through the cell rules.
//!
//! Besides "never panics", it checks the row accounting a run relies on:
//! every record is a data row, a non-data row or a rejected row, and every
//! data row is kept or quarantined.

#![no_main]

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use hrflow::ingest::decode::{EncodingLabel, decode};
use hrflow::ingest::delimited::read_table;
use hrflow::ingest::header::{Expect, HeaderOptions, HeaderTable};
use hrflow::normalize::{self, Context};
use hrflow::plan::{NormalizeSettings, Role};
use hrflow::rules::Vocab;
use libfuzzer_sys::fuzz_target;

static SETTINGS: LazyLock<NormalizeSettings> = LazyLock::new(|| NormalizeSettings {
    region: "CN".into(),
    day_first: false,
    vocab: Vocab::builtin().clone(),
    headers: HeaderTable::builtin().clone(),
});

fuzz_target!(|bytes: &[u8]| {
    let gbk = EncodingLabel::new("gbk");
    for forced in [None, gbk] {
        let decoded = decode(bytes, forced);
        assert!(!decoded.had_errors || decoded.text.contains('\u{FFFD}'));
        read(&decoded.text);
    }
});

fn read(text: &str) {
    let overrides = BTreeMap::new();
    for role in [Role::Candidates, Role::Positions] {
        let header = HeaderOptions {
            table: HeaderTable::builtin(),
            overrides: &overrides,
            expect: match role {
                Role::Positions => Expect::Positions,
                _ => Expect::Candidates,
            },
            forced_row: None,
        };
        let Ok((table, _)) = read_table(text, "fuzz.csv", None, None, header) else {
            continue;
        };
        assert_eq!(
            table.rows_read,
            (table.rows.len() + table.rejected.len()) as u64 + table.non_data_total(),
            "ingest accounting"
        );
        let ctx = Context {
            source: Arc::from("source[1]"),
            priority: 0,
            role,
            settings: &SETTINGS,
        };
        let n = normalize::table(&table, &ctx);
        assert_eq!(
            n.rows_kept + n.rows_quarantined,
            table.rows.len() as u64,
            "normalize accounting"
        );
    }
}

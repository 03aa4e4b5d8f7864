//! The phone rule: a cell with one or more numbers, read with a Chinese and
//! a US default region and with none. Besides "never panics": every number
//! is E.164 (`+` and 7–15 digits) and normalizing it again gives itself.

#![no_main]

use hrflow::rules::phone::normalize_phones;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    for region in ["CN", "US", ""] {
        let cell = normalize_phones(text, region);
        for n in &cell.numbers {
            let digits = n.strip_prefix('+').expect("E.164 starts with +");
            assert!(
                (7..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()),
                "{text:?} → {n}"
            );
            let again = normalize_phones(n, region);
            assert_eq!(again.numbers, [n.clone()], "{text:?} → {n}");
        }
    }
});

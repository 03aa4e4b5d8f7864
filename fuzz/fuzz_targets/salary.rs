//! The salary rule: a cell, optionally with the unit hint its column header
//! gives (`K`, `万/年`, `元/月`…). The input is `cell` or `cell\0hint`.
//! Besides "never panics": bounds are finite, not negative and ordered.

#![no_main]

use hrflow::rules::salary::parse_salary;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let (cell, hint) = match text.split_once('\0') {
        Some((cell, hint)) => (cell, Some(hint)),
        None => (text, None),
    };
    for hint in [hint, None, Some("K"), Some("万/年")] {
        let Ok(s) = parse_salary(cell, hint) else {
            continue;
        };
        for v in [s.min, s.max].into_iter().flatten() {
            assert!(v.is_finite() && v >= 0.0, "{cell:?} {hint:?} → {s:?}");
        }
        if let (Some(min), Some(max)) = (s.min, s.max) {
            assert!(min <= max, "{cell:?} {hint:?} → {s:?}");
        }
    }
});

//! A reviewer's verdicts decide their pairs over the score, the hard rules
//! and blocking, and a "different" also stops chains.

use super::super::{
    RULE_CANNOT_LINK, RULE_REVIEWED_DIFFERENT, RULE_REVIEWED_SAME, ResolveOptions, Verdict,
    resolve_reviewed,
};
use super::{groups, person, row, run, strings};
use crate::model::PersonRecord;

fn verdict(a: &str, b: &str, same: bool) -> Verdict {
    Verdict {
        record_a: a.to_string(),
        record_b: b.to_string(),
        same,
    }
}

fn with_phone(id: &str, name: &str, phone: &str) -> PersonRecord {
    PersonRecord {
        phones: strings(&[phone]),
        ..person(id, name)
    }
}

#[test]
fn a_verdict_overrides_the_score_and_the_hard_rules() {
    let records = vec![
        with_phone("R1", "王小明", "+8613800000001"),
        with_phone("R2", "王小明", "+8613800000001"),
        with_phone("R3", "李四", "+8613900000002"),
        with_phone("R4", "赵六", "+8613700000003"),
    ];
    assert_eq!(
        groups(&records, &run(&records)),
        [vec!["R1", "R2"], vec!["R3"], vec!["R4"]]
    );
    // Given in either order; R3/R4 share no block and are compared anyway.
    let verdicts = [verdict("R2", "R1", false), verdict("R3", "R4", true)];
    let r = resolve_reviewed(&records, None, &verdicts, &ResolveOptions::default());
    assert_eq!(
        groups(&records, &r),
        [vec!["R1"], vec!["R2"], vec!["R3", "R4"]]
    );
    assert_eq!(row(&records, &r, "R1", "R2").1, "separate");
    assert_eq!(
        row(&records, &r, "R1", "R2").2,
        Some(RULE_REVIEWED_DIFFERENT)
    );
    assert_eq!(row(&records, &r, "R3", "R4").1, "merge");
    assert_eq!(row(&records, &r, "R3", "R4").2, Some(RULE_REVIEWED_SAME));
    assert_eq!((r.verdicts.same, r.verdicts.different), (1, 1));
    assert_eq!(r.verdicts.not_found, 0);
}

#[test]
fn a_different_verdict_stops_a_chain_and_unknown_records_are_counted() {
    // R1~R2 by phone, R2~R3 by e-mail: one person by the links, but the
    // reviewer says R1 and R3 are two people.
    let records = vec![
        with_phone("R1", "陈晨", "+8613800000009"),
        PersonRecord {
            emails: strings(&["chen@example.com"]),
            ..with_phone("R2", "陈晨", "+8613800000009")
        },
        PersonRecord {
            emails: strings(&["chen@example.com"]),
            ..person("R3", "陈晨")
        },
    ];
    assert_eq!(groups(&records, &run(&records)), [vec!["R1", "R2", "R3"]]);
    let verdicts = [verdict("R1", "R3", false), verdict("R1", "R9", true)];
    let r = resolve_reviewed(&records, None, &verdicts, &ResolveOptions::default());
    let g = groups(&records, &r);
    assert_eq!(g.len(), 2, "{g:?}");
    assert!(
        !g.iter()
            .any(|m| m.contains(&"R1".to_string()) && m.contains(&"R3".to_string()))
    );
    // The weaker of the two links is refused and goes to review.
    assert!(
        r.merges
            .iter()
            .any(|m| m.rule == Some(RULE_CANNOT_LINK) && m.decision.name() == "review"),
        "{:?}",
        r.merges
    );
    assert_eq!(r.verdicts.not_found, 1);
    assert_eq!(r.verdicts.different, 1);
}

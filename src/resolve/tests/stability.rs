//! Results that must not move: re-resolving survivors, shuffling the
//! input, and candidate ids across runs.

use proptest::prelude::*;

use crate::model::{PersonDetails, PersonRecord, stable_id};
use crate::resolve::{Resolution, ResolveOptions, resolve};

use super::scenarios::zhang_san;
use super::{date, groups, person, run, strings, survivors_of};

/// The storylines together with a few unrelated people.
fn mixed() -> Vec<PersonRecord> {
    let mut records = zhang_san();
    records.extend([
        PersonRecord {
            phones: strings(&["+8613643164634"]),
            emails: strings(&["zw85@163.com"]),
            birth_date: date(1985, 3, 1),
            city: Some("杭州".into()),
            ..person("W1", "张伟")
        },
        PersonRecord {
            phones: strings(&["+8619945318496"]),
            birth_date: date(1996, 7, 1),
            city: Some("杭州".into()),
            ..person("W2", "张伟")
        },
        PersonRecord {
            emails: strings(&["zw85@163.com"]),
            birth_date: date(1996, 7, 1),
            city: Some("杭州".into()),
            ..person("W3", "张伟")
        },
        PersonRecord {
            phones: strings(&["+8613911112222"]),
            ..person("H1", "单雄信")
        },
        PersonRecord {
            phones: strings(&["+8613911112222"]),
            details: PersonDetails {
                skills: strings(&["Go"]),
                ..Default::default()
            }
            .boxed(),
            ..person("H2", "Shan Xiongxin")
        },
        PersonRecord {
            wechat: Some("lisi_1993".into()),
            ..person("L1", "李四")
        },
        PersonRecord {
            wechat: Some("LiSi_1993".into()),
            birth_date: date(1993, 11, 2),
            ..person("L2", "李四")
        },
        person("Z1", "王芳"),
    ]);
    records
}

#[test]
fn resolving_survivors_again_changes_nothing() {
    let records = mixed();
    let first = run(&records);
    assert_eq!(
        groups(&records, &first),
        vec![
            strings(&["H1", "H2"]),
            strings(&["L1", "L2"]),
            strings(&["R1", "R2", "R3", "R4"]),
            strings(&["W1"]),
            strings(&["W2", "W3"]),
            strings(&["Z1"]),
        ]
    );
    let survivors = survivors_of(&records, &first);
    let second = run(&survivors);
    assert_eq!(second.entities.len(), survivors.len());
    let again = survivors_of(&survivors, &second);
    for ((e, s), t) in second.entities.iter().zip(&survivors).zip(&again) {
        assert_eq!(e.members.len(), 1);
        assert_eq!(e.merged, None);
        assert_eq!(t, s);
        assert_eq!(e.candidate_id, s.candidate_id);
    }
    assert!(second.conflicts.is_empty());
    assert!(second.id_changes.is_empty());

    // The same holds when the first run's ids are passed as history.
    let previous: super::super::IdMap = survivors
        .iter()
        .map(|s| (s.record_id.clone(), s.candidate_id.clone()))
        .collect();
    let third = resolve(&survivors, Some(&previous), &ResolveOptions::default());
    assert_eq!(third.entities, second.entities);
}

fn previous_of(records: &[PersonRecord], r: &Resolution) -> super::super::IdMap {
    records
        .iter()
        .zip(&r.entity_of)
        .map(|(rec, e)| (rec.record_id.clone(), r.entities[*e].candidate_id.clone()))
        .collect()
}

#[test]
fn a_new_record_joining_an_entity_keeps_its_id() {
    let records = mixed();
    let first = run(&records);
    let previous = previous_of(&records, &first);
    let old_id = first.entities[first.entity_of[0]].candidate_id.clone();
    assert_eq!(old_id, stable_id("C", &["R1"]));

    // "A0" sorts before every earlier member, so without history the entity
    // would be renamed after it.
    let mut more = records.clone();
    more.push(PersonRecord {
        phones: strings(&["+8613800138000"]),
        ..person("A0", "张三")
    });
    let fresh = run(&more);
    assert_eq!(
        fresh.entities[fresh.entity_of[0]].candidate_id,
        stable_id("C", &["A0"])
    );
    let second = resolve(&more, Some(&previous), &ResolveOptions::default());
    let e = &second.entities[second.entity_of[0]];
    assert_eq!(e.candidate_id, old_id);
    assert_eq!(e.members.len(), 5);
    assert!(second.id_changes.is_empty());
    // Nobody else was renamed.
    let before: Vec<&str> = first
        .entities
        .iter()
        .map(|e| e.candidate_id.as_str())
        .collect();
    let after: Vec<&str> = second
        .entities
        .iter()
        .map(|e| e.candidate_id.as_str())
        .collect();
    assert_eq!(before.len(), after.len());
    assert!(before.iter().all(|id| after.contains(id)));
}

#[test]
fn two_previous_entities_that_merge_keep_the_smaller_id() {
    let records = vec![
        PersonRecord {
            emails: strings(&["wangwu@163.com"]),
            ..person("M1", "王五")
        },
        PersonRecord {
            phones: strings(&["+8613700001111"]),
            ..person("M2", "王五")
        },
    ];
    let first = run(&records);
    assert_eq!(first.entities.len(), 2);
    let previous = previous_of(&records, &first);
    let (a, b) = (stable_id("C", &["M1"]), stable_id("C", &["M2"]));
    let (small, large) = if a < b { (a, b) } else { (b, a) };

    let mut more = records.clone();
    more.push(PersonRecord {
        emails: strings(&["wangwu@163.com"]),
        phones: strings(&["+8613700001111"]),
        ..person("M3", "王五")
    });
    let second = resolve(&more, Some(&previous), &ResolveOptions::default());
    assert_eq!(second.entities.len(), 1);
    assert_eq!(second.entities[0].candidate_id, small);
    assert_eq!(second.id_changes, vec![(large, small)]);
}

/// Small random datasets over a few names, phones and e-mails, so that
/// collisions, chains and conflicts are frequent.
fn dataset() -> impl Strategy<Value = Vec<PersonRecord>> {
    let names = [
        "张三",
        "張三",
        "Zhang San",
        "张伟",
        "王芳",
        "单雄信",
        "Shan Xiongxin",
    ];
    let row = (
        0..names.len(),
        proptest::option::of(0..4u8),
        proptest::option::of(0..3u8),
        proptest::option::of(0..3u8),
        proptest::option::of(0..2u8),
        0..3i32,
    );
    proptest::collection::vec(row, 1..14).prop_map(move |rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (n, phone, email, year, id, priority))| PersonRecord {
                priority,
                phones: phone
                    .map(|p| format!("+861380000000{p}"))
                    .into_iter()
                    .collect(),
                emails: email.map(|e| format!("p{e}@qq.com")).into_iter().collect(),
                birth_date: year.and_then(|y| date(1985 + i32::from(y) * 5, 1, 1)),
                id_number: id
                    .map(|d| ["110101199001010001", "330106198806152216"][usize::from(d)].into()),
                ..person(&format!("R{i:02}"), names[n])
            })
            .collect()
    })
}

/// Everything in a resolution except input positions.
fn canonical(records: &[PersonRecord], r: &Resolution) -> impl PartialEq + std::fmt::Debug {
    let entities: Vec<(String, Vec<String>, PersonRecord)> = r
        .entities
        .iter()
        .zip(groups(records, r))
        .zip(survivors_of(records, r))
        .map(|((e, g), s)| (e.candidate_id.clone(), g, s))
        .collect();
    (
        entities,
        r.merges.clone(),
        r.conflicts.clone(),
        r.histogram.clone(),
    )
}

proptest! {
    // Failures are reported, not saved as regression files in the tree.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn shuffled_input_gives_the_same_entities_and_ids(
        (records, shuffled) in dataset().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        let a = run(&records);
        let b = run(&shuffled);
        prop_assert_eq!(canonical(&records, &a), canonical(&shuffled, &b));
        for (i, rec) in shuffled.iter().enumerate() {
            let e = &b.entities[b.entity_of[i]];
            prop_assert!(e.members.iter().any(|&m| shuffled[m].record_id == rec.record_id));
        }
    }
}

/// Survivors come in the order the entities are given, whatever it is:
/// each is moved into place from its first record (or its merged record).
#[test]
fn survivors_follow_the_entity_order_given() {
    let records = mixed();
    let r = run(&records);
    assert!(r.entities.iter().any(|e| e.merged.is_some()));
    assert!(r.entities.iter().any(|e| e.merged.is_none()));
    let in_order = survivors_of(&records, &r);
    let mut reversed = r.entities.clone();
    reversed.reverse();
    let mut got = crate::resolve::survivors(reversed, records.clone(), &Default::default());
    got.reverse();
    assert_eq!(got, in_order);
    for (s, e) in in_order.iter().zip(&r.entities) {
        assert_eq!(s.candidate_id, e.candidate_id);
        if e.merged.is_none() {
            assert_eq!(s.record_id, records[e.members[0]].record_id);
        }
    }
}

#[test]
fn ids_order_like_strings_past_their_first_eight_bytes() {
    // Shared 8-byte prefixes, ids shorter than eight bytes, one a prefix
    // of another, non-ASCII bytes and repeats (kept in input order).
    let ids = [
        "R00000000b",
        "R0000000",
        "R00000000a",
        "张三",
        "R0",
        "",
        "R00000000a",
        "R000000001",
        "Rz",
        "R00000000",
        "张",
        "R00000000a",
    ];
    let order = crate::resolve::order_by_id(&ids, |s| s);
    let mut expected: Vec<u32> = (0..ids.len() as u32).collect();
    expected.sort_by(|&a, &b| ids[a as usize].cmp(ids[b as usize]).then(a.cmp(&b)));
    assert_eq!(order, expected);
}

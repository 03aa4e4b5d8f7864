//! The sample-data storylines and the hard rules, with exact expectations
//! under the default weights (EM does not run below 1000 pairs).

use crate::model::{PersonRecord, stable_id};
use crate::resolve::compare::compare;
use crate::resolve::keys::RecordKeys;
use crate::resolve::{
    Field, HardRules, Level, RULE_CANNOT_LINK, RULE_CONFLICTING_ID, RULE_PHONES_AND_BIRTH_YEARS,
    RULE_SAME_NAME_AND_PHONE, ResolveOptions, Weights, compare_records, histogram, resolve,
};

use super::{date, groups, person, row, run, strings, survivors_of};

const PHONE: &str = "+8613800138000";
const EMAIL: &str = "zhangsan@qq.com";

/// P0001 张三: the 2019–2021 register row (phone and e-mail), the GBK export
/// (`張三`, phone), the English sheet (`Zhang San`, e-mail) and a fourth
/// Hanzi row with the e-mail.
pub(crate) fn zhang_san() -> Vec<PersonRecord> {
    vec![
        PersonRecord {
            phones: strings(&[PHONE]),
            emails: strings(&[EMAIL]),
            ..person("R1", "张三")
        },
        PersonRecord {
            phones: strings(&[PHONE]),
            ..person("R2", "張三")
        },
        PersonRecord {
            emails: strings(&[EMAIL]),
            ..person("R3", "Zhang San")
        },
        PersonRecord {
            emails: strings(&[EMAIL]),
            ..person("R4", "张三")
        },
    ]
}

#[test]
fn zhang_san_storyline_is_one_entity() {
    let records = zhang_san();
    assert_eq!(records[1].name_key.as_deref(), Some("张三"));
    assert_eq!(records[2].name_latin.as_deref(), Some("sanzhang"));
    let r = run(&records);
    assert_eq!(
        groups(&records, &r),
        vec![strings(&["R1", "R2", "R3", "R4"])]
    );
    assert_eq!(r.entity_of, vec![0, 0, 0, 0]);
    assert_eq!(r.entities[0].candidate_id, stable_id("C", &["R1"]));
    assert_eq!(r.merges.len(), 6);
    assert_eq!(
        row(&records, &r, "R1", "R2"),
        ("15.05".into(), "merge", Some(RULE_SAME_NAME_AND_PHONE))
    );
    assert_eq!(
        row(&records, &r, "R1", "R3"),
        ("12.15".into(), "merge", None)
    );
    assert_eq!(
        row(&records, &r, "R1", "R4"),
        ("14.97".into(), "merge", None)
    );
    assert_eq!(
        row(&records, &r, "R2", "R3"),
        ("2.50".into(), "separate", None)
    );
    // Name only: separate, not even review.
    assert_eq!(
        row(&records, &r, "R2", "R4"),
        ("5.32".into(), "separate", None)
    );
    assert_eq!(
        row(&records, &r, "R3", "R4"),
        ("12.15".into(), "merge", None)
    );
    let levels: Vec<(&str, &str)> = r.merges[1].level_names().take(3).collect();
    assert_eq!(
        levels,
        vec![("name", "close"), ("phone", "missing"), ("email", "exact")]
    );

    let all = survivors_of(&records, &r);
    let s = &all[0];
    assert_eq!(s.name.as_deref(), Some("张三"));
    assert_eq!(s.phones, strings(&[PHONE]));
    assert_eq!(s.emails, strings(&[EMAIL]));
    let lost: Vec<(&str, &str, &str)> = r
        .conflicts
        .iter()
        .map(|c| (c.field.as_str(), c.value.as_str(), c.record_id.as_str()))
        .collect();
    assert_eq!(
        lost,
        vec![("name", "張三", "R2"), ("name", "Zhang San", "R3")]
    );
}

#[test]
fn a_single_pair_compares_like_resolve_scores_it() {
    let records = zhang_san();
    let c = compare_records(&records[0], &records[1], &Weights::defaults());
    assert_eq!(format!("{:.2}", c.score), "15.05");
    assert_eq!(c.levels[Field::Name.index()], Level::Exact);
    assert_eq!(c.levels[Field::Email.index()], Level::Missing);
}

#[test]
fn histogram_bins_are_two_bits_wide_and_open_ended() {
    let h = histogram([-25.0, -20.0, -19.9, 0.5, 29.0, 31.0].into_iter());
    assert_eq!(h.len(), 25);
    assert_eq!(h[0], (-20.0, 3));
    assert_eq!(h[10], (0.0, 1));
    assert_eq!(h[24], (28.0, 2));
    assert_eq!(h.iter().map(|(_, n)| n).sum::<u64>(), 6);
}

#[test]
fn without_a_bridging_identifier_a_name_alone_does_not_merge() {
    // The same four rows, but the register row has no e-mail: nothing but
    // the name connects the phone rows to the e-mail rows.
    let mut records = zhang_san();
    records[0].emails.clear();
    let r = run(&records);
    assert_eq!(
        groups(&records, &r),
        vec![strings(&["R1", "R2"]), strings(&["R3", "R4"])]
    );
    assert_eq!(
        row(&records, &r, "R1", "R4"),
        ("5.32".into(), "separate", None)
    );
    assert_eq!(
        row(&records, &r, "R1", "R3"),
        ("2.50".into(), "separate", None)
    );
}

/// Two different 张伟 (P0003, P0004) and a third row that looks like each
/// of them in one way: W1's e-mail, W2's birth date, no phone.
fn zhang_wei(city: Option<&str>) -> Vec<PersonRecord> {
    let city: Option<Box<str>> = city.map(Box::from);
    vec![
        PersonRecord {
            phones: strings(&["+8613643164634"]),
            emails: strings(&["zw85@163.com"]),
            birth_date: date(1985, 3, 1),
            city: city.clone(),
            ..person("W1", "张伟")
        },
        PersonRecord {
            phones: strings(&["+8619945318496"]),
            birth_date: date(1996, 7, 1),
            city: city.clone(),
            ..person("W2", "张　伟")
        },
        PersonRecord {
            emails: strings(&["zw85@163.com"]),
            birth_date: date(1996, 7, 1),
            city,
            ..person("W3", "张伟")
        },
    ]
}

#[test]
fn two_zhang_wei_stay_apart_despite_a_chaining_record() {
    let records = zhang_wei(Some("杭州"));
    let r = run(&records);
    assert_eq!(
        groups(&records, &r),
        vec![strings(&["W1"]), strings(&["W2", "W3"])]
    );
    assert_eq!(
        row(&records, &r, "W1", "W2"),
        (
            "-0.44".into(),
            "separate",
            Some(RULE_PHONES_AND_BIRTH_YEARS)
        )
    );
    assert_eq!(
        row(&records, &r, "W2", "W3"),
        ("17.14".into(), "merge", None)
    );
    // W1~W3 scores as a match on its own, but W3 is already with W2.
    assert_eq!(
        row(&records, &r, "W1", "W3"),
        ("11.95".into(), "review", Some(RULE_CANNOT_LINK))
    );
}

#[test]
fn chaining_is_refused_even_when_the_two_were_never_compared() {
    // Without a city the two 张伟 share no block at all.
    let records = zhang_wei(None);
    let r = run(&records);
    assert_eq!(r.merges.len(), 2);
    assert_eq!(
        groups(&records, &r),
        vec![strings(&["W1"]), strings(&["W2", "W3"])]
    );
    assert_eq!(row(&records, &r, "W1", "W3").2, Some(RULE_CANNOT_LINK));
}

#[test]
fn a_bare_name_joins_nobody() {
    let mut records = zhang_wei(None);
    records[2] = person("W3", "张伟");
    let r = run(&records);
    assert!(r.merges.is_empty());
    assert_eq!(r.entities.len(), 3);
}

fn same_name_phone_other_id() -> Vec<PersonRecord> {
    vec![
        PersonRecord {
            phones: strings(&[PHONE]),
            id_number: Some("110101199003074514".into()),
            ..person("I1", "张三")
        },
        PersonRecord {
            phones: strings(&[PHONE]),
            id_number: Some("330106198806152216".into()),
            ..person("I2", "张三")
        },
    ]
}

#[test]
fn conflicting_id_numbers_never_merge() {
    let records = same_name_phone_other_id();
    let r = run(&records);
    assert_eq!(r.entities.len(), 2);
    assert_eq!(
        row(&records, &r, "I1", "I2"),
        ("8.41".into(), "separate", Some(RULE_CONFLICTING_ID))
    );

    let mut opts = ResolveOptions::default();
    opts.rules.never_conflicting_id = false;
    let r = resolve(&records, None, &opts);
    assert_eq!(r.entities.len(), 1);
    assert_eq!(
        row(&records, &r, "I1", "I2"),
        ("8.41".into(), "merge", Some(RULE_SAME_NAME_AND_PHONE))
    );

    // With every hard rule off the score alone decides (8.41 ≥ 8, phone agrees).
    opts.rules = HardRules {
        never_conflicting_id: false,
        never_different_phones_and_birth_years: false,
        always_same_name_and_phone: false,
    };
    let r = resolve(&records, None, &opts);
    assert_eq!(
        row(&records, &r, "I1", "I2"),
        ("8.41".into(), "merge", None)
    );
    opts.threshold = 9.0;
    let r = resolve(&records, None, &opts);
    assert_eq!(
        row(&records, &r, "I1", "I2"),
        ("8.41".into(), "review", None)
    );
    assert_eq!(r.entities.len(), 2);
}

#[test]
fn heteronym_surnames_match_by_name_key() {
    let keys = |name: &str| RecordKeys::from_record(&person("X", name));
    for (hanzi, latin) in [
        ("单雄信", "Shan Xiongxin"),
        ("单雄信", "Xiongxin Shan"),
        ("曾小贤", "Zeng Xiaoxian"),
        ("曾小贤", "ZENG Xiaoxian"),
        ("吕志强", "Lyu Zhiqiang"),
        ("吕志强", "Lv Zhiqiang"),
        ("区嘉欣", "Ou Jiaxin"),
    ] {
        let c = compare(&keys(hanzi), &keys(latin));
        assert_eq!(
            c.level(crate::resolve::Field::Name),
            Level::Close,
            "{hanzi} {latin}"
        );
        assert!(c.name_key_shared, "{hanzi} {latin}");
    }
    // The dictionary reading of the surname is not a key.
    assert!(!compare(&keys("单雄信"), &keys("Dan Xiongxin")).name_key_shared);
    assert!(!compare(&keys("曾小贤"), &keys("Ceng Xiaoxian")).name_key_shared);

    let records = vec![
        PersonRecord {
            phones: strings(&["+8613911112222"]),
            ..person("H1", "单雄信")
        },
        PersonRecord {
            phones: strings(&["+8613911112222"]),
            ..person("H2", "Shan Xiongxin")
        },
        PersonRecord {
            emails: strings(&["zxx@163.com"]),
            ..person("H3", "曾小贤")
        },
        PersonRecord {
            emails: strings(&["zxx@163.com"]),
            ..person("H4", "Zeng Xiaoxian")
        },
    ];
    let r = run(&records);
    assert_eq!(
        groups(&records, &r),
        vec![strings(&["H1", "H2"]), strings(&["H3", "H4"])]
    );
    assert_eq!(
        row(&records, &r, "H1", "H2").2,
        Some(RULE_SAME_NAME_AND_PHONE)
    );
    assert_eq!(
        row(&records, &r, "H3", "H4"),
        ("12.15".into(), "merge", None)
    );
}

fn applied(
    position: &str,
    y: i32,
    m: u32,
    d: u32,
) -> Vec<(std::sync::Arc<str>, chrono::NaiveDate)> {
    vec![(position.into(), date(y, m, d).unwrap())]
}

/// An interview sheet's rows that give only the name join the application
/// of the same name for the same position in the same fortnight; a row
/// for another position, or months later, does not.
#[test]
fn interview_rows_without_contact_details_join_their_application() {
    let records = vec![
        PersonRecord {
            phones: strings(&["+8613900001111"]),
            applied: applied("title:数据分析师", 2024, 2, 1),
            ..person("R1", "马春博")
        },
        PersonRecord {
            applied: applied("title:数据分析师", 2024, 2, 12),
            ..person("R2", "马春博")
        },
        PersonRecord {
            applied: applied("title:数据分析师", 2024, 2, 14),
            ..person("R3", "Ma Chunbo")
        },
        PersonRecord {
            applied: applied("title:数据分析师", 2024, 9, 1),
            ..person("R4", "马春博")
        },
        PersonRecord {
            applied: applied("title:销售经理", 2024, 2, 3),
            ..person("R5", "马春博")
        },
    ];
    let r = run(&records);
    assert_eq!(
        groups(&records, &r),
        vec![
            strings(&["R1", "R2", "R3"]),
            strings(&["R4"]),
            strings(&["R5"])
        ]
    );
    let (_, decision, rule) = row(&records, &r, "R1", "R2");
    assert_eq!(
        (decision, rule),
        ("merge", Some(super::super::RULE_SAME_APPLICATION))
    );
    // Namesakes months apart with nothing else to compare are not even
    // candidates: the name + application key keeps them in different blocks.
    assert!(
        !r.merges
            .iter()
            .any(|m| super::pair_ids(&records, &r, m) == ("R1", "R4"))
    );
}

/// Two namesakes with their own phones interviewing for the same job that
/// month: a row with only the name could be either, so it is left for a
/// reviewer rather than guessed, and the two stay apart.
#[test]
fn a_name_only_row_between_two_namesakes_is_not_guessed() {
    let records = vec![
        PersonRecord {
            phones: strings(&["+8613900001111"]),
            applied: applied("title:go后端工程师", 2024, 7, 20),
            ..person("R1", "陈峰")
        },
        PersonRecord {
            phones: strings(&["+8613900002222"]),
            applied: applied("title:go后端工程师", 2024, 7, 26),
            ..person("R2", "陈峰")
        },
        PersonRecord {
            applied: applied("title:go后端工程师", 2024, 7, 23),
            ..person("R3", "陈峰")
        },
    ];
    let r = run(&records);
    assert_eq!(
        groups(&records, &r),
        vec![strings(&["R1"]), strings(&["R2"]), strings(&["R3"])]
    );
    for other in ["R1", "R2"] {
        let (_, decision, rule) = row(&records, &r, other, "R3");
        assert_eq!(
            (decision, rule),
            ("review", Some(super::super::RULE_AMBIGUOUS_APPLICATION)),
            "{other}"
        );
    }
}

/// An interview row `李立` between two `Li Li`s of that month: the one
/// whose phone belongs to a `李丽` (same pinyin, other characters) is not the
/// person the row names, so the row joins the other `Li Li`; its links to
/// the `李丽` side go to review.
#[test]
fn a_name_only_row_skips_the_namesake_known_by_other_characters() {
    let two = |p: &str, (m1, d1), (m2, d2)| {
        let mut a = applied(p, 2024, m1, d1);
        a.extend(applied(p, 2024, m2, d2));
        a
    };
    let records = vec![
        PersonRecord {
            phones: strings(&["+8613900001111"]),
            applied: two("title:销售经理", (12, 2), (12, 13)),
            ..person("R1", "Li Li")
        },
        PersonRecord {
            phones: strings(&["+8613900002222"]),
            applied: two("title:销售经理", (12, 3), (12, 14)),
            ..person("R2", "Li Li")
        },
        PersonRecord {
            phones: strings(&["+8613900002222"]),
            applied: applied("title:销售经理", 2024, 12, 13),
            ..person("R3", "李丽")
        },
        PersonRecord {
            applied: applied("title:销售经理", 2024, 12, 19),
            ..person("R4", "李立")
        },
    ];
    let r = run(&records);
    assert_eq!(
        groups(&records, &r),
        vec![strings(&["R1", "R4"]), strings(&["R2", "R3"])]
    );
    assert_eq!(
        row(&records, &r, "R1", "R4").2,
        Some(super::super::RULE_SAME_APPLICATION_CHARACTERS)
    );
    for other in ["R2", "R3"] {
        let (_, decision, rule) = row(&records, &r, other, "R4");
        assert_eq!(
            (decision, rule),
            ("review", Some(super::super::RULE_AMBIGUOUS_APPLICATION)),
            "{other}"
        );
    }
}

/// Namesakes who share everything soft (city, school, company, gender)
/// reach the threshold without an agreeing identifier. When both hold a
/// phone and the phones differ, they are separated without review; when
/// one has no phone, a reviewer decides.
#[test]
fn a_disagreeing_identifier_separates_namesakes_without_review() {
    let soft = |id: &str, phones: &[&str]| PersonRecord {
        phones: strings(phones),
        gender: Some("male"),
        city: Some("杭州".into()),
        school: Some("浙江大学".into()),
        current_company: Some("阿里巴巴".into()),
        ..person(id, "张伟")
    };
    let records = vec![
        soft("W1", &["+8613800138001"]),
        soft("W2", &["+8613900139002"]),
        soft("W3", &[]),
    ];
    let r = run(&records);
    let opts = ResolveOptions::default();
    let (score, decision, rule) = row(&records, &r, "W1", "W2");
    assert!(score.parse::<f64>().unwrap() >= opts.threshold, "{score}");
    assert_eq!(
        (decision, rule),
        ("separate", Some(super::super::RULE_IDENTIFIER_DISAGREES))
    );
    let (score, decision, rule) = row(&records, &r, "W1", "W3");
    assert!(score.parse::<f64>().unwrap() >= opts.threshold, "{score}");
    assert_eq!(
        (decision, rule),
        ("review", Some(super::super::RULE_NO_IDENTIFIER))
    );
    assert_eq!(r.entities.len(), 3);
}

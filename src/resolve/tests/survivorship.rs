//! Survivorship: source priority, keep-all, most recent and most complete,
//! overrides, `extra` columns, and the one-member fast path.

use crate::model::{PersonDetails, PersonRecord, stable_id};
use crate::resolve::survive::{survive, survive_merged};
use crate::resolve::{Conflict, ResolveOptions, Rule, SurvivorshipOverrides, resolve};

use super::{date, person, run, strings, survivors_of};

fn survivorship_records() -> Vec<PersonRecord> {
    vec![
        PersonRecord {
            phones: strings(&["+8613800000001"]),
            emails: strings(&["e1@qq.com"]),
            current_company: Some("甲公司".into()),
            school: Some("浙江大学".into()),
            last_contact_at: date(2023, 5, 8),
            notes: strings(&["re-applied"]),
            ..person("S1", "Zhang San")
        },
        PersonRecord {
            priority: 5,
            phones: strings(&["+8613800000002", "+8613800000001"]),
            current_company: Some("乙公司".into()),
            school: Some("浙江大学计算机学院".into()),
            last_contact_at: date(2021, 4, 10),
            details: PersonDetails {
                skills: strings(&["销售"]),
                ..Default::default()
            }
            .boxed(),
            ..person("S2", "張三")
        },
        PersonRecord {
            phones: strings(&["+8613800000001"]),
            emails: strings(&["e1@qq.com", "e2@163.com"]),
            current_company: Some("丙公司".into()),
            details: PersonDetails {
                skills: strings(&["CRM", "销售"]),
                ..Default::default()
            }
            .boxed(),
            ..person("S3", "张三")
        },
    ]
}

fn conflict_list(conflicts: &[Conflict]) -> Vec<(&str, &str, &str)> {
    conflicts
        .iter()
        .map(|c| (c.field.as_str(), c.value.as_str(), c.record_id.as_str()))
        .collect()
}

#[test]
fn survivorship_defaults() {
    let records = survivorship_records();
    let r = run(&records);
    assert_eq!(r.entities.len(), 1);
    let all = survivors_of(&records, &r);
    let s = &all[0];
    assert_eq!(s.record_id, "S1");
    assert_eq!(s.candidate_id, stable_id("C", &["S1"]));
    assert_eq!(s.priority, 5);
    // Source priority: S2 (priority 5) wins the name, keys travel with it.
    assert_eq!(s.name.as_deref(), Some("張三"));
    assert_eq!(s.name_key.as_deref(), Some("张三"));
    assert_eq!(s.name_latin, None);
    // Keep-all: S2's values first (highest priority), then record order.
    assert_eq!(s.phones, strings(&["+8613800000002", "+8613800000001"]));
    assert_eq!(s.emails, strings(&["e1@qq.com", "e2@163.com"]));
    assert_eq!(s.details().skills, strings(&["销售", "CRM"]));
    assert_eq!(s.notes, strings(&["re-applied"]));
    // Most recent (last contact 2023) and most complete.
    assert_eq!(s.current_company.as_deref(), Some("甲公司"));
    assert_eq!(s.school.as_deref(), Some("浙江大学计算机学院"));
    assert_eq!(s.last_contact_at, date(2023, 5, 8));
    assert_eq!(
        conflict_list(&r.conflicts),
        vec![
            ("name", "Zhang San", "S1"),
            ("name", "张三", "S3"),
            ("school", "浙江大学", "S1"),
            ("current_company", "乙公司", "S2"),
            ("current_company", "丙公司", "S3"),
            ("last_contact_at", "2021-04-10", "S2"),
        ]
    );
    assert!(r.conflicts.iter().all(|c| c.candidate_id == s.candidate_id));
}

#[test]
fn survivorship_overrides() {
    let records = survivorship_records();
    let opts = ResolveOptions {
        survivorship: SurvivorshipOverrides {
            name: Some(Rule::MostRecent),
            phones: Some(Rule::MostRecent),
            current_company: Some(Rule::SourcePriority),
            ..Default::default()
        },
        ..Default::default()
    };
    let r = resolve(&records, None, &opts);
    let all = crate::resolve::survivors(r.entities.clone(), records.clone(), &opts.survivorship);
    let s = &all[0];
    assert_eq!(s.name.as_deref(), Some("Zhang San"));
    assert_eq!(s.name_latin.as_deref(), Some("sanzhang"));
    assert_eq!(s.phones, strings(&["+8613800000001"]));
    assert_eq!(s.current_company.as_deref(), Some("乙公司"));
    assert_eq!(
        conflict_list(&r.conflicts),
        vec![
            ("name", "張三", "S2"),
            ("name", "张三", "S3"),
            ("phones", "+8613800000002", "S2"),
            ("school", "浙江大学", "S1"),
            ("current_company", "甲公司", "S1"),
            ("current_company", "丙公司", "S3"),
            ("last_contact_at", "2021-04-10", "S2"),
        ]
    );
}

#[test]
fn extra_columns_merge_with_conflicts() {
    let mut records = survivorship_records();
    records[0].extra.insert("年龄", "35");
    records[1].extra.insert("年龄", "33");
    records[2].extra.insert("来源", "内推");
    let r = run(&records);
    let all = survivors_of(&records, &r);
    let extra: Vec<(&str, &str)> = all[0].extra.iter().collect();
    assert_eq!(extra, vec![("年龄", "33"), ("来源", "内推")]);
    assert!(
        conflict_list(&r.conflicts).contains(&("extra.年龄", "35", "S1")),
        "{:?}",
        r.conflicts
    );
}

#[test]
fn a_single_member_survives_as_itself() {
    let r = PersonRecord {
        record_id: "R1".into(),
        name: Some("张三".into()),
        name_key: Some("张三".into()),
        phones: vec!["+8613800138000".into(), "+8613800138000".into()],
        id_type: Some("other"),
        details: PersonDetails {
            province: Some("浙江".into()),
            ..Default::default()
        }
        .boxed(),
        salary_negotiable: true,
        extra: [("年龄", "35")].into_iter().collect(),
        ..Default::default()
    };
    let rules = SurvivorshipOverrides::default();
    let fast = survive("C1", &[&r], &rules);
    // The general path gives the same record.
    assert_eq!(fast, survive_merged("C1", &[&r], &rules));
    assert_eq!(fast.0.phones, vec!["+8613800138000"]);
    assert_eq!(fast.0.id_type, Some("other"));
    assert_eq!(fast.0.candidate_id, "C1");
    assert!(fast.1.is_empty());
}

#[test]
fn do_not_contact_on_any_member_binds_the_entity() {
    let a = PersonRecord {
        record_id: "R1".into(),
        ..Default::default()
    };
    let b = PersonRecord {
        record_id: "R2".into(),
        do_not_contact: true,
        ..Default::default()
    };
    let (s, conflicts) = survive("C1", &[&a, &b], &SurvivorshipOverrides::default());
    assert!(s.do_not_contact);
    assert_eq!(s.record_id, "R1");
    assert!(conflicts.is_empty());
}

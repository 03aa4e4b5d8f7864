//! Tables for the synonym lookup, the key form, skill sets and overrides.

use super::*;

/// (candidate lists, position asks for, met?)
const MEETS: &[(&str, &str, bool)] = &[
    ("Golang", "Go", true),
    ("golang", "Go", true),
    ("GO语言", "Go", true),
    ("Ｇｏｌａｎｇ", "go", true),
    ("Go", "Golang", true),
    ("sql", "SQL", true),
    ("SQL优化", "SQL", true),
    ("MySQL", "SQL", true),
    ("SQL", "MySQL", false),
    ("Hive", "SQL", true),
    ("销售", "sales", true),
    ("sales", "销售", true),
    ("销售经验", "销售", true),
    ("To B销售", "销售", true),
    ("KA", "大客户", true),
    ("key account", "大客户", true),
    ("大客户开发", "大客户", true),
    ("大客户", "销售", true),
    ("销售", "大客户", false),
    ("py", "Python", true),
    ("Python3", "Python", true),
    ("表格", "Excel", true),
    ("EXCEL（熟练）", "Excel", true),
    ("熟练掌握Excel", "Excel", true),
    ("React.js", "React", true),
    ("React", "JavaScript", true),
    ("JS", "JavaScript", true),
    ("k8s", "Kubernetes", true),
    ("PowerBI", "Power BI", true),
    ("统计分析", "统计学", true),
    ("沟通能力", "沟通", true),
    ("Tableau", "tableau", true),
    ("客服经验", "客服", true),
    ("Java", "JavaScript", false),
    ("Go", "Python", false),
    ("", "Go", false),
];

#[test]
fn synonyms_table() {
    let table = SkillTable::builtin();
    for (has, needs, expected) in MEETS {
        let set = SkillSet::new(table, &[*has]);
        assert_eq!(set.meets(needs), *expected, "{has:?} meets {needs:?}");
    }
}

#[test]
fn keys_fold_case_width_space_and_remarks() {
    assert_eq!(skill_key("ＧＯ 语言"), "go语言");
    assert_eq!(skill_key("Excel（熟练）"), "excel");
    assert_eq!(skill_key("【Java】"), "java");
    assert_eq!(skill_key("Power BI"), "powerbi");
    assert_eq!(skill_key("  "), "");
}

#[test]
fn resolve_names_the_canonical_skill() {
    let table = SkillTable::builtin();
    let go = table.resolve("golang").unwrap();
    assert_eq!(go.name, "Go");
    assert!(go.known);
    assert_eq!(go.id, SkillId::of_key("go"));
    let odd = table.resolve(" Figma ").unwrap();
    assert_eq!(odd.name, "Figma");
    assert!(!odd.known);
    assert_eq!(odd.id, SkillId::of_key("figma"));
    assert_eq!(table.resolve(" "), None);
}

#[test]
fn sets_are_sorted_deduplicated_and_include_implications() {
    let table = SkillTable::builtin();
    let set = SkillSet::new(table, &["MySQL", "sql", "Golang", "Go"]);
    let mut expected = vec![
        SkillId::of_key("mysql"),
        SkillId::of_key("sql"),
        SkillId::of_key("go"),
    ];
    expected.sort();
    assert_eq!(set.ids(), expected.as_slice());
    assert!(SkillSet::empty(table).is_empty());
}

#[test]
fn fnv_matches_reference_values() {
    // FNV-1a 64 reference vectors.
    assert_eq!(SkillId::of_key("").0, 0xcbf2_9ce4_8422_2325);
    assert_eq!(SkillId::of_key("a").0, 0xaf63_dc4c_8601_ec8c);
}

#[test]
fn builtin_names_are_unique() {
    let names = SkillTable::builtin().names();
    let mut keys: Vec<String> = names.iter().map(|n| skill_key(n)).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), names.len());
    assert!(names.len() >= 40);
}

#[test]
fn overrides_add_skills_aliases_and_implications() {
    let extra: toml::Table = r#"
        [skills.Go]
        aliases = ["gopher"]
        [skills.ClickHouse]
        aliases = ["ck"]
        implies = ["SQL"]
    "#
    .parse()
    .unwrap();
    let table = Arc::new(SkillTable::builtin().with_overrides(&extra).unwrap());
    assert!(SkillSet::new(&table, &["gopher"]).meets("Go"));
    assert!(SkillSet::new(&table, &["ck"]).meets("SQL"));
    assert!(SkillSet::new(&table, &["Golang"]).meets("Go"));
    // The built-in table is untouched.
    assert!(!SkillSet::new(SkillTable::builtin(), &["gopher"]).meets("Go"));
}

#[test]
fn override_moves_an_alias() {
    let extra: toml::Table = r#"
        [skills.TeamSpeak]
        aliases = ["ts"]
    "#
    .parse()
    .unwrap();
    let table = Arc::new(SkillTable::builtin().with_overrides(&extra).unwrap());
    assert!(!SkillSet::new(&table, &["ts"]).meets("TypeScript"));
    assert!(SkillSet::new(&table, &["ts"]).meets("TeamSpeak"));
}

#[test]
fn override_errors_are_all_reported() {
    let bad: toml::Table = r#"
        [skills.Foo]
        aliases = "foo"
        implies = ["NoSuchSkill"]
        colour = 1
        [skills.Bar]
        aliases = ["Go"]
        [extras]
        x = 1
    "#
    .parse()
    .unwrap();
    let mut errors = SkillTable::builtin().with_overrides(&bad).unwrap_err();
    // Sections and skills are visited in the TOML map's order; compare
    // as a set.
    errors.sort();
    assert_eq!(
        errors,
        vec![
            "skills table, skill 'Bar': 'Go' is a skill of its own and cannot become an alias",
            "skills table, skill 'Foo', aliases: expected an array of strings",
            "skills table, skill 'Foo': unknown field 'colour'; expected aliases or implies",
            "skills table: unknown section [extras]; expected [qualifiers] or [skills.\"<name>\"]",
        ]
    );
    let unknown: toml::Table = r#"
        [skills.Foo]
        implies = ["NoSuchSkill"]
    "#
    .parse()
    .unwrap();
    assert_eq!(
        SkillTable::builtin().with_overrides(&unknown).unwrap_err(),
        vec!["skills table, skill 'Foo': implies unknown skill 'NoSuchSkill'"]
    );
}

#[test]
fn duplicate_spellings_in_one_source_are_errors() {
    let source: toml::Table = r#"
        [skills.A]
        aliases = ["x"]
        [skills.B]
        aliases = ["X"]
    "#
    .parse()
    .unwrap();
    let mut spec = Spec::default();
    merge(&mut spec, &source, false).unwrap();
    assert_eq!(
        SkillTable::build(spec).unwrap_err(),
        vec!["skills table: 'X' is claimed by both 'A' and 'B'"]
    );
}

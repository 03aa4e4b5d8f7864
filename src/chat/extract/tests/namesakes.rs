//! Names and short forms shared by many people: the lists are shared with
//! the index and an ambiguous mention names its first candidates by id and
//! counts the rest. Each expectation is worked out here the plain way
//! (every candidate id as a string, sorted, deduplicated).

use super::*;
use crate::chat::extract::people::{Index, Party, People};

fn person(id: &str, name: &str) -> KnownPerson {
    KnownPerson {
        candidate_id: id.to_string(),
        name: name.to_string(),
        name_key: name.to_string(),
        phones: Vec::new(),
        emails: Vec::new(),
    }
}

/// The first [`AMBIGUOUS_NAMED`] distinct ids, sorted, and how many more.
fn plain(ids: &[&str]) -> (Vec<String>, usize) {
    let mut all: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    all.sort();
    all.dedup();
    let more = all.len().saturating_sub(AMBIGUOUS_NAMED);
    all.truncate(AMBIGUOUS_NAMED);
    (all, more)
}

const GIVEN: [&str; 16] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
];

/// 张 people whose ids are not in record order, two records per id for
/// some, and other people around them.
fn zhangs() -> Vec<KnownPerson> {
    let mut people = Vec::new();
    for (i, g) in GIVEN.iter().enumerate() {
        let id = format!("C{:03}", (i * 7) % 16);
        people.push(person(&id, &format!("张{g}")));
        people.push(person(&format!("D{i:03}"), &format!("李{g}")));
        if i % 5 == 0 {
            people.push(person(&id, &format!("张{g}")));
        }
    }
    people
}

#[test]
fn a_common_surname_names_ten_and_counts_the_rest() {
    let people = zhangs();
    let messages = [message("t", 1, MONDAY, "孙悦", "小张不合适")];
    let ex = extract(&messages, &people, Phrases::builtin(), "CN");
    let ids: Vec<&str> = people
        .iter()
        .filter(|p| p.name.starts_with('张'))
        .map(|p| p.candidate_id.as_str())
        .collect();
    let (candidates, others) = plain(&ids);
    assert_eq!(others, 6);
    assert_eq!(ex.ambiguous.len(), 1);
    let a = &ex.ambiguous[0];
    assert_eq!(
        (a.mention.as_str(), &a.candidates, a.others),
        ("小张", &candidates, others)
    );
}

#[test]
fn a_given_name_shared_by_many_active_people() {
    // Fourteen people called 思琪, twelve of them named in the chat.
    let surnames = [
        "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    ];
    let people: Vec<KnownPerson> = surnames
        .iter()
        .enumerate()
        .map(|(i, s)| person(&format!("S{:02}", (i * 5) % 14), &format!("{s}思琪")))
        .collect();
    let mut messages: Vec<Message> = people[..12]
        .iter()
        .enumerate()
        .map(|(i, p)| message("t", i + 1, MONDAY, "孙悦", &format!("{}面完了", p.name)))
        .collect();
    messages.push(message("t", 13, MONDAY, "孙悦", "思琪怎么样"));
    let ex = extract(&messages, &people, Phrases::builtin(), "CN");
    let active: Vec<&str> = people[..12]
        .iter()
        .map(|p| p.candidate_id.as_str())
        .collect();
    let (candidates, others) = plain(&active);
    let found: Vec<(&str, &Vec<String>, usize)> = ex
        .ambiguous
        .iter()
        .filter(|a| a.line == 13)
        .map(|a| (a.mention.as_str(), &a.candidates, a.others))
        .collect();
    assert_eq!(others, 2);
    assert_eq!(found, vec![("思琪", &candidates, others)]);
    assert!(ex.events.iter().all(|e| e.line < 13));

    // With one of them named, the short form is theirs.
    let mut messages = vec![message("t", 1, MONDAY, "孙悦", "高思琪面完了")];
    messages.push(message("t", 2, MONDAY, "孙悦", "思琪不合适"));
    let ex = extract(&messages, &people, Phrases::builtin(), "CN");
    assert_eq!(ex.ambiguous, vec![]);
    let decision = ex
        .events
        .iter()
        .find(|e| e.line == 2 && e.kind == ChatEventKind::Decision)
        .expect("a decision");
    assert_eq!(
        (&decision.person, decision.confidence),
        (&PersonRef::Known(people[13].candidate_id.clone()), 0.6)
    );
}

#[test]
fn candidates_of_known_people_and_leads_sort_as_their_ids() {
    // Known ids out of order, repeated, and one spelled like a lead.
    let ids = [
        "K9", "K1", "lead:1", "K1", "A5", "K10", "lead:3", "Z", "K2", "A5",
    ];
    let people: Vec<KnownPerson> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| person(id, &format!("王{}", GIVEN[i])))
        .collect();
    let known = Index::new(&people, Phrases::builtin(), "CN");
    let mut index = People::new(&known);
    let first_lead = ids.len();
    for lead in 0..12 {
        let party = Party {
            person: PersonRef::Lead(lead),
            phones: Vec::new(),
            emails: Vec::new(),
            wechat: None,
        };
        assert_eq!(
            index.add_lead(party, None, Phrases::builtin()),
            first_lead + lead
        );
    }
    let label = |p: usize| {
        if p < first_lead {
            ids[p].to_string()
        } else {
            format!("lead:{}", p - first_lead)
        }
    };
    let lists: [Vec<usize>; 5] = [
        (0..ids.len()).collect(),
        (0..ids.len() + 12).collect(),
        vec![1, 3, first_lead + 1, first_lead + 3, first_lead + 10],
        (first_lead..first_lead + 12).collect(),
        vec![2],
    ];
    for list in lists {
        let labels: Vec<String> = list.iter().map(|&p| label(p)).collect();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        assert_eq!(
            index.candidates(&list, AMBIGUOUS_NAMED),
            plain(&refs),
            "{list:?}"
        );
    }
}

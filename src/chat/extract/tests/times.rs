//! Dates and clock times resolved against the message time.

use super::super::when::find;
use super::*;
use crate::rules::match_form;

#[test]
fn time_table() {
    // (message time, text, [(resolved, factor)])
    type Row = (&'static str, &'static str, &'static [(&'static str, f32)]);
    let table: &[Row] = &[
        // Monday 2024-05-06.
        (MONDAY, "下周三下午两点", &[("2024-05-15 14:00", 1.0)]),
        (MONDAY, "这周三下午两点", &[("2024-05-08 14:00", 1.0)]),
        (MONDAY, "本周五上午10点", &[("2024-05-10 10:00", 1.0)]),
        (MONDAY, "上周五下午3点", &[("2024-05-03 15:00", 1.0)]),
        (MONDAY, "周五 14:00", &[("2024-05-10 14:00", 0.9)]),
        (MONDAY, "星期一上午九点", &[("2024-05-06 09:00", 0.9)]),
        (MONDAY, "礼拜天下午", &[("2024-05-12 00:00", 0.63)]),
        (MONDAY, "明天上午10点", &[("2024-05-07 10:00", 1.0)]),
        (MONDAY, "后天下午三点半", &[("2024-05-08 15:30", 1.0)]),
        (MONDAY, "大后天上午十点一刻", &[("2024-05-09 10:15", 1.0)]),
        (MONDAY, "今晚7点", &[("2024-05-06 19:00", 1.0)]),
        (MONDAY, "明早九点", &[("2024-05-07 09:00", 1.0)]),
        (MONDAY, "明天中午12点半", &[("2024-05-07 12:30", 1.0)]),
        (MONDAY, "明天中午1点", &[("2024-05-07 13:00", 1.0)]),
        (MONDAY, "明天两点", &[("2024-05-07 14:00", 0.9)]),
        (MONDAY, "明天十二点", &[("2024-05-07 12:00", 1.0)]),
        (MONDAY, "明天8点", &[("2024-05-07 08:00", 1.0)]),
        (MONDAY, "下午两点", &[("2024-05-06 14:00", 0.8)]),
        (MONDAY, "3月5日下午3点", &[("2024-03-05 15:00", 1.0)]),
        (MONDAY, "5月20号上午9:30", &[("2024-05-20 09:30", 1.0)]),
        (MONDAY, "5/20 下午2点", &[("2024-05-20 14:00", 1.0)]),
        (MONDAY, "2024-05-20 14:00", &[("2024-05-20 14:00", 1.0)]),
        (MONDAY, "2024年5月20日", &[("2024-05-20 00:00", 0.7)]),
        (MONDAY, "下下周一上午9点", &[("2024-05-20 09:00", 1.0)]),
        (
            MONDAY,
            "周三下午两点，周四上午10点",
            &[("2024-05-08 14:00", 0.9), ("2024-05-09 10:00", 0.9)],
        ),
        (MONDAY, "tomorrow at 10am", &[("2024-05-07 10:00", 1.0)]),
        (MONDAY, "next wednesday 2pm", &[("2024-05-15 14:00", 1.0)]),
        (MONDAY, "friday 2:30 pm", &[("2024-05-10 14:30", 0.9)]),
        (MONDAY, "on 5 june at 3pm", &[("2024-06-05 15:00", 1.0)]),
        (MONDAY, "march 5th 9am", &[("2024-03-05 09:00", 1.0)]),
        // Sunday 2024-05-12: next week starts tomorrow.
        (
            "2024-05-12 20:00",
            "下周三下午两点",
            &[("2024-05-15 14:00", 1.0)],
        ),
        (
            "2024-05-12 20:00",
            "周三下午两点",
            &[("2024-05-15 14:00", 0.9)],
        ),
        // December: January is next year.
        (
            "2023-12-20 10:00",
            "1月5日上午10点",
            &[("2024-01-05 10:00", 1.0)],
        ),
        // Not times.
        (MONDAY, "有一点紧张", &[]),
        (MONDAY, "15-20k", &[]),
        (MONDAY, "8年经验", &[]),
        (MONDAY, "13800138000", &[]),
    ];
    for (now, text, expected) in table {
        let got: Vec<(NaiveDateTime, f32)> = find(&match_form(text), dt(now))
            .iter()
            .map(|w| (w.at, (w.factor * 100.0).round() / 100.0))
            .collect();
        let expected: Vec<(NaiveDateTime, f32)> =
            expected.iter().map(|(at, f)| (dt(at), *f)).collect();
        assert_eq!(got, expected, "{text} at {now}");
    }
}

#[test]
fn clock_flag_and_spans() {
    let form = match_form("约在明晚8点，地点另说");
    let found = find(&form, dt(MONDAY));
    assert_eq!(found.len(), 1);
    assert!(found[0].clock);
    assert_eq!(&form[found[0].start..found[0].end], "明晚8点");
    let date_only = find("周三面试", dt(MONDAY));
    assert_eq!(date_only.len(), 1);
    assert!(!date_only[0].clock);
    assert_eq!(&"周三面试"[date_only[0].start..date_only[0].end], "周三");
}

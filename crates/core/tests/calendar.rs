//! The working-day calendar on the seeded table, year by year 2019–2026: the Spring Festival and
//! National Day spans and their 调休 weekends, checked by hand against the State Council notices
//! (国务院办公厅关于XXXX年部分节假日安排的通知), and the time rules counted on it.

use chrono::NaiveDate;
use gongkai_core::{due_date, time_rules_from_json, WorkCalendar};

fn cal() -> WorkCalendar {
    WorkCalendar::from_json(include_str!("../../../seeds/holidays.json")).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

// (year, Spring Festival days off (first, last), its 调休 working days,
//  National Day days off (first, last), its 调休 working days) per the notices.
/// A year: its Spring Festival and its National Day spans.
type Year = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static [&'static str],
);

const YEARS: &[Year] = &[
    (
        "2019",
        "2019-02-04",
        "2019-02-10",
        &["2019-02-02", "2019-02-03"],
        "2019-10-01",
        "2019-10-07",
        &["2019-09-29", "2019-10-12"],
    ),
    // 2020: the notice's 1-24..1-30, extended to 2-2 by the State Council (国办发明电〔2020〕1号).
    (
        "2020",
        "2020-01-24",
        "2020-02-02",
        &["2020-01-19"],
        "2020-10-01",
        "2020-10-08",
        &["2020-09-27", "2020-10-10"],
    ),
    (
        "2021",
        "2021-02-11",
        "2021-02-17",
        &["2021-02-07", "2021-02-20"],
        "2021-10-01",
        "2021-10-07",
        &["2021-09-26", "2021-10-09"],
    ),
    (
        "2022",
        "2022-01-31",
        "2022-02-06",
        &["2022-01-29", "2022-01-30"],
        "2022-10-01",
        "2022-10-07",
        &["2022-10-08", "2022-10-09"],
    ),
    (
        "2023",
        "2023-01-21",
        "2023-01-27",
        &["2023-01-28", "2023-01-29"],
        "2023-09-29",
        "2023-10-06",
        &["2023-10-07", "2023-10-08"],
    ),
    (
        "2024",
        "2024-02-10",
        "2024-02-17",
        &["2024-02-04", "2024-02-18"],
        "2024-10-01",
        "2024-10-07",
        &["2024-09-29", "2024-10-12"],
    ),
    (
        "2025",
        "2025-01-28",
        "2025-02-04",
        &["2025-01-26", "2025-02-08"],
        "2025-10-01",
        "2025-10-08",
        &["2025-09-28", "2025-10-11"],
    ),
    (
        "2026",
        "2026-02-15",
        "2026-02-23",
        &["2026-02-14", "2026-02-28"],
        "2026-10-01",
        "2026-10-07",
        &["2026-09-20", "2026-10-10"],
    ),
];

#[test]
fn spring_festival_and_national_day_every_year() {
    let c = cal();
    for (year, sf_a, sf_b, sf_work, nd_a, nd_b, nd_work) in YEARS {
        for (a, b) in [(sf_a, sf_b), (nd_a, nd_b)] {
            let mut day = d(a);
            while day <= d(b) {
                assert!(!c.is_working_day(day), "{year}: {day} should be a day off");
                day = day.succ_opt().unwrap();
            }
            assert!(c.covers(d(a)));
        }
        for w in sf_work.iter().chain(nd_work.iter()) {
            let day = d(w);
            assert!(
                matches!(day.format("%a").to_string().as_str(), "Sat" | "Sun"),
                "{w} is a weekend day made a working day"
            );
            assert!(
                c.is_working_day(day),
                "{year}: 调休 {w} should be a working day"
            );
        }
    }
}

#[test]
fn adding_working_days_across_holidays() {
    let c = cal();
    // (trigger, n, due): the trigger day is not counted.
    let cases = [
        ("2024-09-27", 3, "2024-10-08"), // Fri; 9-29 (Sun) 调休, 9-30 Mon, then 10-8
        ("2024-02-08", 3, "2024-02-19"), // Thu; 2-9 Fri, 2-18 Sun 调休, 2-19
        ("2025-01-24", 3, "2025-02-05"), // Fri; 1-26 Sun 调休, 1-27, then 2-5 after the break
        ("2023-09-28", 1, "2023-10-07"), // Thu; the break 9-29..10-6, 10-7 Sat 调休
        ("2026-02-13", 2, "2026-02-24"), // Fri; 2-14 Sat 调休, then 2-24
        ("2019-04-30", 1, "2019-05-05"), // 2019 Labour Day: 5-1..5-4 off, 5-5 Sun 调休
        ("2022-12-30", 1, "2023-01-03"), // across the year end: 2023-01-02 off (the 2023 notice)
        ("2024-03-01", 20, "2024-03-29"), // an ordinary month: 20 working days
    ];
    for (t, n, want) in cases {
        let due = c.add_working_days(d(t), n, &[]).unwrap();
        assert_eq!(due.date, d(want), "{t} + {n} WD");
        assert!(!due.provisional);
    }
}

#[test]
fn beyond_the_table_is_monday_to_friday_and_provisional() {
    let c = cal();
    let due = c.add_working_days(d("2026-12-30"), 3, &[]).unwrap();
    assert_eq!(due.date, d("2027-01-04"));
    assert!(due.provisional, "2027 is not in the table yet");
    assert!(
        !c.add_working_days(d("2026-12-21"), 3, &[])
            .unwrap()
            .provisional
    );
}

#[test]
fn pauses_do_not_count() {
    let c = cal();
    // Rule 10: 20 working days to reply; a third party's 15 working days (rule 12) are excluded.
    let rules = time_rules_from_json(include_str!("../../../seeds/time-rules.json")).unwrap();
    let reply = rules.iter().find(|r| r.id == 10).unwrap();
    let plain = due_date(&c, reply, d("2024-03-01"), &[]).unwrap();
    assert_eq!(plain.date, d("2024-03-29"));
    let paused = due_date(
        &c,
        reply,
        d("2024-03-01"),
        &[(d("2024-03-11"), d("2024-03-15"))],
    )
    .unwrap();
    assert_eq!(
        paused.date,
        d("2024-04-08"),
        "5 paused working days; 4-4 and 4-5 are 清明"
    );
}

#[test]
fn the_seeded_rules_count_as_their_units_say() {
    let c = cal();
    let rules = time_rules_from_json(include_str!("../../../seeds/time-rules.json")).unwrap();
    assert_eq!(rules.len(), 25);
    let rule = |id: u32| rules.iter().find(|r| r.id == id).unwrap();
    // Rule 1: interpretation public within 3 working days of the document's publication.
    assert_eq!(
        due_date(&c, rule(1), d("2024-09-27"), &[]).unwrap().date,
        d("2024-10-08")
    );
    // Rule 3: ≥ 30 calendar days of public comment; 2024-09-01 + 30 = 10-01, a day off → 10-08.
    assert_eq!(
        due_date(&c, rule(3), d("2024-09-01"), &[]).unwrap().date,
        d("2024-10-08")
    );
    // Rule 24: 6 months to sue; 2024-08-03 + 6 M = 2025-02-03 (春节) → 2025-02-05.
    assert_eq!(
        due_date(&c, rule(24), d("2024-08-03"), &[]).unwrap().date,
        d("2025-02-05")
    );
    // Fixed-date and frequency rules are not counted from a trigger.
    assert!(due_date(&c, rule(14), d("2024-01-01"), &[]).is_err());
    assert!(due_date(&c, rule(18), d("2024-01-01"), &[]).is_err());
}

#[test]
fn a_bad_table_is_refused() {
    // Said in Chinese, with where: serde's English never reaches the clerk.
    let e = WorkCalendar::from_json("not json").unwrap_err().to_string();
    assert_eq!(e, "节假日表格式有误：不是有效的 JSON 文件（第1行第2列）");
    let e = WorkCalendar::from_json(r#"{"years":{"2024":{"holidays":["10月1日"],"workdays":[]}}}"#)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("节假日表格式有误：内容与规定的格式不符"),
        "{e}"
    );
    assert!(WorkCalendar::from_json("{}").is_err());
    assert!(WorkCalendar::from_json(
        r#"{"years":{"2024":{"holidays":["2024-10-01"],"workdays":["2024-10-01"]}}}"#
    )
    .is_err());
}

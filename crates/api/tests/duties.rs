//! The duty board through the API at a unit's PC (治安支队): the task table's duties and the
//! catalogue items it answers for, on a given day; a duty record fulfils a duty and goes to the
//! office; a publication placed in a catalogue item keeps the item fresh for its period; what
//! no record can fulfil is refused with what can.

use gongkai_api::*;

mod common;

fn line<'a>(b: &'a DutyBoardView, id: &str, due: Option<&str>) -> &'a DutyRowView {
    b.rows
        .iter()
        .find(|r| r.duty_id == id && (due.is_none() || r.due.as_deref() == due))
        .unwrap_or_else(|| panic!("{id} {due:?} not on the board"))
}

fn board(api: &Api, period: &str, on: &str) -> DutyBoardView {
    api.duties_board(DutiesRequest {
        unit: None,
        period: Some(period.into()),
        on: Some(on.into()),
    })
    .unwrap()
}

#[test]
fn a_unit_sees_what_it_owes_and_what_fulfilled_it() {
    let dir = tempfile::tempdir().unwrap();
    let api = common::ready(dir.path()); // 治安支队, today 2026-11-23
    let b = board(&api, "2026", "2026-11-23");
    assert!(b.rows.iter().all(|r| r.unit == "zazd"));
    // The quarterly 政府工作报告 progress: nothing recorded, Q1–Q3 overdue, Q4 running.
    assert_eq!(line(&b, "T01", Some("2026-09-30")).status, "overdue");
    assert_eq!(line(&b, "T01", Some("2026-12-31")).status, "due");
    // The office's own duties are not a unit's.
    assert!(!b.rows.iter().any(|r| r.duty_id == "T09-2"));
    // The catalogue: 随机抽查 names 治安支队; 政策解读 is every unit's.
    let c21 = line(&b, "C21", None);
    assert_eq!((c21.status.as_str(), c21.recordable), ("due", false));
    assert!(c21.title.contains("随机抽查"));
    assert!(b.rows.iter().any(|r| r.duty_id == "C10"));
    assert!(b.overdue >= 3);

    // The 2025 report figures, due 31 January 2026: overdue until sent, then done (late).
    assert_eq!(line(&b, "R14", None).status, "overdue");
    api.report_figures_queue(AnnualRequest { year: 2025 })
        .unwrap();
    let sent = board(&api, "2026", "2026-11-23");
    let r14 = line(&sent, "R14", None);
    assert_eq!(r14.status, "done");
    assert!(
        r14.fulfilled_by[0].contains("2025年度报告数据"),
        "{:?}",
        r14.fulfilled_by
    );

    // A record fulfils Q3 (dated in Q3) and is kept for the office.
    let after = api
        .duties_record(DutyRecordRequest {
            duty_id: "T01".into(),
            unit: None,
            date: "2026-09-28".into(),
            note: "三季度进展已在市政府网站公开".into(),
            for_due: None,
        })
        .unwrap();
    let q3 = line(&after, "T01", Some("2026-09-30"));
    assert_eq!(q3.status, "done");
    assert_eq!(
        q3.fulfilled_by,
        vec!["2026-09-28 三季度进展已在市政府网站公开".to_string()]
    );
    // Q2 done late: the record names the quarter it answers.
    let late = api
        .duties_record(DutyRecordRequest {
            duty_id: "T01".into(),
            unit: None,
            date: "2026-10-09".into(),
            note: "二季度进展（补报）".into(),
            for_due: Some("2026-06-30".into()),
        })
        .unwrap();
    assert_eq!(line(&late, "T01", Some("2026-06-30")).status, "done");
    assert_eq!(line(&late, "T01", Some("2026-12-31")).status, "due");
    // As it stood on 20 September the record did not exist yet.
    assert_eq!(
        line(
            &board(&api, "2026", "2026-09-20"),
            "T01",
            Some("2026-09-30")
        )
        .status,
        "due"
    );
    // The quarter alone.
    let q = board(&api, "2026-Q3", "2026-11-23");
    assert!(q.rows.iter().filter(|r| r.duty_id == "T01").count() == 1);

    // Refusals say what to do.
    for (req, code) in [
        (
            DutyRecordRequest {
                duty_id: "C21".into(),
                date: "2026-11-01".into(),
                note: "x".into(),
                unit: None,
                for_due: None,
            },
            "年度报告",
        ),
        (
            DutyRecordRequest {
                duty_id: "T01".into(),
                date: "2026-12-30".into(),
                note: "x".into(),
                unit: None,
                for_due: None,
            },
            "晚于今天",
        ),
        (
            DutyRecordRequest {
                duty_id: "T01".into(),
                date: "2026-11-01".into(),
                note: " ".into(),
                unit: None,
                for_due: None,
            },
            "写明",
        ),
        (
            DutyRecordRequest {
                duty_id: "T01".into(),
                date: "2026-11-01".into(),
                note: "x".into(),
                unit: Some("jjzd".into()),
                for_due: None,
            },
            "本单位",
        ),
    ] {
        let e = api.duties_record(req).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains(code), "{}", e.message);
    }
    let e = api
        .duties_board(DutiesRequest {
            period: Some("2026-Q5".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert!(e.message.contains("季度"), "{}", e.message);

    // A document published in 随机抽查 keeps the item fresh for 90 days, then it is stale.
    let doc = api
        .doc_create(CreateDocRequest {
            fields: Some(common::fields()),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    let mut d = common::partial();
    d.catalog_item = Some("C21".into());
    api.disclosure_set(DisclosureSetRequest {
        doc_id: doc.clone(),
        disclosure: d,
    })
    .unwrap();
    api.event_record(EventRequest {
        doc_id: doc.clone(),
        kind: "published".into(),
        date: "2026-08-03".into(),
    })
    .unwrap();
    let fresh = line(&board(&api, "2026", "2026-09-01"), "C21", None).clone();
    assert_eq!(fresh.status, "done");
    assert!(
        fresh.fulfilled_by[0].starts_with("2026-08-03"),
        "{:?}",
        fresh.fulfilled_by
    );
    let stale = line(&board(&api, "2026", "2026-11-23"), "C21", None).clone();
    assert_eq!(
        (stale.status.as_str(), stale.since.as_deref()),
        ("stale", Some("2026-11-01"))
    );
}

/// The year-end review: a 依申请公开 document converted to 主动公开 through the workflow (back to
/// 拟稿 with the reason logged, the attribute changed), a 不予公开 one confirmed; each review
/// once, a conversion only with a reason.
#[test]
fn the_year_end_review_confirms_or_converts_through_the_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let api = common::ready(dir.path());
    let make = |attribute: gongkai_core::Attribute, grounds: Vec<&str>| {
        let doc = api
            .doc_create(CreateDocRequest {
                fields: Some(common::fields()),
            })
            .unwrap()
            .summary
            .doc_id
            .to_string();
        let mut d = common::partial();
        d.attribute = attribute;
        d.grounds = grounds.into_iter().map(str::to_string).collect();
        d.channels.clear();
        d.catalog_item = None;
        d.reason = "涉及个人隐私".into();
        api.disclosure_set(DisclosureSetRequest {
            doc_id: doc.clone(),
            disclosure: d,
        })
        .unwrap();
        doc
    };
    let on_request = make(gongkai_core::Attribute::OnRequest, vec![]);
    let withheld = make(
        gongkai_core::Attribute::Withheld,
        vec!["art15-personal-privacy"],
    );
    common::to(&api, &on_request, gongkai_core::Stage::AttributeSet, "").unwrap();
    let view = api.review_year_end(YearEndRequest { year: 2026 }).unwrap();
    assert_eq!(view.pending, 2);
    assert_eq!(
        view.items.len(),
        2,
        "the 部分公开 and 主动公开 ones are not reviewed"
    );
    let w = view.items.iter().find(|i| i.doc_id == withheld).unwrap();
    assert_eq!(w.attribute, "不予公开");
    assert!(
        !w.grounds.is_empty() && w.grounds[0].contains("第"),
        "{:?}",
        w.grounds
    );

    let decide = |doc: &str, convert: bool, reason: &str| {
        api.review_year_end_decide(YearEndDecision {
            year: 2026,
            doc_id: doc.into(),
            convert,
            reason: reason.into(),
            catalog_item: Some("C06".into()),
        })
    };
    let e = decide(&on_request, true, " ").unwrap_err();
    assert!(e.message.contains("理由"), "{}", e.message);
    let v = decide(&on_request, true, "申请人较多，宜主动公开").unwrap();
    assert_eq!(v.pending, 1);
    let converted = v.items.iter().find(|i| i.doc_id == on_request).unwrap();
    assert_eq!(
        (converted.outcome.as_str(), converted.attribute.as_str()),
        ("converted", "依申请公开")
    );
    // Through the workflow: back at 拟稿 with the reason logged, the attribute now 主动公开.
    let status = api.workflow_status(common::dr(&on_request)).unwrap();
    assert_eq!(status.stage, gongkai_core::Stage::Drafting);
    assert!(status
        .log
        .iter()
        .any(|l| l.reason.contains("2026年度公开属性审查") && l.reason.contains("申请人较多")));
    let d = api.disclosure_get(common::dr(&on_request)).unwrap();
    assert_eq!(
        d.disclosure.unwrap().attribute,
        gongkai_core::Attribute::Active
    );

    let v = decide(&withheld, false, "").unwrap();
    assert_eq!(v.pending, 0);
    assert_eq!(
        v.items
            .iter()
            .find(|i| i.doc_id == withheld)
            .unwrap()
            .outcome,
        "confirmed"
    );
    assert_eq!(
        decide(&withheld, true, "x").unwrap_err().code,
        ErrorCode::Conflict
    );
    // A later year lists the still-withheld one again, the converted one no longer.
    let next = api.review_year_end(YearEndRequest { year: 2027 }).unwrap();
    assert_eq!(
        next.items
            .iter()
            .map(|i| i.doc_id.as_str())
            .collect::<Vec<_>>(),
        vec![withheld.as_str()]
    );
}

/// The office sets the period of a 定期更新 item in the window: a new version of the `duties`
/// reference data (what the units receive), the board counting with it; a 实时更新 item has no
/// period to set, and a unit cannot set one.
#[test]
fn the_office_sets_a_catalogue_items_period() {
    let dir = tempfile::tempdir().unwrap();
    let office = common::office_at(dir.path(), 2026, 11, 23);
    let b = board(&office, "2026", "2026-11-23");
    let item = b
        .rows
        .iter()
        .find(|r| r.period_days.is_some())
        .expect("a 定期更新 item")
        .duty_id
        .clone();
    let default = line(&b, &item, None).period_days.unwrap();
    let version = |api: &Api| {
        api.status()
            .seeds
            .into_iter()
            .find(|d| d.name == "duties")
            .unwrap()
            .version
    };
    let before = version(&office);
    let after = office
        .duties_set_period(DutyPeriodRequest {
            item: item.clone(),
            days: Some(30),
        })
        .unwrap();
    assert_eq!(line(&after, &item, None).period_days, Some(30));
    assert!(line(&after, &item, None).note.contains("每30天"));
    assert_eq!(version(&office), before + 1);
    // Back to the default.
    let back = office
        .duties_set_period(DutyPeriodRequest {
            item: item.clone(),
            days: None,
        })
        .unwrap();
    assert_eq!(line(&back, &item, None).period_days, Some(default));
    let e = office
        .duties_set_period(DutyPeriodRequest {
            item: item.clone(),
            days: Some(0),
        })
        .unwrap_err();
    assert!(e.message.contains("1到3660"), "{e:?}");
    let realtime = b
        .rows
        .iter()
        .find(|r| r.note.starts_with("实时更新"))
        .expect("a 实时更新 item");
    let e = office
        .duties_set_period(DutyPeriodRequest {
            item: realtime.duty_id.clone(),
            days: Some(30),
        })
        .unwrap_err();
    assert!(e.message.contains("实时更新"), "{e:?}");

    let udir = tempfile::tempdir().unwrap();
    let unit = common::ready(udir.path());
    let e = unit
        .duties_set_period(DutyPeriodRequest {
            item,
            days: Some(30),
        })
        .unwrap_err();
    assert!(e.message.contains("指挥中心"), "{e:?}");
}

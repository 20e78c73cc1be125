//! 转办 through a real hub (SQLite, or PostgreSQL when `GONGKAI_TEST_PG` is set), driven through
//! the API as the window drives it: the office records an application for 治安支队; both of
//! the unit's PCs get it (the applicant masked), another unit gets nothing; the unit drafts the
//! reply (its note de-identified before it leaves); the office returns it with a reason, the
//! unit drafts again, the office replies with it, and the unit sees the reply. The unit's year
//! figures reach the office the same way. A unit none of whose PCs has reached the hub keeps
//! its 转办 waiting at the office, named. The hub's database never holds the request's text or
//! the applicant.

use gongkai_api::*;

mod common;
#[path = "../../../tests/support/test_hub.rs"]
mod test_hub;
#[path = "../../../tests/support/sync_world.rs"]
mod world;
use test_hub::TestHub;
use world::{point, sync, World};

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn only(api: &Api) -> RequestView {
    let list = api
        .request_list(RequestListRequest { open: false })
        .unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    list.into_iter().next().unwrap()
}

fn change(
    api: &Api,
    id: &str,
    action: &str,
    f: impl FnOnce(&mut RequestChangeRequest),
) -> ApiResult<RequestView> {
    let mut req = RequestChangeRequest {
        request_id: id.into(),
        action: action.into(),
        ..Default::default()
    };
    f(&mut req);
    api.request_change(req)
}

#[test]
fn an_application_passed_on_to_a_unit_comes_back_as_a_draft_and_goes_out_as_the_office_reply() {
    let mut w = World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let (b, _, _) = w.pc("zazd", "李娜");
    let (c, _, _) = w.pc("jjzd", "周强");
    let hub_dir = w.hub_dir();
    let hub = TestHub::start(
        &hub_dir,
        &w.office_pub,
        "127.0.0.1:0".parse().unwrap(),
        Some("api_sync_register"),
    );
    for pc in [&w.office, &a, &b, &c] {
        point(pc, &hub.url);
    }
    sync(&w.office);
    for pc in [&a, &b, &c] {
        sync(pc);
    }

    // The office records it for 治安支队: queued with the same write.
    let content = "申请公开本市2026年第三季度治安案件的统计数据";
    let at_office = w
        .office
        .request_new(RequestNewRequest {
            received: "2026-11-02".into(),
            channel: "网络".into(),
            applicant_type: "自然人".into(),
            applicant_name: "张建国".into(),
            applicant_contact: "13912345678".into(),
            content: content.into(),
            unit: Some("zazd".into()),
        })
        .unwrap();
    assert_eq!(at_office.origin, "assigned");
    assert_eq!(at_office.unsent, 1);
    let run = sync(&w.office);
    assert_eq!(run.register_sent, 1, "{run:?}");
    assert!(run.register_problems.is_empty(), "{run:?}");
    assert_eq!(only(&w.office).unsent, 0);

    // Both PCs of the unit have it; the other unit has nothing.
    for pc in [&a, &b] {
        let run = sync(pc);
        assert_eq!(run.register_received, 1, "{run:?}");
        let r = only(pc);
        assert_eq!(r.origin, "office");
        assert_eq!(r.content, content);
        assert_eq!(r.due, at_office.due);
        assert_eq!(r.received, "2026-11-02");
        assert!(
            r.applicant.starts_with('张') && !r.applicant.contains("建国"),
            "{}",
            r.applicant
        );
    }
    sync(&c);
    assert!(c
        .request_list(RequestListRequest { open: false })
        .unwrap()
        .is_empty());

    // The unit may not answer or move the clock itself; it drafts.
    let id = only(&a).request_id;
    let e = change(&a, &id, "reply", |r| {
        r.outcome = "1".into();
        r.date = "2026-11-20".into();
    })
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::GateClosed);
    assert!(e.message.contains("拟答复"), "{}", e.message);
    let drafted = change(&a, &id, "draft", |r| {
        r.outcome = "1".into();
        r.reason = "统计数据已核，经办人电话13812345678".into();
    })
    .unwrap();
    assert_eq!(drafted.draft.as_ref().unwrap().state, "sent");
    assert_eq!(drafted.unsent, 1);
    let run = sync(&a);
    assert_eq!(run.register_sent, 1, "{run:?}");

    // The office sees the draft, de-identified, and returns it.
    let run = sync(&w.office);
    assert_eq!(run.register_received, 1, "{run:?}");
    let r = only(&w.office);
    let d = r.draft.clone().expect("draft at the office");
    assert_eq!(
        (d.state.as_str(), d.outcome.id.as_str(), d.by.as_str()),
        ("sent", "1", "王晓明")
    );
    assert!(
        !d.note.contains("13812345678") && d.note.contains("统计数据已核"),
        "{}",
        d.note
    );
    let e = change(&w.office, &id, "return", |_| {}).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    change(&w.office, &id, "return", |r| {
        r.reason = "请写明不予公开的依据".into()
    })
    .unwrap();
    sync(&w.office);
    for pc in [&a, &b] {
        sync(pc);
        let d = only(pc).draft.expect("draft");
        assert_eq!(
            (d.state.as_str(), d.reason.as_str()),
            ("returned", "请写明不予公开的依据")
        );
    }

    // Drafted again, accepted: the reply is the office's, and the unit sees it.
    change(&b, &id, "draft", |r| {
        r.outcome = "3-1".into();
        r.reason = "属于国家秘密".into();
    })
    .unwrap();
    sync(&b);
    sync(&w.office);
    let replied = change(&w.office, &id, "accept", |_| {}).unwrap();
    assert_eq!(replied.status, "replied");
    assert_eq!(replied.reply.as_ref().unwrap().outcome.id, "3-1");
    assert_eq!(replied.draft.as_ref().unwrap().state, "accepted");
    let e = change(&w.office, &id, "accept", |_| {}).unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    sync(&w.office);
    sync(&a);
    let r = only(&a);
    assert_eq!(r.status, "replied");
    assert_eq!(r.reply.as_ref().unwrap().outcome.id, "3-1");
    assert_eq!(r.draft.as_ref().unwrap().state, "accepted");

    // The unit's figures over the hub: the office sees them, and who has not sent.
    let year = 2026;
    let mine = a.report_annual(AnnualRequest { year }).unwrap();
    a.report_figures_queue(AnnualRequest { year }).unwrap();
    let run = sync(&a);
    assert_eq!(run.register_sent, 1, "{run:?}");
    let run = sync(&w.office);
    assert_eq!(run.register_received, 1, "{run:?}");
    let got = w
        .office
        .report_figures_collection(AnnualRequest { year })
        .unwrap();
    let zazd = got.units.iter().find(|u| u.unit_code == "zazd").unwrap();
    assert!(zazd.sent_at.is_some());
    assert!(!got.missing.contains(&"治安支队".to_string()));
    assert!(got.missing.contains(&"交警支队".to_string()));
    let nonzero: Vec<_> = mine.cells.iter().filter(|c| c.value > 0.0).collect();
    assert!(!nonzero.is_empty());
    for cell in nonzero {
        let theirs = zazd
            .cells
            .iter()
            .find(|x| {
                x.table == cell.table
                    && x.row == cell.row
                    && x.column == cell.column
                    && x.group == cell.group
                    && x.column_group == cell.column_group
            })
            .expect("same cell at the office");
        assert_eq!(theirs.value, cell.value, "{cell:?}");
    }

    // A duty record made at the unit reaches the office's board.
    a.duties_record(DutyRecordRequest {
        duty_id: "T01".into(),
        unit: None,
        date: "2026-09-28".into(),
        note: "三季度进展已公开".into(),
        for_due: None,
    })
    .unwrap();
    sync(&a);
    sync(&w.office);
    let office_board = w
        .office
        .duties_board(DutiesRequest {
            unit: None,
            period: Some("2026-Q3".into()),
            on: None,
        })
        .unwrap();
    let t01 = |unit: &str| {
        office_board
            .rows
            .iter()
            .find(|r| r.duty_id == "T01" && r.unit == unit)
            .unwrap()
            .clone()
    };
    assert_eq!(t01("zazd").status, "done");
    assert_eq!(t01("zazd").unit_name, "治安支队");
    assert_eq!(t01("xfc").status, "overdue");

    // A unit with no PC on the hub yet: its 转办 waits at the office, named.
    w.office
        .request_new(RequestNewRequest {
            received: "2026-11-03".into(),
            channel: "信函".into(),
            applicant_type: "商业企业".into(),
            applicant_name: "某某公司".into(),
            applicant_contact: String::new(),
            content: "申请公开网络安全等级保护备案名单".into(),
            unit: Some("wazd".into()),
        })
        .unwrap();
    let run = sync(&w.office);
    assert_eq!(run.register_sent, 0, "{run:?}");
    assert!(
        run.register_problems
            .iter()
            .any(|p| p.contains("网络安全保卫支队")),
        "{run:?}"
    );
    let waiting = w
        .office
        .request_list(RequestListRequest { open: true })
        .unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].unsent, 1);

    // The hub never held the request's text, the applicant or the unit's phone in clear.
    if let Some(bytes) = test_hub::sqlite_hub_bytes(&hub_dir) {
        assert!(bytes.len() > 10_000);
        for secret in [
            "治安案件的统计数据",
            "张建国",
            "13912345678",
            "13812345678",
            "等级保护备案",
        ] {
            assert!(
                !contains(&bytes, secret),
                "the hub holds “{secret}” in clear"
            );
        }
    }
    hub.stop();
}

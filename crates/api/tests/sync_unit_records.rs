//! The unit's registers through a real hub (SQLite, or PostgreSQL when `GONGKAI_TEST_PG` is
//! set), driven through the API as the window drives it: an application, a consultation with
//! its comments, a duty record and a year-end review made on one PC of 治安支队 appear on its
//! other PC; two replies to one application written offline on both PCs are a 冲突 on both
//! until a clerk keeps one with a reason; two applications registered offline under one
//! 流水号 are both kept until one is renumbered. Another unit's PC gets none of it, and the
//! hub's database never holds an applicant's name or a comment.

use gongkai_api::*;
use std::path::Path;

mod common;
#[path = "../../../tests/support/test_hub.rs"]
mod test_hub;
#[path = "../../../tests/support/sync_world.rs"]
mod world;
use test_hub::TestHub;
use world::{point, sync, World};

fn all_bytes_of(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            all.extend(std::fs::read(&p).unwrap());
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn register(api: &Api) -> Vec<RequestView> {
    let mut l = api
        .request_list(RequestListRequest { open: false })
        .unwrap();
    l.sort_by(|a, b| a.request_id.cmp(&b.request_id));
    l
}

fn apply(api: &Api, name: &str, content: &str) -> RequestView {
    api.request_new(RequestNewRequest {
        received: "2026-12-01".into(),
        channel: "信函".into(),
        applicant_type: "自然人".into(),
        applicant_name: name.into(),
        applicant_contact: "13912345678".into(),
        content: content.into(),
        unit: None,
    })
    .unwrap()
}

fn reply(api: &Api, id: &str, outcome: &str) -> RequestView {
    api.request_change(RequestChangeRequest {
        request_id: id.into(),
        action: "reply".into(),
        outcome: outcome.into(),
        date: "2026-12-03".into(),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn the_units_registers_travel_between_its_pcs_and_concurrent_changes_wait_for_the_clerk() {
    let mut w = World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let (b, _, _) = w.pc("zazd", "李娜");
    let (c, _, _) = w.pc("jjzd", "周强");
    let hub_dir = w.hub_dir();
    let hub = TestHub::start(
        &hub_dir,
        &w.office_pub,
        "127.0.0.1:0".parse().unwrap(),
        Some("api_sync_unit_records"),
    );
    for pc in [&w.office, &a, &b, &c] {
        point(pc, &hub.url);
    }
    sync(&w.office);
    for pc in [&a, &b, &c] {
        sync(pc);
    }

    // Made on A: an application, a duty record, a consultation with a comment decided, and a
    // year-end review of a 不予公开 document.
    let first = apply(&a, "张建国", "申请公开本市户籍窗口2026年投诉处理情况");
    a.duties_record(DutyRecordRequest {
        duty_id: "T01".into(),
        unit: None,
        date: "2026-12-02".into(),
        note: "四季度进展已在门户网站公开".into(),
        for_due: None,
    })
    .unwrap();
    let doc = a
        .doc_create(CreateDocRequest {
            fields: Some(common::fields()),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    a.consult_open(ConsultOpenRequest {
        doc_id: doc.clone(),
        from: "2026-12-01".into(),
        to: "2026-12-31".into(),
        reason: String::new(),
    })
    .unwrap();
    let with_comment = a
        .consult_comment_add(ConsultCommentRequest {
            doc_id: doc.clone(),
            received: "2026-12-02".into(),
            channel: "电子邮件".into(),
            commenter: "赵丽华".into(),
            topic: "第三条".into(),
            text: "建议把办理时限写明为五个工作日".into(),
        })
        .unwrap();
    let comment_id = with_comment.comments[0].comment_id.clone();
    a.consult_comment_decide(ConsultDecideRequest {
        doc_id: doc.clone(),
        comment_id: comment_id.clone(),
        adoption: "adopted".into(),
        reason: String::new(),
        topic: None,
    })
    .unwrap();
    let mut d = common::partial();
    d.attribute = gongkai_core::Attribute::Withheld;
    d.grounds = vec!["art15-personal-privacy".into()];
    d.channels.clear();
    d.catalog_item = None;
    d.reason = "涉及个人隐私".into();
    a.disclosure_set(DisclosureSetRequest {
        doc_id: doc.clone(),
        disclosure: d,
    })
    .unwrap();
    a.review_year_end_decide(YearEndDecision {
        year: 2026,
        doc_id: doc.clone(),
        convert: false,
        reason: "仍涉及个人隐私，维持不予公开".into(),
        catalog_item: None,
    })
    .unwrap();
    let status = a.sync_status().unwrap();
    assert!(status.pending >= 6, "{status:?}");
    sync(&a);
    let run = sync(&b);
    assert_eq!(run.new_conflicts, 0, "{run:?}");

    let at_b = register(&b);
    assert_eq!(at_b.len(), 1);
    assert_eq!(
        (at_b[0].request_id.as_str(), at_b[0].serial.as_str()),
        (first.request_id.as_str(), first.serial.as_str())
    );
    assert_eq!(at_b[0].due, first.due);
    assert_eq!(at_b[0].applicant, first.applicant);
    let consult = b
        .consult_get(DocRef {
            doc_id: doc.clone(),
        })
        .unwrap()
        .expect("the consultation reached B");
    assert_eq!(consult.comments.len(), 1);
    assert_eq!(consult.comments[0].comment_id, comment_id);
    assert_eq!(consult.comments[0].adoption, "adopted");
    let board = b
        .duties_board(DutiesRequest {
            unit: None,
            period: Some("2026-Q4".into()),
            on: Some("2026-12-05".into()),
        })
        .unwrap();
    let t01 = board.rows.iter().find(|r| r.duty_id == "T01").unwrap();
    assert_eq!(t01.status, "done", "{t01:?}");
    let review = b.review_year_end(YearEndRequest { year: 2026 }).unwrap();
    let item = review.items.iter().find(|i| i.doc_id == doc).unwrap();
    assert_eq!(item.outcome, "confirmed", "{item:?}");

    // Two replies written offline on the two PCs: each keeps its own, both see the 冲突.
    reply(&a, &first.request_id, "1");
    reply(&b, &first.request_id, "5-1");
    sync(&a);
    let run = sync(&b);
    assert_eq!(run.new_conflicts, 1, "{run:?}");
    sync(&a);
    for (pc, mine) in [(&a, "1"), (&b, "5-1")] {
        assert_eq!(register(pc)[0].reply.as_ref().unwrap().outcome.id, mine);
        assert_eq!(pc.sync_status().unwrap().conflicts, 1);
        let list = pc.unit_conflicts().unwrap();
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].kind, "sides");
        assert_eq!(list[0].register, format!("request:{}", first.request_id));
        assert!(list[0].label.contains(&first.serial), "{}", list[0].label);
        assert_eq!(list[0].leaves.len(), 2);
        assert!(list[0].leaves[0].is_head);
    }
    let list = b.unit_conflicts().unwrap();
    let keep = list[0]
        .leaves
        .iter()
        .find(|l| l.author == "王晓明")
        .unwrap()
        .event_id
        .clone();
    let e = b
        .unit_resolve(UnitResolveRequest {
            register: list[0].register.clone(),
            keep_event_id: keep.clone(),
            reason: "  ".into(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidInput);
    let left = b
        .unit_resolve(UnitResolveRequest {
            register: list[0].register.clone(),
            keep_event_id: keep,
            reason: "以已寄出的答复书为准".into(),
        })
        .unwrap();
    assert!(left.is_empty());
    sync(&b);
    sync(&a);
    for pc in [&a, &b] {
        assert_eq!(register(pc)[0].reply.as_ref().unwrap().outcome.id, "1");
        assert_eq!(pc.sync_status().unwrap().conflicts, 0);
    }

    // Two applications registered offline under one serial: both kept, then renumbered.
    let on_a = apply(&a, "钱多多", "申请公开交通违法处理流程");
    let on_b = apply(&b, "孙小美", "申请公开出入境办证指南");
    assert_eq!(on_a.serial, on_b.serial);
    sync(&a);
    sync(&b);
    sync(&a);
    for pc in [&a, &b] {
        assert_eq!(register(pc).len(), 3);
        let list = pc.unit_conflicts().unwrap();
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(
            (list[0].kind.as_str(), list[0].register.as_str()),
            ("serial", on_a.serial.as_str())
        );
        assert_eq!(list[0].requests.len(), 2);
    }
    let e = a
        .request_renumber(RenumberRequest {
            request_id: first.request_id.clone(),
        })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Conflict);
    let serial = a
        .request_renumber(RenumberRequest {
            request_id: on_b.request_id.clone(),
        })
        .unwrap();
    assert_ne!(serial, on_a.serial);
    sync(&a);
    sync(&b);
    for pc in [&a, &b] {
        assert!(pc.unit_conflicts().unwrap().is_empty());
        let r = register(pc);
        let renumbered = r.iter().find(|x| x.request_id == on_b.request_id).unwrap();
        assert_eq!(renumbered.serial, serial);
    }
    let next = apply(&b, "周五", "申请公开消防检查结果");
    assert!(next.serial > serial, "{} after {serial}", next.serial);

    // Another unit's PC has none of it; the hub never held a name, a comment or a reply note.
    sync(&c);
    assert!(register(&c).is_empty());
    assert!(c.unit_conflicts().unwrap().is_empty());
    let hub_bytes = all_bytes_of(&hub_dir);
    for secret in [
        "张建国",
        "钱多多",
        "孙小美",
        "赵丽华",
        "五个工作日",
        "维持不予公开",
    ] {
        assert!(!contains(&hub_bytes, secret), "the hub holds {secret}");
    }
    drop(hub);
}

//! The UI tests' recorded answers. The Vitest suite's fake backend holds no rule: whenever the
//! window under test needs a rule's answer (is this attribute complete, what does the package
//! lack, which gates are closed, may the document move, which actions a received bundle offers),
//! it looks the question up in `ui/src/test/oracle/answers.json`. This test asks the real `Api`
//! every question listed in `ui/src/test/oracle/queries.json` (which the Vitest run collects,
//! `bash scripts/ui-oracle.sh`) and writes the answers; `scripts/test.sh` fails when the written
//! file differs from the committed one, as it does for the TypeScript bindings, so a rule changed
//! in Rust reaches the UI tests at once.

mod common;
#[path = "../../../tests/support/test_hub.rs"]
mod test_hub;
#[path = "../../../tests/support/sync_world.rs"]
mod world;

use common::{office_at, ready, ready_at};
use gongkai_api::*;
use gongkai_core::{
    Attribute, Channel, Disclosure, DocFields, Facts, Package, Reach, SecrecyReview, Stage,
};
use serde::Deserialize;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::path::PathBuf;
use test_hub::TestHub;
use world::{point, sync, World};

fn oracle_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/test/oracle")
}

#[derive(Deserialize)]
struct Query {
    kind: String,
    input: Value,
}

fn result<T: serde::Serialize>(r: ApiResult<T>) -> Value {
    match r {
        Ok(v) => json!({ "ok": v }),
        Err(e) => json!({ "err": e }),
    }
}

/// A disclosure the core accepts for `attribute` (so a question about something else, e.g. the
/// secrecy review's fit with 部分公开, is asked of a document in that state).
fn valid_disclosure(attribute: Attribute, reach: Reach) -> Disclosure {
    let (grounds, reason): (Vec<String>, &str) = match attribute {
        Attribute::Withheld => (
            vec!["art14-state-secret".into()],
            "文件内容属于国家秘密，不予公开",
        ),
        Attribute::Partial => (
            vec!["partial:art15-personal-privacy".into()],
            "正文中群众的姓名和手机号码属于个人隐私，去标识化后公开",
        ),
        _ => (vec![], ""),
    };
    let public = matches!(attribute, Attribute::Active | Attribute::Partial);
    Disclosure {
        attribute,
        grounds,
        reason: reason.into(),
        ground_detail: String::new(),
        channels: if public {
            vec![Channel::Website]
        } else {
            vec![]
        },
        catalog_item: public.then(|| "C06".to_string()),
        reach,
    }
}

struct Oracle {
    api: Api,
    _dir: tempfile::TempDir,
    /// The office, a PC of 治安支队 and a hub between them, made at the first question that
    /// needs them (an application passed on, a unit's key at the office).
    town: RefCell<Option<Town>>,
}

/// The office and one unit PC, each PC's key enrolled and activated at the office, both
/// pointed at a real hub (SQLite): the states the office and the unit reach only together.
struct Town {
    world: World,
    pc: Api,
    _hub: TestHub,
}

impl Town {
    fn new() -> Town {
        let mut world = World::new();
        let (pc, _, _) = world.pc("zazd", "王晓明");
        let hub_dir = world.hub_dir();
        let hub = TestHub::start(
            &hub_dir,
            &world.office_pub,
            "127.0.0.1:0".parse().unwrap(),
            None,
        );
        for api in [&world.office, &pc] {
            point(api, &hub.url);
        }
        sync(&world.office);
        sync(&pc);
        Town {
            world,
            pc,
            _hub: hub,
        }
    }

    /// A new application the office passed on to the PC's unit, as far as `side` acts on it
    /// next (the unit: it has arrived; the office: the unit's draft has come back), and its id.
    fn passed_on(&self, side: &str) -> String {
        let office = &self.world.office;
        let id = office
            .request_new(RequestNewRequest {
                received: "2026-11-02".into(),
                channel: "网络".into(),
                applicant_type: "自然人".into(),
                applicant_name: "张建国".into(),
                applicant_contact: "13912345678".into(),
                content: "申请公开本市2026年第三季度治安案件的统计数据".into(),
                unit: Some("zazd".into()),
            })
            .unwrap()
            .request_id;
        sync(office);
        sync(&self.pc);
        if side == "office" {
            self.pc
                .request_change(RequestChangeRequest {
                    request_id: id.clone(),
                    action: "draft".into(),
                    outcome: "1".into(),
                    reason: "统计数据已核".into(),
                    ..Default::default()
                })
                .unwrap();
            sync(&self.pc);
            sync(office);
        }
        id
    }

    /// A new PC's key at the office in `state` (`pending`, `active`, `retiring`), and its id.
    fn key_in(&mut self, state: &str) -> String {
        let office = &self.world.office;
        let dir = tempfile::tempdir().unwrap();
        let pc = world::install(dir.path(), "jjzd", "周强", Role::Unit);
        let key = pc
            .keys_generate(KeyGenerateRequest {
                password: world::PW.into(),
                algorithm: String::new(),
            })
            .unwrap();
        let form = pc
            .keys_enrolment_request(KeyUseRequest {
                password: world::PW.into(),
                path: dir.path().join("enrol.json").display().to_string(),
            })
            .unwrap();
        office.trust_enrol(FileRequest { path: form.path }).unwrap();
        if state != "pending" {
            office
                .trust_activate(KeyActivateRequest {
                    key_id: key.key_id.clone(),
                    fingerprint: key.fingerprint.clone(),
                })
                .unwrap();
        }
        match state {
            "pending" | "active" => {}
            "retiring" => {
                office
                    .trust_retire(KeyRetireRequest {
                        key_id: key.key_id.clone(),
                        overlap_days: 30,
                    })
                    .unwrap();
            }
            other => panic!("the oracle cannot yet bring a key to {other}"),
        }
        self.world.dirs.push(dir);
        key.key_id
    }
}

impl Oracle {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let api = ready(dir.path());
        Oracle {
            api,
            _dir: dir,
            town: RefCell::new(None),
        }
    }

    fn town<T>(&self, f: impl FnOnce(&mut Town) -> T) -> T {
        let mut town = self.town.borrow_mut();
        f(town.get_or_insert_with(Town::new))
    }

    /// The API's answer to a change of an application passed on to a unit (`side`: `unit` for
    /// its draft, `office` for taking or returning the draft): the draft as it then stands, or
    /// the refusal. Only what is the same on every run is kept (not who and when).
    fn passed_on(&self, side: &str, mut request: Value) -> Value {
        self.town(|t| {
            request["request_id"] = Value::String(t.passed_on(side));
            let api = if side == "office" {
                &t.world.office
            } else {
                &t.pc
            };
            result(
                api.request_change(serde_json::from_value(request).unwrap())
                    .map(|v| {
                        v.draft.map(|d| {
                            json!({ "outcome": d.outcome, "note": d.note, "state": d.state, "reason": d.reason })
                        })
                    }),
            )
        })
    }

    /// The office's change (`retire`, `revoke`) of a unit's key in `state`: the key's state
    /// and revocation reason after it, or the refusal.
    fn key_change(&self, state: &str, action: &str, mut request: Value) -> Value {
        self.town(|t| {
            request["key_id"] = Value::String(t.key_in(state));
            let office = &t.world.office;
            let r = match action {
                "retire" => office.trust_retire(serde_json::from_value(request).unwrap()),
                "revoke" => office.trust_revoke(serde_json::from_value(request).unwrap()),
                other => panic!("the oracle does not change a key by {other}"),
            };
            result(r.map(|k| json!({ "state": k.state, "revoke_reason": k.revoke_reason })))
        })
    }

    /// A new, empty document (the fake's `doc-1` is one), optionally with a settled attribute.
    fn doc(&self, disclosure: Option<Disclosure>) -> String {
        let doc = self
            .api
            .doc_create(CreateDocRequest {
                fields: Some(DocFields::default()),
            })
            .unwrap();
        let doc_id = doc.summary.doc_id.to_string();
        if let Some(d) = disclosure {
            self.api
                .disclosure_set(DisclosureSetRequest {
                    doc_id: doc_id.clone(),
                    disclosure: d,
                })
                .expect("the oracle's own disclosure is valid");
        }
        doc_id
    }

    fn image_add(&self, doc_id: &str, image: &Value) -> ApiResult<gongkai_core::Graphic> {
        let text = |k: &str| {
            image
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        self.api.package_image_add(ImageAddRequest {
            doc_id: doc_id.into(),
            file_name: text("file_name"),
            data_base64: text("data_base64"),
            caption: text("caption"),
        })
    }

    fn answer(&self, q: &Query) -> Value {
        let input = q.input.clone();
        let parse = |what: &str| -> Value {
            input
                .get(what)
                .cloned()
                .unwrap_or_else(|| panic!("{}: the question lacks {what}", q.kind))
        };
        match q.kind.as_str() {
            "options" => result(self.api.disclosure_options()),
            "stage_labels" => {
                let mut m = serde_json::Map::new();
                for s in Stage::ALL {
                    m.insert(
                        serde_json::to_value(s).unwrap().as_str().unwrap().into(),
                        s.label().into(),
                    );
                }
                Value::Object(m)
            }
            "disclosure" => {
                let d: Disclosure = serde_json::from_value(input.clone()).unwrap();
                let doc_id = self.doc(None);
                result(
                    self.api
                        .disclosure_set(DisclosureSetRequest {
                            doc_id,
                            disclosure: d,
                        })
                        .map(|v| json!({ "disclosure": v.disclosure, "issues": v.issues })),
                )
            }
            "package" => {
                let package: Package = serde_json::from_value(parse("package")).unwrap();
                let reach: Reach = serde_json::from_value(parse("reach")).unwrap();
                let doc_id = self.doc(
                    (reach != Reach::default()).then(|| valid_disclosure(Attribute::Active, reach)),
                );
                // The images the package refers to, added to this document first.
                for image in input
                    .get("images")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    self.image_add(&doc_id, image)
                        .expect("an image the oracle added before is accepted again");
                }
                result(
                    self.api
                        .package_save(PackageSaveRequest {
                            doc_id,
                            base_rev_id: None,
                            package,
                        })
                        .map(|v| v.check),
                )
            }
            "image_add" => {
                let doc_id = self.doc(None);
                result(self.image_add(&doc_id, &input))
            }
            "secrecy" => {
                let review: SecrecyReview = serde_json::from_value(parse("review")).unwrap();
                let attribute: Option<Attribute> =
                    serde_json::from_value(parse("attribute")).unwrap();
                let doc_id = self.doc(attribute.map(|a| valid_disclosure(a, Reach::default())));
                result(
                    self.api
                        .secrecy_record(SecrecyRecordRequest { doc_id, review })
                        .map(|v| v.problems),
                )
            }
            "workflow" => {
                let stage: Stage = serde_json::from_value(parse("stage")).unwrap();
                let facts: Facts = serde_json::from_value(parse("facts")).unwrap();
                serde_json::to_value(workflow_rules(stage, &facts)).unwrap()
            }
            "transition" => {
                let from: Stage = serde_json::from_value(parse("from")).unwrap();
                let to: Stage = serde_json::from_value(parse("to")).unwrap();
                let facts: Facts = serde_json::from_value(parse("facts")).unwrap();
                let reason = parse("reason");
                result(transition_rule(
                    from,
                    to,
                    &facts,
                    reason.as_str().unwrap_or("").trim(),
                ))
            }
            "attribute_locked" => {
                let stage: Stage = serde_json::from_value(parse("stage")).unwrap();
                Value::Bool(attribute_locked(stage))
            }
            "intake_actions" => serde_json::to_value(IntakeActions::of_parts(
                parse("status").as_str().unwrap_or(""),
                parse("accepted_for_review").as_bool().unwrap_or(false),
            ))
            .unwrap(),
            "key_actions" => {
                serde_json::to_value(KeyActions::of_state(parse("state").as_str().unwrap_or("")))
                    .unwrap()
            }
            "request_outcomes" => serde_json::to_value(self.api.request_outcomes()).unwrap(),
            "deid_kinds" => serde_json::to_value(self.api.deid_kinds()).unwrap(),
            "deid" => deid(
                serde_json::from_value(parse("fields")).unwrap(),
                parse("steps").as_array().cloned().unwrap_or_default(),
            ),
            "fingerprint" => result(fingerprint_check(
                parse("typed").as_str().unwrap_or(""),
                parse("enrolled").as_str().unwrap_or(""),
            )),
            "receipt_effect" => {
                let stage: Stage = serde_json::from_value(parse("stage")).unwrap();
                let outcome = match parse("decision").as_str() {
                    Some("accepted") => gongkai_core::Outcome::Accepted,
                    Some("returned") => gongkai_core::Outcome::Returned,
                    Some("published") => gongkai_core::Outcome::Published,
                    other => panic!("a receipt does not decide {other:?}"),
                };
                serde_json::to_value(receipt_effect(stage, outcome)).unwrap()
            }
            "calendar_import" => {
                let dir = tempfile::tempdir().unwrap();
                result(ready(dir.path()).calendar_import(serde_json::from_value(input).unwrap()))
            }
            "request" => request(
                parse("role").as_str() == Some("office"),
                parse("new"),
                parse("changes").as_array().cloned().unwrap_or_default(),
            ),
            "unlock" => unlock(
                parse("key_password").as_str(),
                parse("password").as_str().unwrap_or(""),
            ),
            "passed_on" => self.passed_on(parse("side").as_str().unwrap_or(""), parse("request")),
            "key_change" => self.key_change(
                parse("state").as_str().unwrap_or(""),
                parse("action").as_str().unwrap_or(""),
                parse("request"),
            ),
            "refusal" => refusal(
                parse("command").as_str().unwrap_or(""),
                parse("role").as_str() == Some("office"),
                input
                    .get("stage")
                    .map(|s| serde_json::from_value(s.clone()).unwrap()),
                parse("request"),
            ),
            other => panic!("the UI tests asked an unknown kind of question: {other}"),
        }
    }
}

/// The de-identification review of a new document with `fields` on a new installation, after the
/// clerk's `steps` (`{op: "decide" | "mark", req}` with the window's request, `{op: "apply"}`):
/// `{"ok": {review, applied}}` (`applied`: what the last apply made, else null), or the first
/// step's refusal as `{"err": …}`. Ids come from the test's id source, so the finding ids the
/// window sends back are the ones this replay makes again.
fn deid(fields: DocFields, steps: Vec<Value>) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    let doc_id = api
        .doc_create(CreateDocRequest {
            fields: Some(fields),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    let doc = || DocRef {
        doc_id: doc_id.clone(),
    };
    let run = || -> ApiResult<Value> {
        let mut review = api.deid_review(doc())?;
        let mut applied = Value::Null;
        for step in &steps {
            let mut req = step.get("req").cloned().unwrap_or(Value::Null);
            if req.is_object() {
                req["doc_id"] = Value::String(doc_id.clone());
            }
            match step.get("op").and_then(Value::as_str) {
                Some("decide") => review = api.deid_decide(serde_json::from_value(req).unwrap())?,
                Some("mark") => review = api.deid_mark(serde_json::from_value(req).unwrap())?,
                Some("apply") => {
                    applied = serde_json::to_value(api.deid_apply(doc())?).unwrap();
                    review = api.deid_review(doc())?;
                }
                other => panic!("the oracle does not take the de-identification step {other:?}"),
            }
        }
        Ok(json!({ "review": review, "applied": applied }))
    };
    // The answer names the document as the window knows it: the fake's `doc-1`.
    let answer = serde_json::to_string(&result(run())).unwrap();
    serde_json::from_str(&answer.replace(&doc_id, "doc-1")).unwrap()
}

/// An application recorded with `new` on a new installation of this role on the tests' day
/// (2026-11-23), after `changes` (the window's requests, in order): the API's view of it then,
/// or the first refusal. Clock and ids are the test's, so the view is the same on every run.
fn request(office: bool, new: Value, changes: Vec<Value>) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let api = if office {
        office_at(dir.path(), 2026, 11, 23)
    } else {
        ready(dir.path())
    };
    let run = || -> ApiResult<RequestView> {
        let mut view = api.request_new(serde_json::from_value(new).unwrap())?;
        for mut change in changes {
            change["request_id"] = Value::String(view.request_id.clone());
            view = api.request_change(serde_json::from_value(change).unwrap())?;
        }
        Ok(view)
    };
    result(run())
}

/// The API's unlock of this PC's signing key, as every signing command does it first: on a new
/// unit installation with a key made with `key_password` (none: no key yet), the enrolment
/// request is written with `password`: `{"ok": null}` or the refusal.
fn unlock(key_password: Option<&str>, password: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let api = ready(dir.path());
    if let Some(p) = key_password {
        api.keys_generate(KeyGenerateRequest {
            password: p.into(),
            algorithm: String::new(),
        })
        .expect("the fake's key password is one the API takes");
    }
    result(
        api.keys_enrolment_request(KeyUseRequest {
            password: password.into(),
            path: dir.path().join("enrol.json").display().to_string(),
        })
        .map(drop),
    )
}

/// Whether the API takes `request` for `command` on a new installation of this role (with a new
/// document standing for the fake's `doc-1`, at `stage` when given): `{"ok": null}` or `{"err": ApiError}`. Only the
/// verdict is kept (a generated key differs on every run), except where the answer is made of
/// the request alone (a pinned office key); the fake keeps its own state.
fn refusal(command: &str, office: bool, stage: Option<Stage>, mut request: Value) -> Value {
    fn req<T: serde::de::DeserializeOwned>(v: Value) -> T {
        serde_json::from_value(v).expect("the UI tests' request is the API's request type")
    }
    let dir = tempfile::tempdir().unwrap();
    // The last day of the tests' year: a date the tests give is never "after today".
    let api = if office {
        office_at(dir.path(), 2026, 12, 31)
    } else {
        ready_at(dir.path(), 2026, 12, 31)
    };
    if request.get("doc_id").is_some() {
        // A document where the fake's `doc-1` stands: new, or brought along the main path.
        let doc_id = match stage {
            None | Some(Stage::Drafting) => api
                .doc_create(CreateDocRequest {
                    fields: Some(DocFields::default()),
                })
                .unwrap()
                .summary
                .doc_id
                .to_string(),
            Some(Stage::InReview) => common::in_review_document(&api).0,
            Some(Stage::Signed) => common::signed_document(&api),
            Some(other) => panic!("the oracle cannot yet bring a document to {other:?}"),
        };
        if command == "review_year_end_decide" {
            // On the year-end review's list: a document not made public.
            api.disclosure_set(DisclosureSetRequest {
                doc_id: doc_id.clone(),
                disclosure: valid_disclosure(Attribute::Withheld, Reach::default()),
            })
            .unwrap();
        }
        request["doc_id"] = Value::String(doc_id);
    }
    if request.get("path").is_some() {
        // A file the command reads or writes: one in the oracle's folder (what it holds does
        // not matter to the refusals asked here, which come before the file is read).
        let path = dir.path().join("file");
        std::fs::write(&path, b"{}").unwrap();
        request["path"] = Value::String(path.display().to_string());
    }
    let r: ApiResult<Value> = match command {
        // The pinned key is made of the request alone: the same on every run.
        "office_key_pin" => api.office_key_pin(req(request)).map(|v| json!(v)),
        "event_record" => api.event_record(req(request)).map(|_| Value::Null),
        "receipt_import" => api.receipt_import(req(request)).map(|_| Value::Null),
        "keys_enrolment_form" => api.keys_enrolment_form(req(request)).map(|_| Value::Null),
        "keys_public_file" => api.keys_public_file(req(request)).map(|_| Value::Null),
        "disclosure_set" => api.disclosure_set(req(request)).map(|_| Value::Null),
        "deadline_pause" => api.deadline_pause(req(request)).map(|_| Value::Null),
        "keys_generate" => api.keys_generate(req(request)).map(|_| Value::Null),
        "sync_config" => api.sync_config(req(request)).map(|_| Value::Null),
        "sync_now" => api.sync_now(req(request)).map(|_| Value::Null),
        "sync_background_start" => api.sync_background_start(req(request)).map(|_| Value::Null),
        "duties_record" => api.duties_record(req(request)).map(|_| Value::Null),
        "report_figure_set" => api.report_figure_set(req(request)).map(|_| Value::Null),
        "signoff_record" => api.signoff_record(req(request)).map(|_| Value::Null),
        "review_year_end_decide" => api
            .review_year_end_decide(req(request))
            .map(|_| Value::Null),
        other => panic!("the oracle does not run {other}"),
    };
    result(r)
}

/// Answers every recorded question with the real API and writes `answers.json` (a list of
/// `{kind, input, answer}` in the questions' order); `scripts/test.sh` then checks that the file
/// is the committed one.
#[test]
fn the_ui_tests_recorded_answers_come_from_the_api() {
    let dir = oracle_dir();
    let queries: Vec<Query> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("queries.json")).unwrap()).unwrap();
    assert!(
        !queries.is_empty(),
        "the UI tests asked nothing: queries.json is empty"
    );
    let oracle = Oracle::new();
    let answers: Vec<Value> = queries
        .iter()
        .map(|q| json!({ "kind": q.kind, "input": q.input, "answer": oracle.answer(q) }))
        .collect();
    let text = serde_json::to_string_pretty(&answers).unwrap() + "\n";
    std::fs::write(dir.join("answers.json"), text).unwrap();
}

/// The oracle answers as the API does: a disclosure the core refuses comes back as the API's
/// error, one it accepts comes back normalised; the workflow's gates are the core's.
#[test]
fn the_oracle_answers_as_the_api_does() {
    let oracle = Oracle::new();
    let refused = oracle.answer(&Query {
        kind: "disclosure".into(),
        input: serde_json::to_value(Disclosure {
            attribute: Attribute::Withheld,
            ..valid_disclosure(Attribute::Active, Reach::default())
        })
        .unwrap(),
    });
    assert_eq!(refused["err"]["code"], "InvalidInput");
    assert!(refused["err"]["message"]
        .as_str()
        .unwrap()
        .contains("法定理由"));
    let accepted = oracle.answer(&Query {
        kind: "disclosure".into(),
        input: serde_json::to_value(valid_disclosure(Attribute::Partial, Reach::default()))
            .unwrap(),
    });
    assert_eq!(accepted["ok"]["disclosure"]["attribute"], "partial");
    let gates = oracle.answer(&Query {
        kind: "workflow".into(),
        input: json!({ "stage": "drafting", "facts": Facts::default() }),
    });
    assert_eq!(gates["next"], "attribute_set");
    assert_eq!(gates["next_gates"][0]["code"], "attribute_missing");
    let moved = oracle.answer(&Query {
        kind: "transition".into(),
        input: json!({ "from": "attribute_set", "to": "drafting", "facts": Facts::default(), "reason": " " }),
    });
    assert!(moved["err"]["message"]
        .as_str()
        .unwrap()
        .contains("须写明原因"));
}

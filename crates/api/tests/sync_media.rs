//! Removable media between the PCs of one unit: PC B never reaches the hub. Its recipient goes
//! to PC A on a transfer bag; A's next bag carries the office's key list, the unit key wrapped
//! for B and A's sealed drafts, and B reads them. Importing twice changes nothing; a bag that
//! skips numbers is refused with the missing ones; a tampered bag is refused by this reader and
//! by `bagit.py --validate`; B's own edits travel back the same way. No byte of any bag holds
//! the draft's personal data in clear.

#[path = "../../../tests/support/sync_world.rs"]
mod world;

use gongkai_api::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use world::{point, sync, World, PW};

fn export(pc: &Api, path: PathBuf) -> MediaExported {
    pc.sync_export_media(MediaExportRequest {
        password: PW.into(),
        path: path.display().to_string(),
        all: false,
    })
    .unwrap()
}

fn import(pc: &Api, path: &Path) -> ApiResult<MediaImported> {
    pc.sync_import_media(MediaImportRequest {
        password: PW.into(),
        path: path.display().to_string(),
    })
}

fn body(pc: &Api, doc: &str) -> Vec<String> {
    pc.doc_get(DocRef { doc_id: doc.into() })
        .unwrap()
        .fields
        .body
}

fn edit(pc: &Api, doc: &str, line: &str) {
    let v = pc.doc_get(DocRef { doc_id: doc.into() }).unwrap();
    let mut f = v.fields;
    f.body.push(line.into());
    pc.doc_save(SaveRequest {
        doc_id: doc.into(),
        base_rev_id: v.head.rev_id.to_string(),
        fields: f,
    })
    .unwrap();
}

/// Unzips a bag into `dir` and runs `bagit.py --validate` on it.
fn bagit_validates(zip_path: &Path, dir: &Path) -> bool {
    let mut z = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    let mut root = None;
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        root.get_or_insert_with(|| name.split('/').next().unwrap().to_string());
        let out = dir.join(&name);
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        std::fs::write(out, bytes).unwrap();
    }
    Command::new("bagit.py")
        .arg("--validate")
        .arg(dir.join(root.unwrap()))
        .output()
        .expect("bagit.py (pip install bagit)")
        .status
        .success()
}

/// The bag with one byte of its messages changed (the zip rewritten around it).
fn tampered(src: &Path, dst: &Path) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if name.ends_with("data/messages.jsonl") {
            let at = bytes.len() / 2;
            bytes[at] ^= 0x01;
        }
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn an_air_gapped_pc_gets_the_key_and_the_drafts_on_a_transfer_bag() {
    let mut w = World::new();
    let (a, _, _) = w.pc("zazd", "王晓明");
    let (b, _, _) = w.pc("zazd", "李娜");
    let hub_dir = w.hub_dir();
    let out = w.out.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let db = format!("sqlite://{}", hub_dir.join("hub.db").display());
    let hub = rt.block_on(async {
        let store = gongkai_hub::open_store(&db).await.unwrap();
        let state =
            gongkai_hub::HubState::new(store, &w.office_pub, Arc::new(gongkai_hub::WallClock))
                .unwrap();
        gongkai_hub::start("127.0.0.1:0".parse().unwrap(), state)
            .await
            .unwrap()
    });
    let url = format!("http://{}", hub.addr);
    point(&w.office, &url);
    point(&a, &url);
    sync(&w.office);
    let secret = "申请人张卫国，身份证号110101199003071234";
    let doc = a
        .doc_create(CreateDocRequest {
            fields: Some(gongkai_core::DocFields {
                title: "关于介质传输的通知".into(),
                body: vec!["一、总则".into(), secret.into()],
                ..Default::default()
            }),
        })
        .unwrap()
        .summary
        .doc_id
        .to_string();
    sync(&a);

    // B has no key list yet: nothing to verify A's bag with until it brings one.
    let b1 = export(&b, out.join("b1.zip"));
    assert!(
        b1.ranges.iter().any(|r| r.ends_with("/keys=1-1")),
        "{:?}",
        b1.ranges
    );
    let got = import(&a, &out.join("b1.zip")).unwrap();
    assert_eq!(got.changes, 1);
    let a1 = export(&a, out.join("a1.zip"));
    assert!(
        a1.changes >= 3,
        "recipient, unit keys, the revision: {a1:?}"
    );
    let got = import(&b, &out.join("a1.zip")).unwrap();
    assert_eq!(got.applied_revisions, 1, "{got:?}");
    assert_eq!(got.waiting, 0);
    assert_eq!(
        body(&b, &doc),
        vec!["一、总则".to_string(), secret.to_string()]
    );
    // Twice is harmless.
    let again = import(&b, &out.join("a1.zip")).unwrap();
    assert_eq!(again.applied_revisions, 0);
    assert_eq!(
        b.doc_revisions(DocRef {
            doc_id: doc.clone()
        })
        .unwrap()
        .len(),
        1
    );
    // The bags are valid BagIt and hold no personal data in clear.
    assert!(bagit_validates(&out.join("a1.zip"), &out.join("a1")));
    for name in ["a1.zip", "b1.zip"] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("110101199003071234"));
    }
    // A bag that skips numbers is refused, naming them; in order it goes in.
    edit(&a, &doc, "二、第二次修改");
    export(&a, out.join("a2.zip"));
    edit(&a, &doc, "三、第三次修改");
    let a3 = export(&a, out.join("a3.zip"));
    let e = import(&b, &out.join("a3.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    assert!(e.message.contains("缺少第"), "{}", e.message);
    assert!(a3.ranges.iter().any(|r| r.contains("/main=")));
    import(&b, &out.join("a2.zip")).unwrap();
    import(&b, &out.join("a3.zip")).unwrap();
    assert_eq!(body(&b, &doc).last().unwrap(), "三、第三次修改");
    // A tampered bag: refused here and by bagit.py.
    tampered(&out.join("a3.zip"), &out.join("a3-bad.zip"));
    let e = import(&b, &out.join("a3-bad.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    assert!(!bagit_validates(
        &out.join("a3-bad.zip"),
        &out.join("a3-bad")
    ));
    // B's own edit travels back.
    edit(&b, &doc, "四、隔离电脑上的修改");
    export(&b, out.join("b2.zip"));
    let got = import(&a, &out.join("b2.zip")).unwrap();
    assert_eq!(got.applied_revisions, 1, "{got:?}");
    assert_eq!(body(&a, &doc).last().unwrap(), "四、隔离电脑上的修改");
    assert!(a.sync_conflicts().unwrap().is_empty());
    // Another unit's PC cannot read the bag.
    let (c, _, _) = w.pc("jjzd", "陈刚");
    point(&c, &url);
    sync(&w.office);
    sync(&c);
    let e = import(&c, &out.join("a1.zip")).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadFile);
    rt.block_on(hub.stop()).unwrap();
}

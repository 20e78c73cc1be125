//! A sync world for tests (included with `#[path]` by the API, CLI and crash tests): the office
//! and PCs of units as real installations on disk, each PC's key enrolled and activated at the
//! office, the office key pinned at each PC, every installation pointed at one hub.
#![allow(dead_code)]

use gongkai_api::*;
use std::path::{Path, PathBuf};

pub const PW: &str = "correct horse 8";

pub struct World {
    pub dirs: Vec<tempfile::TempDir>,
    pub out: PathBuf,
    pub office: Api,
    pub office_pub: String,
}

pub fn install(dir: &Path, unit: &str, name: &str, role: Role) -> Api {
    let api = Api::open(dir);
    api.setup(SetupRequest {
        unit_id: unit.into(),
        clerk_name: name.into(),
        role,
    })
    .expect("setup");
    api
}

impl World {
    /// The office with its key.
    pub fn new() -> World {
        let office_dir = tempfile::tempdir().expect("tempdir");
        let out = tempfile::tempdir().expect("tempdir");
        let office = install(office_dir.path(), "zhzx-wsgaban", "赵审核", Role::Office);
        let key = office
            .keys_generate(KeyGenerateRequest {
                password: PW.into(),
                algorithm: String::new(),
            })
            .expect("office key");
        World {
            out: out.path().to_path_buf(),
            dirs: vec![office_dir, out],
            office,
            office_pub: format!(
                "untrusted comment: minisign public key {}\n{}\n",
                key.key_id, key.public_key
            ),
        }
    }

    /// A new PC of `unit`, enrolled and activated; returns its data folder and key.
    pub fn pc(&mut self, unit: &str, name: &str) -> (Api, PathBuf, KeyView) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().to_path_buf();
        self.dirs.push(dir);
        let pc = install(&path, unit, name, Role::Unit);
        pc.office_key_pin(OfficeKeyRequest {
            public_key: self.office_pub.clone(),
        })
        .expect("pin");
        let key = pc
            .keys_generate(KeyGenerateRequest {
                password: PW.into(),
                algorithm: String::new(),
            })
            .expect("key");
        let req = pc
            .keys_enrolment_request(KeyUseRequest {
                password: PW.into(),
                path: self
                    .out
                    .join(format!("{}.json", key.key_id))
                    .display()
                    .to_string(),
            })
            .expect("enrolment request");
        self.office
            .trust_enrol(FileRequest { path: req.path })
            .expect("enrol");
        self.office
            .trust_activate(KeyActivateRequest {
                key_id: key.key_id.clone(),
                fingerprint: key.fingerprint.clone(),
            })
            .expect("activate");
        (pc, path, key)
    }

    /// A fresh folder for the hub's files.
    pub fn hub_dir(&mut self) -> PathBuf {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().to_path_buf();
        self.dirs.push(dir);
        path
    }
}

pub fn point(api: &Api, hub_url: &str) {
    api.sync_config(SyncConfigRequest {
        hub: hub_url.into(),
        ca_file: None,
    })
    .expect("sync config");
}

pub fn sync(api: &Api) -> SyncRun {
    api.sync_now(SyncNowRequest {
        password: PW.into(),
    })
    .expect("sync")
}

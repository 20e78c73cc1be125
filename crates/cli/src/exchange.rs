//! The exchange commands: `keys` (this PC's signing key, enrolment, the office key that signs
//! receipts), `bundle` (export, verify, list, rewrite), `receipt import`, and the office's
//! `intake` (trust store and received bundles).
//!
//! Passwords come from `GONGKAI_KEY_PASSWORD`, else a prompt on the terminal, else one line of
//! standard input; they are never echoed or printed.
//!
//! `gongkai bundle verify FILE` exits 0 when the bundle can go to a reviewer, 3 when it cannot
//! (the reasons, with their stable codes, are printed; `--format json` prints the verdict), and
//! 1 on an error such as an unreadable file.

use crate::{emit, resolve, Format};
use clap::Subcommand;
use gongkai_api::{
    Api, ApiError, BundleExportRequest, BundleRewriteRequest, DecideRequest, DocRef, ErrorCode,
    FileRequest, IntakeView, KeyActivateRequest, KeyGenerateRequest, KeyRetireRequest,
    KeyRevokeRequest, KeyUseRequest, KeyView, OfficeKeyRequest, PathRequest, TrustedKeyView,
    VerdictView, WrittenFile,
};
use std::fmt::Write;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when `bundle verify` found reasons: `main` then exits with status 3.
pub static REJECTED: AtomicBool = AtomicBool::new(false);

#[derive(Subcommand)]
pub enum KeysCmd {
    /// Make this PC's signing key (asks for a password of 8+ characters).
    Generate {
        /// minisign-ed25519 (default) or sm2-sm3 (国密 profile).
        #[arg(long, default_value = "")]
        algorithm: String,
    },
    /// This PC's key, and the pinned office keys.
    Show,
    /// Write the enrolment request (JSON, signed by the key) for the central office.
    EnrolRequest { out: PathBuf },
    /// Print the enrolment form with the fingerprint (PDF), to sign and send on paper.
    EnrolmentForm { out: PathBuf },
    /// Write this PC's public key as a minisign `.pub` file (the office gives it to the units).
    ExportPublic { out: PathBuf },
    /// Pin the office's receipt key: a minisign public key line, or a `.pub` file.
    PinOffice { key: String },
}

#[derive(Subcommand)]
pub enum BundleCmd {
    /// Make the signed bundle of a signed document (已签发 → 已封装) and write it to OUT.
    Export { id: String, out: PathBuf },
    /// Verify a bundle against this PC's trust store (exit 0: fit for review; 3: reasons).
    Verify { file: PathBuf },
    /// A document's bundles and their receipts.
    List { id: String },
    /// Write an earlier bundle again, byte for byte.
    Rewrite { submission: String, out: PathBuf },
}

#[derive(Subcommand)]
pub enum ReceiptCmd {
    /// Import a receipt from the central office; the document's status follows it.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
pub enum IntakeCmd {
    /// Enrol a device key from its enrolment request (pending until activated).
    Enrol { file: PathBuf },
    /// Activate a key once the fingerprint on the signed paper form matches.
    Activate {
        key: String,
        #[arg(long)]
        fingerprint: String,
    },
    /// Retire a key; its bundles are still accepted for the overlap.
    Retire {
        key: String,
        #[arg(long, default_value_t = 30)]
        overlap_days: u32,
    },
    /// Revoke a key (lost or compromised PC).
    Revoke {
        key: String,
        #[arg(long)]
        reason: String,
    },
    /// The trust store.
    Keys,
    /// Receive a bundle: verify it and record it.
    Receive { file: PathBuf },
    /// Received bundles.
    List,
    /// Write a received bundle's files (policy, interpretation, forms) into a folder to read.
    Files {
        submission: String,
        /// The folder (a subfolder named after the submission is made in it).
        out: PathBuf,
    },
    /// Accept a received bundle; writes the signed receipt to OUT.
    Accept { submission: String, out: PathBuf },
    /// Return (退文) with reasons; writes the signed receipt to OUT.
    Return {
        submission: String,
        out: PathBuf,
        /// Repeatable; the verification's own reasons are added.
        #[arg(long = "reason")]
        reasons: Vec<String>,
    },
    /// Record the publication (date, URL); writes the signed receipt to OUT.
    Publish {
        submission: String,
        out: PathBuf,
        #[arg(long)]
        date: String,
        #[arg(long)]
        url: String,
    },
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

/// The key password: `GONGKAI_KEY_PASSWORD`, else a prompt, else a line of standard input.
pub(crate) fn password_prompt(prompt: &str) -> Result<String, ApiError> {
    password(prompt)
}

fn password(prompt: &str) -> Result<String, ApiError> {
    if let Ok(p) = std::env::var("GONGKAI_KEY_PASSWORD") {
        if !p.is_empty() {
            return Ok(p);
        }
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt).map_err(internal);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(internal)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn written(w: &WrittenFile) -> String {
    format!("已写入 {}（{} 字节）\n", w.path, w.bytes)
}

fn key_text(k: &KeyView) -> String {
    format!(
        "密钥编号：{}\n算法：{}\n指纹：{}\n生成：{}（{}）\n公钥：{}\n",
        k.key_id, k.algorithm, k.fingerprint, k.created_at, k.created_by, k.public_key
    )
}

fn trusted_text(keys: &[TrustedKeyView]) -> String {
    let mut o = String::new();
    for k in keys {
        let _ = writeln!(
            o,
            "{}  {}（{}）  {}  {}  {}",
            k.key_id, k.unit_name, k.unit_code, k.state, k.clerk, k.fingerprint
        );
        if let Some(r) = &k.revoke_reason {
            let _ = writeln!(o, "    吊销原因：{r}");
        }
    }
    if o.is_empty() {
        o.push_str("（信任库中没有密钥）\n");
    }
    o
}

fn verdict_text(v: &VerdictView) -> String {
    let mut o = String::new();
    if let (Some(id), Some(title)) = (&v.submission_id, &v.title) {
        let _ = writeln!(
            o,
            "报送编号：{id}\n单位：{}\n标题：{title}",
            v.unit_code.as_deref().unwrap_or("")
        );
    }
    if v.duplicate {
        o.push_str("该报送包此前已收到（内容相同）。\n");
    }
    if v.accepted_for_review {
        o.push_str("校验通过：可以送审核。\n");
    } else {
        o.push_str("校验未通过：\n");
    }
    for r in &v.reasons {
        let _ = writeln!(o, "  [{}] {}", r.code, r.message);
    }
    for w in &v.warnings {
        let _ = writeln!(o, "  提示 [{}] {}", w.code, w.message);
    }
    o
}

fn intake_text(list: &[IntakeView]) -> String {
    let mut o = String::new();
    for i in list {
        let _ = writeln!(
            o,
            "{}  {}  {}  {}  {}",
            i.submission_id, i.status, i.unit_name, i.received_at, i.title
        );
    }
    if o.is_empty() {
        o.push_str("（尚未收到报送包）\n");
    }
    o
}

pub fn keys(api: &Api, f: Format, cmd: KeysCmd) -> Result<(), ApiError> {
    let out = |r: anyhow::Result<()>| r.map_err(internal);
    match cmd {
        KeysCmd::Generate { algorithm } => {
            let pw = password("设置签名密钥密码（至少8位）：")?;
            let k = api.keys_generate(KeyGenerateRequest {
                password: pw,
                algorithm,
            })?;
            out(emit(f, &k, |k| {
                format!("已生成签名密钥。\n{}", key_text(k))
            }))
        }
        KeysCmd::Show => {
            let info = api.exchange_info()?;
            out(emit(f, &info, |i| {
                let mut o = format!(
                    "角色：{}\n",
                    match i.role {
                        gongkai_api::Role::Office => "指挥中心",
                        gongkai_api::Role::Unit => "报送单位",
                    }
                );
                match &i.key {
                    Some(k) => o.push_str(&key_text(k)),
                    None => o.push_str("本机还没有签名密钥：gongkai keys generate\n"),
                }
                for k in &i.office_keys {
                    let _ = writeln!(o, "指挥中心回执公钥：{} {}", k.key_id, k.public_key);
                }
                o
            }))
        }
        KeysCmd::EnrolRequest { out: p } => {
            let pw = password("签名密钥密码：")?;
            let w = api.keys_enrolment_request(KeyUseRequest {
                password: pw,
                path: path(&p),
            })?;
            out(emit(f, &w, written))
        }
        KeysCmd::EnrolmentForm { out: p } => {
            let w = api.keys_enrolment_form(PathRequest { path: path(&p) })?;
            out(emit(f, &w, written))
        }
        KeysCmd::ExportPublic { out: p } => {
            let w = api.keys_public_file(PathRequest { path: path(&p) })?;
            out(emit(f, &w, written))
        }
        KeysCmd::PinOffice { key } => {
            let text = if Path::new(&key).is_file() {
                std::fs::read_to_string(&key).map_err(internal)?
            } else {
                key
            };
            let k = api.office_key_pin(OfficeKeyRequest { public_key: text })?;
            out(emit(f, &k, |k| {
                format!("已登记指挥中心回执公钥 {}\n", k.key_id)
            }))
        }
    }
}

pub fn bundle(api: &Api, f: Format, cmd: BundleCmd) -> Result<(), ApiError> {
    let out = |r: anyhow::Result<()>| r.map_err(internal);
    match cmd {
        BundleCmd::Export { id, out: p } => {
            let doc_id = resolve(api, &id)?;
            let pw = password("签名密钥密码：")?;
            let b = api.bundle_export(BundleExportRequest {
                doc_id,
                password: pw,
                path: path(&p),
            })?;
            out(emit(f, &b, |b| {
                let mut o = format!(
                    "报送编号：{}\n内容校验值：{}\n",
                    b.submission.submission_id, b.submission.content_sha256
                );
                for x in &b.files {
                    let _ = writeln!(o, "  {}  {}  {} 字节", x.role, x.path, x.size);
                }
                o.push_str(&written(&b.file));
                if !b.new {
                    o.push_str("（该文件已封装过，本次写出的是同一个报送包）\n");
                }
                o
            }))
        }
        BundleCmd::Verify { file } => {
            let v = api.bundle_verify(FileRequest { path: path(&file) })?;
            if !v.accepted_for_review {
                REJECTED.store(true, Ordering::SeqCst);
            }
            out(emit(f, &v, verdict_text))
        }
        BundleCmd::List { id } => {
            let doc_id = resolve(api, &id)?;
            let list = api.bundle_list(DocRef { doc_id })?;
            out(emit(f, &list, |l| {
                let mut o = String::new();
                for s in l {
                    let _ = writeln!(
                        o,
                        "{}  {}  {}  {} 字节",
                        s.submission_id, s.created_at, s.file_name, s.bytes
                    );
                    for r in &s.receipts {
                        let _ = writeln!(o, "    回执：{}  {}", r.label, r.decided_at);
                    }
                }
                if o.is_empty() {
                    o.push_str("（尚未生成报送包）\n");
                }
                o
            }))
        }
        BundleCmd::Rewrite { submission, out: p } => {
            let w = api.bundle_rewrite(BundleRewriteRequest {
                submission_id: submission,
                path: path(&p),
            })?;
            out(emit(f, &w, written))
        }
    }
}

pub fn receipt(api: &Api, f: Format, cmd: ReceiptCmd) -> Result<(), ApiError> {
    let out = |r: anyhow::Result<()>| r.map_err(internal);
    match cmd {
        ReceiptCmd::Import { file } => {
            let r = api.receipt_import(FileRequest { path: path(&file) })?;
            out(emit(f, &r, |r| {
                let mut o = format!(
                    "回执：{}（{}）\n文件：{}\n当前状态：{}\n",
                    r.receipt.label,
                    r.receipt.decided_at,
                    r.title,
                    r.stage.label()
                );
                for x in &r.receipt.reasons {
                    let _ = writeln!(o, "  退文理由 [{}] {}", x.code, x.message);
                }
                if let Some(n) = &r.note {
                    let _ = writeln!(o, "{n}");
                }
                o
            }))
        }
    }
}

pub fn intake(api: &Api, f: Format, cmd: IntakeCmd) -> Result<(), ApiError> {
    let out = |r: anyhow::Result<()>| r.map_err(internal);
    let one = |k: TrustedKeyView| out(emit(f, &k, |k| trusted_text(std::slice::from_ref(k))));
    let decide = |submission: String,
                  decision: &str,
                  p: PathBuf,
                  reasons: Vec<String>,
                  date: String,
                  url: String|
     -> Result<(), ApiError> {
        let pw = password("指挥中心签名密钥密码：")?;
        let d = api.intake_decide(DecideRequest {
            submission_id: submission,
            decision: decision.into(),
            reasons,
            published_on: date,
            url,
            password: pw,
            path: path(&p),
        })?;
        out(emit(f, &d, |d| {
            format!(
                "{}：{}\n{}",
                d.receipt.label,
                d.intake.title,
                written(&d.file)
            )
        }))
    };
    match cmd {
        IntakeCmd::Enrol { file } => one(api.trust_enrol(FileRequest { path: path(&file) })?),
        IntakeCmd::Activate { key, fingerprint } => {
            one(api.trust_activate(KeyActivateRequest {
                key_id: key,
                fingerprint,
            })?)
        }
        IntakeCmd::Retire { key, overlap_days } => one(api.trust_retire(KeyRetireRequest {
            key_id: key,
            overlap_days,
        })?),
        IntakeCmd::Revoke { key, reason } => one(api.trust_revoke(KeyRevokeRequest {
            key_id: key,
            reason,
        })?),
        IntakeCmd::Keys => out(emit(f, &api.trust_list()?, |k| trusted_text(k))),
        IntakeCmd::Receive { file } => {
            let r = api.intake_receive(FileRequest { path: path(&file) })?;
            if !r.verdict.accepted_for_review {
                REJECTED.store(true, Ordering::SeqCst);
            }
            out(emit(f, &r, |r| {
                let mut o = verdict_text(&r.verdict);
                if r.recorded {
                    o.push_str("已登记收件。\n");
                }
                o
            }))
        }
        IntakeCmd::List => out(emit(f, &api.intake_list()?, |l| intake_text(l))),
        IntakeCmd::Files { submission, out: p } => {
            let r = api.intake_files(gongkai_api::IntakeFilesRequest {
                submission_id: submission,
                path: path(&p),
            })?;
            out(emit(f, &r, |r| {
                let mut o = format!("已写出到 {}\n", r.folder);
                for x in &r.files {
                    let _ = writeln!(o, "  {}（{} 字节）", x.path, x.bytes);
                }
                o
            }))
        }
        IntakeCmd::Accept { submission, out: p } => decide(
            submission,
            "accept",
            p,
            vec![],
            String::new(),
            String::new(),
        ),
        IntakeCmd::Return {
            submission,
            out: p,
            reasons,
        } => decide(
            submission,
            "return",
            p,
            reasons,
            String::new(),
            String::new(),
        ),
        IntakeCmd::Publish {
            submission,
            out: p,
            date,
            url,
        } => decide(submission, "publish", p, vec![], date, url),
    }
}

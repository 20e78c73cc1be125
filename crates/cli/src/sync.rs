//! `gongkai sync …` (this PC and the hub), `gongkai hub serve` (the office's hub), and the
//! document commands sync needs: `doc edit` (a new revision from a script) and `doc resolve`.

use crate::{emit, exchange::password_prompt, invalid, resolve, Format};
use anyhow::Result as CliResult;
use clap::Subcommand;
use gongkai_api::{
    Api, ApiError, ErrorCode, ResolveRequest, SyncConfigRequest, SyncNowRequest, UnitResolveRequest,
};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum SyncCmd {
    /// Point this PC at the hub the central office runs.
    Config {
        /// https://host:port (http only to 127.0.0.1)
        #[arg(long)]
        hub: String,
        /// The office CA certificate (PEM), the only trust anchor for https.
        #[arg(long)]
        ca: Option<PathBuf>,
    },
    /// Sync now (asks for the key password, or GONGKAI_KEY_PASSWORD).
    Now,
    /// Pending changes, last sync, conflicts, last error.
    Status,
    /// Documents and register records (applications, consultations, duty records, year-end
    /// reviews) in 冲突, with their versions.
    Conflicts,
    /// Ends a register record's 冲突 (listed by `sync conflicts`): keep one side, with why.
    Keep {
        /// The record, e.g. request:… (from `sync conflicts`).
        register: String,
        /// The side to keep (its event id).
        event: String,
        #[arg(long)]
        reason: String,
    },
    /// Write a signed transfer bag (removable media): at a unit's PC, its changes and bundles
    /// not yet exported; at the office, the bag for `--unit` (key list, reference data, its
    /// receipts).
    ExportMedia {
        out: PathBuf,
        /// Everything from the first change.
        #[arg(long)]
        all: bool,
        /// Office: the unit code the bag is for.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Read a transfer bag: another PC of the unit's, the office's, or (at the office) a unit's.
    ImportMedia { file: PathBuf },
    /// Office: load a newer reference dataset ({"name", "version", "data"}), used here and
    /// published to the units with the next `sync now`.
    ImportReference { file: PathBuf },
}

#[derive(Subcommand)]
pub enum HubCmd {
    /// Run the hub.
    Serve {
        /// Address to listen on, e.g. 0.0.0.0:8443 (port 0 picks one and prints it).
        #[arg(long, default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// sqlite://PATH (default: hub.db in the data folder) or postgres://user@host/db
        #[arg(long)]
        db: Option<String>,
        /// The office's minisign public key file (the one the units pin).
        #[arg(long)]
        office_key: PathBuf,
        /// The hub's certificate chain (PEM), issued by the bureau's CA: needed on any address
        /// but loopback.
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, e.to_string())
}

pub fn sync(api: &Api, f: Format, cmd: SyncCmd) -> Result<(), ApiError> {
    match cmd {
        SyncCmd::Config { hub, ca } => {
            let s = api.sync_config(SyncConfigRequest {
                hub,
                ca_file: ca.map(|p| p.display().to_string()),
            })?;
            let plain = s.hub.as_deref().is_some_and(|h| h.starts_with("http://"));
            out(emit(f, &s, |s| {
                let mut t = format!("同步服务器：{}\n", s.hub.as_deref().unwrap_or(""));
                if plain {
                    t.push_str("注意：这是本机上的明文 http 连接，只用于测试或本机部署。\n");
                }
                t
            }))
        }
        SyncCmd::Now => {
            let pw = password_prompt("签名密钥密码：")?;
            let r = api.sync_now(SyncNowRequest { password: pw })?;
            out(emit(f, &r, |r| {
                let mut t = format!(
                    "同步完成：上传 {} 条，下载 {} 条，新修订 {} 个，新冲突 {} 个，报送包上传 {} 个",
                    r.pushed, r.pulled, r.applied_revisions, r.new_conflicts, r.uploaded
                );
                if r.received > 0 || r.key_list_version.is_some() {
                    t.push_str(&format!(
                        "；收到报送 {} 个，密钥清单第 {} 版",
                        r.received,
                        r.key_list_version.unwrap_or(0)
                    ));
                }
                if r.register_sent > 0 || r.register_received > 0 {
                    t.push_str(&format!(
                        "；依申请公开消息发出 {} 条、收到 {} 条",
                        r.register_sent, r.register_received
                    ));
                }
                t.push('\n');
                for p in &r.register_problems {
                    t.push_str(&format!("{p}\n"));
                }
                if r.waiting_for_key {
                    t.push_str("本机还没有拿到本单位的数据密钥：请让本单位已同步过的电脑再同步一次，然后本机再同步。\n");
                }
                t
            }))
        }
        SyncCmd::Status => {
            let s = api.sync_status()?;
            out(emit(f, &s, |s| {
                format!(
                    "同步服务器：{}\n待上传：{}\n等待处理：{}\n冲突：{}\n上次同步：{}\n{}",
                    s.hub.as_deref().unwrap_or("（未设置）"),
                    s.pending,
                    s.waiting,
                    s.conflicts,
                    s.last_sync.as_deref().unwrap_or("从未"),
                    s.last_error
                        .as_deref()
                        .map(|e| format!("上次错误：{e}\n"))
                        .unwrap_or_default()
                )
            }))
        }
        SyncCmd::ExportMedia {
            out: path,
            all,
            unit,
        } => {
            let pw = password_prompt("签名密钥密码：")?;
            let r = api.sync_export_media(gongkai_api::MediaExportRequest {
                password: pw,
                path: path.display().to_string(),
                all,
                unit,
            })?;
            out(emit(f, &r, |r| {
                let mut t = if r.receipts > 0 || r.reference > 0 {
                    format!(
                        "已写入 {}：回执 {} 份，参考数据 {} 项，转办消息 {} 条，密钥清单\n",
                        r.file.path, r.receipts, r.reference, r.notes
                    )
                } else {
                    format!(
                        "已写入 {}：{} 条变更（{}），报送包 {} 个，依申请公开消息 {} 条\n",
                        r.file.path,
                        r.changes,
                        r.ranges.join("，"),
                        r.submissions,
                        r.notes
                    )
                };
                if r.notes_waiting > 0 {
                    t.push_str(&format!(
                        "另有 {} 条转办消息未放入：还不知道该单位电脑的加密公钥，请先导入该单位电脑导出的传输包。\n",
                        r.notes_waiting
                    ));
                }
                t
            }))
        }
        SyncCmd::ImportReference { file } => {
            let r = api.reference_import(gongkai_api::FileRequest {
                path: file.display().to_string(),
            })?;
            out(emit(f, &r, |r| {
                if r.loaded {
                    format!(
                        "已载入参考数据 {} 第 {} 版；下次同步时发布给各单位。\n",
                        r.name, r.version
                    )
                } else {
                    format!(
                        "本机已有参考数据 {} 第 {} 版或更新的版本，未载入。\n",
                        r.name, r.version
                    )
                }
            }))
        }
        SyncCmd::ImportMedia { file } => {
            let pw = password_prompt("签名密钥密码：")?;
            let r = api.sync_import_media(gongkai_api::MediaImportRequest {
                password: pw,
                path: file.display().to_string(),
            })?;
            out(emit(f, &r, |r| {
                let mut t = format!(
                    "已导入 {} 条：新修订 {} 个，新冲突 {} 个，等待处理 {} 条，收到报送包 {} 个，回执 {} 份，参考数据更新 {} 项，依申请公开消息 {} 条\n",
                    r.changes, r.applied_revisions, r.new_conflicts, r.waiting, r.received,
                    r.receipts, r.reference, r.register
                );
                for p in &r.problems {
                    t.push_str(&format!("未收：{p}\n"));
                }
                t
            }))
        }
        SyncCmd::Conflicts => {
            let all = AllConflicts {
                documents: api.sync_conflicts()?,
                records: api.unit_conflicts()?,
            };
            out(emit(f, &all, conflicts_text))
        }
        SyncCmd::Keep {
            register,
            event,
            reason,
        } => {
            let left = api.unit_resolve(UnitResolveRequest {
                register,
                keep_event_id: event,
                reason,
            })?;
            let all = AllConflicts {
                documents: api.sync_conflicts()?,
                records: left,
            };
            out(emit(f, &all, conflicts_text))
        }
    }
}

/// What `sync conflicts` prints.
#[derive(serde::Serialize)]
struct AllConflicts {
    documents: Vec<gongkai_api::ConflictView>,
    records: Vec<gongkai_api::UnitConflictView>,
}

fn conflicts_text(all: &AllConflicts) -> String {
    if all.documents.is_empty() && all.records.is_empty() {
        return "没有冲突。\n".into();
    }
    /// One leaf: (shown here, id, who, when, what).
    type Row<'a> = (bool, &'a str, &'a str, &'a str, &'a str);
    fn rows<'a>(t: &mut String, label: &str, rows: impl IntoIterator<Item = Row<'a>>) {
        let mut rows = rows.into_iter().peekable();
        if rows.peek().is_none() {
            return;
        }
        if !label.is_empty() {
            t.push_str(label);
            t.push('\n');
        }
        for (head, id, who, at, what) in rows {
            let mark = if head { "*" } else { " " };
            let text = format!("  {mark} {id}  {who}  {at}  {what}");
            t.push_str(text.trim_end());
            t.push('\n');
        }
    }
    let mut t = String::new();
    for c in &all.documents {
        t.push_str(&format!("{}  {}\n", c.doc_id, c.title));
        let body = c.leaves.iter();
        let body = body.map(|l| (l.is_head, &*l.rev_id, &*l.author_name, &*l.created_at, ""));
        rows(&mut t, "    正文（--keep）：", body);
        let package = c.package_leaves.iter();
        let package = package.map(|l| (l.is_head, &*l.rev_id, &*l.author_name, &*l.created_at, ""));
        rows(&mut t, "    解读材料（--keep-package）：", package);
        for r in &c.records {
            let label = format!("    {}（--keep-record，需 --reason）：", r.label);
            rows(&mut t, &label, events(&r.leaves));
        }
    }
    for r in &all.records {
        if r.kind == "serial" {
            let label = format!(
                "{}（用 gongkai request renumber ID 给其中一件重新编号）",
                r.label
            );
            let apps = r
                .requests
                .iter()
                .map(|u| (false, &*u.request_id, "", "", &*u.summary));
            rows(&mut t, &label, apps);
        } else {
            let label = format!(
                "{}（gongkai sync keep {} 版本 --reason 理由）",
                r.label, r.register
            );
            rows(&mut t, &label, events(&r.leaves));
        }
    }
    t
}

/// A register's leaves as rows of `conflicts_text`.
fn events(l: &[gongkai_api::RecordLeafView]) -> Vec<(bool, &str, &str, &str, &str)> {
    l.iter()
        .map(|l| {
            (
                l.is_head,
                &*l.event_id,
                &*l.author,
                &*l.created_at,
                &*l.summary,
            )
        })
        .collect()
}

fn out(r: CliResult<()>) -> Result<(), ApiError> {
    r.map_err(internal)
}

/// `doc edit ID --body-file FILE [--title T]`: a new revision on top of the head.
pub fn doc_edit(
    api: &Api,
    f: Format,
    id: &str,
    body_file: &PathBuf,
    title: Option<String>,
) -> Result<(), ApiError> {
    let doc_id = resolve(api, id)?;
    let body = std::fs::read_to_string(body_file).map_err(|e| {
        invalid(&format!(
            "无法读取正文文件 {}：{e}（须为 UTF-8 文本）。",
            body_file.display()
        ))
    })?;
    let doc = api.doc_get(gongkai_api::DocRef {
        doc_id: doc_id.clone(),
    })?;
    let mut fields = doc.fields.clone();
    fields.body = body.lines().map(str::to_string).collect();
    if let Some(t) = title {
        fields.title = t;
    }
    let r = api.doc_save(gongkai_api::SaveRequest {
        doc_id,
        base_rev_id: doc.head.rev_id.to_string(),
        fields,
    })?;
    out(emit(f, &r, |r| {
        if r.saved {
            format!("已保存新版本 {}\n", r.head.rev_id)
        } else {
            "内容未变，没有新版本。\n".into()
        }
    }))
}

/// What `doc resolve` was asked.
pub struct ResolveArgs {
    pub keep: Option<String>,
    pub merge_file: Option<PathBuf>,
    pub keep_package: Option<String>,
    pub keep_record: Vec<String>,
    pub reason: Option<String>,
}

/// `doc resolve ID [--keep REV | --merge-file FILE] [--keep-package REV]
/// [--keep-record ID … --reason TEXT]`.
pub fn doc_resolve(api: &Api, f: Format, id: &str, a: ResolveArgs) -> Result<(), ApiError> {
    let doc_id = resolve(api, id)?;
    let fields = match &a.merge_file {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| invalid(&format!("无法读取合并文件 {}：{e}", p.display())))?;
            // A JSON document (all fields), or plain text: the head's fields with this body.
            match serde_json::from_str::<gongkai_core::DocFields>(&text) {
                Ok(fields) => Some(fields),
                Err(_) => {
                    let doc = api.doc_get(gongkai_api::DocRef {
                        doc_id: doc_id.clone(),
                    })?;
                    let mut fields = doc.fields;
                    fields.body = text.lines().map(str::to_string).collect();
                    Some(fields)
                }
            }
        }
        None => None,
    };
    let mut records = Vec::new();
    if !a.keep_record.is_empty() {
        let conflicts = api.sync_conflicts()?;
        let mine = conflicts.iter().find(|c| c.doc_id == doc_id);
        for event in &a.keep_record {
            let register = mine
                .and_then(|c| {
                    c.records
                        .iter()
                        .find(|r| r.leaves.iter().any(|l| &l.event_id == event))
                })
                .map(|r| r.register.clone())
                .ok_or_else(|| {
                    invalid(&format!(
                        "{event} 不是这份文件冲突中的记录，请用 gongkai sync conflicts 查看。"
                    ))
                })?;
            records.push(gongkai_api::RecordChoice {
                register,
                keep_event_id: event.clone(),
            });
        }
    }
    let r = api.doc_resolve(ResolveRequest {
        doc_id,
        keep_rev_id: a.keep,
        fields,
        keep_package_rev_id: a.keep_package,
        package: None,
        records,
        reason: a.reason,
    })?;
    out(emit(f, &r, |r| {
        if r.saved {
            format!("冲突已解决，合并版本 {}\n", r.head.rev_id)
        } else {
            "冲突已解决。\n".into()
        }
    }))
}

/// `hub serve`: runs until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub fn hub(data_dir: &std::path::Path, cmd: HubCmd) -> anyhow::Result<()> {
    let HubCmd::Serve {
        listen,
        db,
        office_key,
        tls_cert,
        tls_key,
    } = cmd;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GONGKAI_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let db = db.unwrap_or_else(|| format!("sqlite://{}", data_dir.join("hub.db").display()));
    let key = std::fs::read_to_string(&office_key)
        .map_err(|e| anyhow::anyhow!("读不了指挥中心公钥文件 {}：{e}", office_key.display()))?;
    let tls = match (tls_cert, tls_key) {
        (Some(c), Some(k)) => {
            let read = |p: &PathBuf| {
                std::fs::read(p).map_err(|e| anyhow::anyhow!("读不了 {}：{e}", p.display()))
            };
            Some(
                gongkai_hub::tls::server_config(&read(&c)?, &read(&k)?)
                    .map_err(anyhow::Error::msg)?,
            )
        }
        _ => None,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let store = gongkai_hub::open_store(&db).await?;
        let mut state =
            gongkai_hub::HubState::new(store, &key, std::sync::Arc::new(gongkai_hub::WallClock))?;
        state.exit_after_commit =
            std::env::var("GONGKAI_HUB_FAULT").as_deref() == Ok("exit-after-commit");
        let scheme = if tls.is_some() { "https" } else { "http" };
        let hub = match tls {
            Some(config) => gongkai_hub::start_tls(listen, state, config).await?,
            None => gongkai_hub::start(listen, state).await?,
        };
        // Scripts read the bound address from this line.
        println!("listening on {scheme}://{}", hub.addr);
        use std::io::Write;
        std::io::stdout().flush()?;
        shutdown_signal().await;
        tracing::info!("shutting down");
        hub.stop().await?;
        anyhow::Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_api::{RecordConflictView, RecordLeafView, SerialUserView, UnitConflictView};

    fn side(id: &str, head: bool, what: &str) -> RecordLeafView {
        RecordLeafView {
            event_id: id.into(),
            author: "王晓明".into(),
            created_at: "2026-11-23 10:00".into(),
            is_head: head,
            summary: what.into(),
        }
    }

    #[test]
    fn the_text_lists_each_side_under_what_to_type() {
        assert_eq!(
            conflicts_text(&AllConflicts {
                documents: vec![],
                records: vec![]
            }),
            "没有冲突。\n"
        );
        let all = AllConflicts {
            documents: vec![gongkai_api::ConflictView {
                doc_id: "d1".into(),
                title: "通告".into(),
                leaves: vec![],
                package_leaves: vec![],
                records: vec![RecordConflictView {
                    register: "workflow".into(),
                    label: "流程环节".into(),
                    leaves: vec![side("a.1", true, "送审签"), side("b.1", false, "退回")],
                }],
            }],
            records: vec![
                UnitConflictView {
                    kind: "serial".into(),
                    register: "2026-003".into(),
                    label: "流水号 2026-003 重复".into(),
                    leaves: vec![],
                    requests: vec![SerialUserView {
                        request_id: "r1".into(),
                        summary: "张**".into(),
                    }],
                },
                UnitConflictView {
                    kind: "sides".into(),
                    register: "request:r2".into(),
                    label: "依申请公开 2026-004".into(),
                    leaves: vec![side("a.u1", true, "予以公开")],
                    requests: vec![],
                },
            ],
        };
        assert_eq!(
            conflicts_text(&all),
            "d1  通告\n\
             \x20   流程环节（--keep-record，需 --reason）：\n\
             \x20 * a.1  王晓明  2026-11-23 10:00  送审签\n\
             \x20   b.1  王晓明  2026-11-23 10:00  退回\n\
             流水号 2026-003 重复（用 gongkai request renumber ID 给其中一件重新编号）\n\
             \x20   r1      张**\n\
             依申请公开 2026-004（gongkai sync keep request:r2 版本 --reason 理由）\n\
             \x20 * a.u1  王晓明  2026-11-23 10:00  予以公开\n"
        );
    }
}

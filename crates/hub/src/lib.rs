//! The sync hub the central office runs on its intranet.
//!
//! It stores and orders what the PCs send and hands each unit its feed; it is not a trust
//! authority. It trusts one key, the office's (`--office-key`), and learns which device keys
//! may write, and for which unit, only from key lists that key signed ([`auth`]). It never
//! sees a draft: unit-internal payloads arrive encrypted by the PCs for the unit's own PCs.
//!
//! - [`error`]: every refusal is JSON `{code, message}` with a stable code and Chinese text;
//! - [`auth`]: signed requests (key, date within the window, nonce once, signature);
//! - [`routes`]: the HTTP API under `/v1`;
//! - [`tls`]: the bureau's certificate (rustls); without it the hub listens on loopback only;
//! - [`open_store`]: `sqlite://PATH` (default) or `postgres://…`.

pub mod auth;
pub mod error;
pub mod routes;
pub mod tls;

use chrono::{DateTime, Utc};
use gongkai_hub_store::HubStore;
use std::net::SocketAddr;
use std::sync::Arc;

pub use error::HubError;

/// Where the time comes from (tests pass a fixed one).
pub trait HubClock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct WallClock;

impl HubClock for WallClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What the hub needs to run.
pub struct HubState {
    pub store: Arc<dyn HubStore>,
    /// The office's minisign public key (the `.pub` file's text or its base64 line).
    pub office_key: String,
    /// Its key id.
    pub office_key_id: String,
    pub clock: Arc<dyn HubClock>,
    /// Test fault: after a push commits, end the process before answering.
    pub exit_after_commit: bool,
    /// The verified key list, kept for a few seconds (other hub processes on the same
    /// PostgreSQL may publish a newer one); dropped when this hub stores a new list.
    pub(crate) key_cache:
        std::sync::RwLock<Option<(std::time::Instant, Option<Arc<gongkai_sync_proto::KeyList>>)>>,
}

/// Opens the storage named by `url`: `sqlite://PATH` or `postgres://…`/`postgresql://…`.
pub async fn open_store(url: &str) -> Result<Arc<dyn HubStore>, HubError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let store = gongkai_hub_store_sqlite::SqliteHub::open(std::path::Path::new(path))?;
        return Ok(Arc::new(store));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = gongkai_hub_store_postgres::PostgresHub::connect(url).await?;
        return Ok(Arc::new(store));
    }
    Err(HubError::Config(format!(
        "数据库地址应以 sqlite:// 或 postgres:// 开头，收到的是“{url}”"
    )))
}

impl HubState {
    /// The state for `store`, trusting `office_key` (a minisign public key).
    pub fn new(
        store: Arc<dyn HubStore>,
        office_key: &str,
        clock: Arc<dyn HubClock>,
    ) -> Result<HubState, HubError> {
        let office_key_id =
            gongkai_bundle::key_id_of(gongkai_bundle::Algorithm::MinisignEd25519, office_key)
                .map_err(|e| HubError::Config(format!("指挥中心公钥无效：{e}")))?;
        Ok(HubState {
            store,
            office_key: office_key.to_string(),
            office_key_id,
            clock,
            exit_after_commit: false,
            key_cache: std::sync::RwLock::new(None),
        })
    }
}

/// A running hub.
pub struct RunningHub {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningHub {
    /// Stops accepting, finishes the requests in flight, and returns.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Binds `listen` (port 0 picks one) and serves plain HTTP in the background until
/// [`RunningHub::stop`]. Refuses an address other than loopback: use [`start_tls`] there.
pub async fn start(listen: SocketAddr, state: HubState) -> std::io::Result<RunningHub> {
    if !listen.ip().is_loopback() {
        return Err(std::io::Error::other(
            "不使用 TLS 时同步服务器只能监听本机地址（127.0.0.1）：内网部署请用 --tls-cert 和 --tls-key 提供由本局 CA 签发的证书",
        ));
    }
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = routes::router(Arc::new(state));
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
    });
    tracing::info!(%addr, "hub listening (http, loopback)");
    Ok(RunningHub {
        addr,
        shutdown: Some(tx),
        task,
    })
}

/// Like [`start`], over TLS with `config` (see [`tls::server_config`]), on any address.
pub async fn start_tls(
    listen: SocketAddr,
    state: HubState,
    config: Arc<rustls::ServerConfig>,
) -> std::io::Result<RunningHub> {
    let tcp = tokio::net::TcpListener::bind(listen).await?;
    let listener = tls::TlsListener::new(tcp, config)?;
    let addr = axum::serve::Listener::local_addr(&listener)?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = routes::router(Arc::new(state));
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
    });
    tracing::info!(%addr, "hub listening (https)");
    Ok(RunningHub {
        addr,
        shutdown: Some(tx),
        task,
    })
}

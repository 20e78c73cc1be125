//! The HTTP API (all JSON but submission bytes):
//! - `GET /v1/health` — no auth; backend and key list version.
//! - `PUT /v1/keylist` — office: a newer signed key list; `GET /v1/keylist` — anyone enrolled.
//! - `PUT /v1/reference` — office: a newer signed reference dataset; `GET /v1/reference` (the
//!   version of each) and `GET /v1/reference/{name}` — anyone enrolled.
//! - `POST /v1/changes` — a device (active key) pushes a batch of its unit's changes; the
//!   office pushes receipts to any unit.
//! - `GET /v1/feed?since=N&limit=M` — a device reads its unit's feed.
//! - `PUT /v1/submissions/{id}` — a device uploads a bundle (header `gongkai-sha256`);
//!   `GET /v1/submissions?since=N` and `GET /v1/submissions/{id}` — the office reads them.

use crate::auth::{authenticate, Principal};
use crate::{HubError, HubState};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use gongkai_hub_store::StoredKeyList;
use gongkai_sync_proto::{
    ChangeKind, DatasetHead, FeedPage, Health, PushRequest, PushResponse, SignedDataset,
    SignedKeyList, PROTOCOL,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Largest batch of changes, in bytes.
pub const MAX_PUSH_BYTES: usize = 16 * 1024 * 1024;
/// Most changes in one batch.
pub const MAX_BATCH: usize = 1000;
/// Largest feed page.
pub const MAX_PAGE: u32 = 1000;

type Shared = Arc<HubState>;

/// The router.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/keylist", put(put_keylist).get(get_keylist))
        .route("/v1/reference", put(put_reference).get(reference_heads))
        .route("/v1/reference/{name}", get(get_reference))
        .route("/v1/changes", post(push))
        .route("/v1/feed", get(feed))
        .route("/v1/submissions", get(list_submissions))
        .route("/v1/recipients/{unit}", get(unit_recipients))
        .route(
            "/v1/submissions/{id}",
            put(put_submission)
                .get(get_submission)
                .layer(DefaultBodyLimit::max(
                    gongkai_bundle::MAX_BUNDLE_BYTES as usize + 1024,
                )),
        )
        .layer(DefaultBodyLimit::max(MAX_PUSH_BYTES))
        .fallback(|| async { HubError::NotFound("没有这个接口".into()) })
        .layer(axum::middleware::map_response(json_refusals))
        .with_state(state)
}

/// Refusals axum makes itself (body too large, wrong method, bad query) become JSON too.
async fn json_refusals(resp: axum::response::Response) -> axum::response::Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !status.is_client_error() || is_json {
        return resp;
    }
    let (code, message) = match status.as_u16() {
        413 => ("too_large", "请求内容超过同步服务器的上限"),
        405 => ("bad_method", "这个接口不接受该请求方法"),
        _ => ("bad_request", "请求格式不对"),
    };
    let body = gongkai_sync_proto::ErrorBody {
        code: code.into(),
        message: message.into(),
    };
    (status, Json(body)).into_response()
}

fn pq(uri: &Uri) -> String {
    uri.path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| uri.path().to_string())
}

fn parse<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, HubError> {
    serde_json::from_slice(body).map_err(|e| HubError::BadRequest(format!("请求内容格式不对：{e}")))
}

async fn health(State(s): State<Shared>) -> Result<Json<Health>, HubError> {
    let list = s.store.key_list().await?;
    Ok(Json(Health {
        status: "ok".into(),
        protocol: PROTOCOL.into(),
        backend: s.store.backend().into(),
        key_list_version: list.map(|l| l.version),
    }))
}

#[derive(Debug, serde::Serialize)]
struct Stored {
    stored: bool,
    version: u64,
}

async fn put_keylist(
    State(s): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, HubError> {
    let who = authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    if who != Principal::Office {
        return Err(HubError::Forbidden("只有指挥中心能发布密钥清单".into()));
    }
    let signed: SignedKeyList = parse(&body)?;
    let list = signed
        .verify(&s.office_key)
        .map_err(|e| HubError::BadRequest(e.to_string()))?;
    let stored = s
        .store
        .put_key_list(
            &StoredKeyList {
                version: list.version,
                signed,
            },
            s.clock.now(),
        )
        .await?;
    if stored {
        crate::auth::forget_key_list(&s);
    }
    tracing::info!(version = list.version, stored, "key list");
    Ok(Json(Stored {
        stored,
        version: list.version,
    }))
}

async fn get_keylist(
    State(s): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Option<SignedKeyList>>, HubError> {
    authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    Ok(Json(s.store.key_list().await?.map(|l| l.signed)))
}

/// The office publishes a reference dataset: verified with the office key, kept when newer.
async fn put_reference(
    State(s): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<DatasetStored>, HubError> {
    let who = authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    if who != Principal::Office {
        return Err(HubError::Forbidden("只有指挥中心能发布参考数据".into()));
    }
    let signed: SignedDataset = parse(&body)?;
    let d = signed.verify(&s.office_key).map_err(HubError::BadRequest)?;
    let head = DatasetHead {
        name: d.name,
        version: d.version,
    };
    let stored = s.store.put_dataset(&head, &signed, s.clock.now()).await?;
    tracing::info!(name = %head.name, version = head.version, stored, "reference data");
    Ok(Json(DatasetStored { stored, head }))
}

/// The answer to a published dataset.
#[derive(serde::Serialize)]
struct DatasetStored {
    stored: bool,
    #[serde(flatten)]
    head: DatasetHead,
}

async fn reference_heads(
    State(s): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Vec<DatasetHead>>, HubError> {
    authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    Ok(Json(s.store.dataset_heads().await?))
}

async fn get_reference(
    State(s): State<Shared>,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<SignedDataset>, HubError> {
    authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    s.store
        .dataset(&name)
        .await?
        .map(Json)
        .ok_or_else(|| HubError::NotFound(format!("没有参考数据 {name}")))
}

async fn push(
    State(s): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PushResponse>, HubError> {
    let who = authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    who.require_write()?;
    let req: PushRequest = parse(&body)?;
    if req.changes.len() > MAX_BATCH {
        return Err(HubError::BadRequest(format!(
            "一次最多上传 {MAX_BATCH} 条变更"
        )));
    }
    for c in &req.changes {
        match &who {
            Principal::Device { unit_id, .. } => {
                if &c.unit_id != unit_id {
                    return Err(HubError::Forbidden(format!(
                        "本机只能写入本单位（{unit_id}）的记录"
                    )));
                }
                if matches!(c.kind, ChangeKind::Receipt | ChangeKind::OfficeNote) {
                    return Err(HubError::Forbidden(
                        "回执和转办消息只能由指挥中心发出".into(),
                    ));
                }
            }
            Principal::Office => {
                if !matches!(c.kind, ChangeKind::Receipt | ChangeKind::OfficeNote) {
                    return Err(HubError::Forbidden(
                        "指挥中心只向单位发送回执和转办消息，不写单位内部记录".into(),
                    ));
                }
            }
        }
        if c.seq < 1 || c.change_id.is_empty() || c.series.is_empty() {
            return Err(HubError::BadRequest("变更缺少编号或序号".into()));
        }
        if c.kind.is_encrypted() && c.key_version.is_none() {
            return Err(HubError::BadRequest(
                "单位内部记录必须加密后上传（缺少数据密钥版本）".into(),
            ));
        }
    }
    let acks = s.store.push(&req.changes, s.clock.now()).await?;
    if s.exit_after_commit {
        tracing::warn!("fault injection: exiting after commit, before the reply");
        std::process::exit(86);
    }
    Ok(Json(PushResponse { acks }))
}

#[derive(Debug, Deserialize)]
struct FeedQuery {
    since: Option<i64>,
    limit: Option<u32>,
}

async fn feed(
    State(s): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<FeedQuery>,
    body: Bytes,
) -> Result<Json<FeedPage>, HubError> {
    let who = authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    let unit = who
        .unit()
        .ok_or_else(|| HubError::Forbidden("指挥中心请用报送接口读取".into()))?
        .to_string();
    let since = q.since.unwrap_or(0).max(0);
    let limit = q.limit.unwrap_or(500).clamp(1, MAX_PAGE);
    let entries = s.store.feed(&unit, since, limit + 1).await?;
    let more = entries.len() > limit as usize;
    let entries: Vec<_> = entries.into_iter().take(limit as usize).collect();
    let next_since = entries.last().map(|e| e.server_seq).unwrap_or(since);
    let key_list = s.store.key_list().await?.map(|l| l.signed);
    Ok(Json(FeedPage {
        entries,
        next_since,
        more,
        key_list,
    }))
}

async fn put_submission(
    State(s): State<Shared>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, HubError> {
    let who = authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    who.require_write()?;
    let unit = who
        .unit()
        .ok_or_else(|| HubError::Forbidden("报送只能由单位上传".into()))?
        .to_string();
    let claimed = headers
        .get("gongkai-sha256")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let actual = hex::encode(Sha256::digest(&body));
    if claimed != actual {
        return Err(HubError::BadRequest(
            "报送包的校验值与内容不符（传输中损坏？），请重新同步".into(),
        ));
    }
    if id.is_empty() || id.len() > 64 {
        return Err(HubError::BadRequest("报送编号不对".into()));
    }
    let put = s
        .store
        .put_submission(&unit, &id, &actual, &body, s.clock.now())
        .await?;
    Ok(Json(put))
}

#[derive(Debug, Deserialize)]
struct SinceQuery {
    since: Option<i64>,
    limit: Option<u32>,
}

async fn list_submissions(
    State(s): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<SinceQuery>,
    body: Bytes,
) -> Result<impl IntoResponse, HubError> {
    let who = authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    if who != Principal::Office {
        return Err(HubError::Forbidden("只有指挥中心能读取报送".into()));
    }
    let list = s
        .store
        .submissions(
            q.since.unwrap_or(0),
            q.limit.unwrap_or(200).clamp(1, MAX_PAGE),
        )
        .await?;
    Ok(Json(list))
}

/// Office: the signed recipients of a unit's PCs, for sealing a register message to them (the
/// office checks each signature against its own trust store; the hub vouches for nothing).
async fn unit_recipients(
    State(s): State<Shared>,
    Path(unit): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, HubError> {
    let who = authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    if who != Principal::Office {
        return Err(HubError::Forbidden(
            "只有指挥中心能读取各单位电脑的加密公钥".into(),
        ));
    }
    Ok(Json(s.store.recipients(&unit).await?))
}

async fn get_submission(
    State(s): State<Shared>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<impl IntoResponse, HubError> {
    let who = authenticate(&s, method.as_str(), &pq(&uri), &headers, &body).await?;
    if who != Principal::Office {
        return Err(HubError::Forbidden("只有指挥中心能读取报送".into()));
    }
    let (_, bytes) = s
        .store
        .submission_bytes(&id)
        .await?
        .ok_or_else(|| HubError::NotFound(format!("没有编号为 {id} 的报送")))?;
    Ok(bytes)
}

//! Who is asking. A request names its key in the headers and is signed over its method, path,
//! date, nonce and body ([`gongkai_sync_proto::auth`]). The office key is known from
//! `--office-key`; device keys only from the newest key list the office signed. Revoked keys
//! do nothing, retired keys only read, and each nonce is used once within the date window.

use crate::{HubError, HubState};
use axum::http::HeaderMap;
use chrono::{DateTime, Duration, Utc};
use gongkai_bundle::Algorithm;
use gongkai_sync_proto::{
    verify_request, ListedState, RequestAuth, HEADER_DATE, HEADER_KEY, HEADER_NONCE,
    HEADER_SIGNATURE,
};

/// How far a request's date may be from the hub's clock.
pub const WINDOW_MINUTES: i64 = 15;

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// The central office.
    Office,
    /// A unit's PC.
    Device {
        unit_id: String,
        key_id: String,
        /// False for a retired key.
        may_write: bool,
    },
}

impl Principal {
    /// The unit of a device; the office has none.
    pub fn unit(&self) -> Option<&str> {
        match self {
            Principal::Office => None,
            Principal::Device { unit_id, .. } => Some(unit_id),
        }
    }

    /// Refuses a retired device key.
    pub fn require_write(&self) -> Result<(), HubError> {
        match self {
            Principal::Device {
                may_write: false,
                key_id,
                ..
            } => Err(HubError::RetiredKey(key_id.clone())),
            _ => Ok(()),
        }
    }
}

fn header(headers: &HeaderMap, name: &str) -> Result<String, HubError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .filter(|s| !s.is_empty() && s.len() <= 8192)
        .ok_or_else(|| HubError::Unsigned(format!("缺少 {name}")))
}

/// How long a verified key list is reused before it is read again.
const KEY_CACHE: std::time::Duration = std::time::Duration::from_secs(5);

/// The newest key list, verified with the office key (cached for [`KEY_CACHE`]).
pub async fn key_list(
    state: &HubState,
) -> Result<Option<std::sync::Arc<gongkai_sync_proto::KeyList>>, HubError> {
    if let Ok(guard) = state.key_cache.read() {
        if let Some((at, list)) = guard.as_ref() {
            if at.elapsed() < KEY_CACHE {
                return Ok(list.clone());
            }
        }
    }
    let stored = state.store.key_list().await?;
    let list = stored
        .map(|s| s.signed.verify(&state.office_key))
        .transpose()
        .map_err(|e| HubError::Config(e.to_string()))?
        .map(std::sync::Arc::new);
    if let Ok(mut guard) = state.key_cache.write() {
        *guard = Some((std::time::Instant::now(), list.clone()));
    }
    Ok(list)
}

/// Forgets the cached key list (a newer one was stored).
pub fn forget_key_list(state: &HubState) {
    if let Ok(mut guard) = state.key_cache.write() {
        *guard = None;
    }
}

/// Checks a request; see the module doc.
pub async fn authenticate(
    state: &HubState,
    method: &str,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Principal, HubError> {
    let auth = RequestAuth {
        key_id: header(headers, HEADER_KEY)?,
        date: header(headers, HEADER_DATE)?,
        nonce: header(headers, HEADER_NONCE)?,
        signature: header(headers, HEADER_SIGNATURE)?,
    };
    let now = state.clock.now();
    let date: DateTime<Utc> = DateTime::parse_from_rfc3339(&auth.date)
        .map_err(|_| HubError::Unsigned("日期格式不对".into()))?
        .with_timezone(&Utc);
    if (date - now).num_minutes().abs() > WINDOW_MINUTES {
        return Err(HubError::ClockSkew(WINDOW_MINUTES));
    }
    let (principal, algorithm, public_key) = if auth.key_id == state.office_key_id {
        (
            Principal::Office,
            Algorithm::MinisignEd25519,
            state.office_key.clone(),
        )
    } else {
        let list = key_list(state).await?;
        let key = list
            .as_deref()
            .and_then(|l| l.key(&auth.key_id))
            .ok_or_else(|| HubError::UnknownKey(auth.key_id.clone()))?;
        if key.state == ListedState::Revoked {
            return Err(HubError::RevokedKey(key.key_id.clone()));
        }
        let algorithm = Algorithm::parse(&key.algorithm)
            .ok_or_else(|| HubError::UnknownKey(auth.key_id.clone()))?;
        (
            Principal::Device {
                unit_id: key.unit_id.clone(),
                key_id: key.key_id.clone(),
                may_write: key.state == ListedState::Active,
            },
            algorithm,
            key.public_key.clone(),
        )
    };
    verify_request(algorithm, &public_key, method, path_and_query, &auth, body)
        .map_err(HubError::BadSignature)?;
    let forget = now - Duration::minutes(WINDOW_MINUTES * 2);
    if !state
        .store
        .use_nonce(&auth.key_id, &auth.nonce, now, forget)
        .await?
    {
        return Err(HubError::Replayed);
    }
    Ok(principal)
}

//! Talking to the hub: every request signed by this PC's key (date from the clock, a fresh
//! nonce), TLS with the office's CA as the only trust anchor, plain HTTP only to this machine.

use crate::SyncError;
use gongkai_bundle::Signer;
use gongkai_sync_proto::{
    sign_request, ErrorBody, HEADER_DATE, HEADER_KEY, HEADER_NONCE, HEADER_SIGNATURE,
};
use std::sync::Arc;
use std::time::Duration;

/// When and with which nonce a request is signed (from the caller's clock and id source).
#[derive(Debug, Clone, Copy)]
pub struct Stamp<'a> {
    pub date: &'a str,
    pub nonce: &'a str,
}

/// A hub address and how to reach it.
pub struct HubClient {
    base: String,
    http: reqwest::Client,
    /// Always `Some` until dropped.
    rt: Option<tokio::runtime::Runtime>,
}

impl Drop for HubClient {
    fn drop(&mut self) {
        // Dropping a runtime inside another one's async context panics; this does not block.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

impl std::fmt::Debug for HubClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubClient")
            .field("base", &self.base)
            .finish()
    }
}

/// Checks a hub address: `https://…`, or `http://` to this machine only.
pub fn check_hub_url(url: &str) -> Result<String, SyncError> {
    let url = url.trim().trim_end_matches('/');
    let parsed = reqwest::Url::parse(url).map_err(|_| {
        SyncError::Config(format!(
            "同步服务器地址“{url}”格式不对，应如 https://10.1.2.3:8443"
        ))
    })?;
    match parsed.scheme() {
        "https" => {}
        "http" => {
            let local = match parsed.host() {
                Some(url::Host::Domain(d)) => d == "localhost",
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if !local {
                return Err(SyncError::Config(
                    "明文 http 只能连接本机（127.0.0.1）上的同步服务器；内网同步请使用 https，并指定指挥中心的根证书（PEM 文件；命令行用 --ca）"
                        .into(),
                ));
            }
        }
        _ => {
            return Err(SyncError::Config(format!(
                "同步服务器地址应以 https:// 开头，收到的是“{url}”"
            )))
        }
    }
    if parsed.path() != "/" && !parsed.path().is_empty() {
        return Err(SyncError::Config(
            "同步服务器地址只写到端口，不要带路径".into(),
        ));
    }
    Ok(url.to_string())
}

impl HubClient {
    /// A client for `base`; `ca_pem` is the office CA (required for https).
    pub fn new(base: &str, ca_pem: Option<&[u8]>) -> Result<HubClient, SyncError> {
        let base = check_hub_url(base)?;
        if base.starts_with("https://") && ca_pem.is_none() {
            return Err(SyncError::Config(
                "使用 https 时须指定指挥中心的根证书（PEM 文件；命令行用 --ca）：请在“根证书”一栏填写它的位置。".into(),
            ));
        }
        let mut roots = rustls::RootCertStore::empty();
        if let Some(pem) = ca_pem {
            use rustls::pki_types::pem::PemObject;
            for cert in rustls::pki_types::CertificateDer::pem_slice_iter(pem) {
                let cert =
                    cert.map_err(|_| SyncError::Config("根证书文件不是有效的 PEM".into()))?;
                roots
                    .add(cert)
                    .map_err(|e| SyncError::Config(format!("根证书无效：{e}")))?;
            }
            if roots.is_empty() {
                return Err(SyncError::Config("根证书文件里没有证书".into()));
            }
        }
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| SyncError::Config(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .no_proxy()
            .build()
            .map_err(|e| SyncError::Config(e.to_string()))?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| SyncError::Config(e.to_string()))?;
        Ok(HubClient {
            base,
            http,
            rt: Some(rt),
        })
    }

    /// The hub address.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// One signed request; the body of a 2xx answer, or the hub's refusal.
    pub fn call(
        &self,
        signer: &Signer,
        method: reqwest::Method,
        path_and_query: &str,
        body: Vec<u8>,
        stamp: Stamp<'_>,
        extra: &[(&str, String)],
    ) -> Result<Vec<u8>, SyncError> {
        let auth = sign_request(
            signer,
            method.as_str(),
            path_and_query,
            stamp.date,
            stamp.nonce,
            &body,
        )
        .map_err(SyncError::Signing)?;
        let url = format!("{}{}", self.base, path_and_query);
        let mut req = self
            .http
            .request(method, &url)
            .header(HEADER_KEY, auth.key_id)
            .header(HEADER_DATE, auth.date)
            .header(HEADER_NONCE, auth.nonce)
            .header(HEADER_SIGNATURE, auth.signature)
            .header("content-type", "application/json")
            .body(body);
        for (k, v) in extra {
            req = req.header(*k, v);
        }
        let fut = async {
            let resp = req
                .send()
                .await
                .map_err(|e| SyncError::Offline(describe(&e)))?;
            let status = resp.status();
            let bytes = resp
                .bytes()
                .await
                .map_err(|e| SyncError::Offline(describe(&e)))?;
            if status.is_success() {
                return Ok(bytes.to_vec());
            }
            match serde_json::from_slice::<ErrorBody>(&bytes) {
                Ok(e) => Err(SyncError::Refused {
                    code: e.code,
                    message: e.message,
                }),
                Err(_) => Err(SyncError::Refused {
                    code: format!("http_{}", status.as_u16()),
                    message: format!("同步服务器返回 {status}"),
                }),
            }
        };
        // On its own thread: the caller may be inside another tokio runtime (the desktop
        // shell's commands are), where blocking on this one would panic.
        let rt = self
            .rt
            .as_ref()
            .ok_or_else(|| SyncError::Offline("同步连接已关闭".into()))?;
        std::thread::scope(|scope| {
            scope
                .spawn(|| rt.block_on(fut))
                .join()
                .unwrap_or_else(|_| Err(SyncError::Offline("同步线程意外中止".into())))
        })
    }
}

fn describe(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

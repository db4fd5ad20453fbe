//! The loopback end of a desktop OAuth flow (RFC 8252 §7.3): listen on 127.0.0.1, wait for the
//! one redirect the authorize page sends back (`?code=…&state=…`, or `?error=access_denied`
//! when the user refuses, note L165), answer the browser with a short page, stop. Opening the
//! browser is the shell's job. Tauri-free.
//!
//! The redirect URI must be registered in the app's security settings (安全设置, note L163);
//! whether Feishu accepts any port on a registered loopback host is not documented, so
//! [`LoopbackRedirect::bind`] takes a fixed port (0 = any free port, for tests and for apps
//! whose registration allows it).

use std::time::Duration;

use huiyi_core::{VendorErrorKind, VendorKind};
use reqwest::Url;
use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::error::VendorError;

const VENDOR: VendorKind = VendorKind::Feishu;
/// Connections looked at before giving up (a browser may ask for /favicon.ico first).
const MAX_CONNECTIONS: usize = 16;
/// Bytes of a request read at most.
const MAX_REQUEST_BYTES: usize = 8 * 1024;

/// What the authorize page sent back. `Debug` hides the code (single use, 5 min, L164-165).
pub struct AuthorizationReply {
    pub code: SecretString,
    pub state: String,
}

impl std::fmt::Debug for AuthorizationReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizationReply")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// Reads a redirect's request-target (`/callback?code=…&state=…`) or full URL.
pub fn parse_redirect(target: &str) -> Result<AuthorizationReply, VendorError> {
    let url = Url::parse(target)
        .or_else(|_| Url::parse(&format!("http://127.0.0.1{target}")))
        .map_err(|_| {
            VendorError::new(
                VENDOR,
                VendorErrorKind::BadResponse,
                "the redirect is not a URL",
            )
        })?;
    let get = |k: &str| {
        url.query_pairs()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
    };
    if let Some(err) = get("error") {
        let kind = if err == "access_denied" {
            VendorErrorKind::PermissionDenied
        } else {
            VendorErrorKind::InvalidRequest
        };
        let mut e = VendorError::new(
            VENDOR,
            kind,
            format!(
                "the authorization was not given ({})",
                crate::error::truncate_detail(&err)
            ),
        );
        e.code = Some(err);
        return Err(e);
    }
    match (get("code").filter(|c| !c.is_empty()), get("state")) {
        (Some(code), Some(state)) => Ok(AuthorizationReply {
            code: SecretString::from(code),
            state,
        }),
        _ => Err(VendorError::new(
            VENDOR,
            VendorErrorKind::BadResponse,
            "the redirect carries no code and state",
        )),
    }
}

/// A listener for one redirect.
pub struct LoopbackRedirect {
    listener: TcpListener,
    path: String,
    /// `http://127.0.0.1:<port><path>`: the `redirect_uri` to authorize with.
    pub redirect_uri: String,
}

impl LoopbackRedirect {
    /// Listens on 127.0.0.1:`port` (0 = any free port) for `path` (e.g. "/callback").
    pub async fn bind(port: u16, path: &str) -> std::io::Result<LoopbackRedirect> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let port = listener.local_addr()?.port();
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        Ok(LoopbackRedirect {
            redirect_uri: format!("http://127.0.0.1:{port}{path}"),
            listener,
            path,
        })
    }

    /// Waits (at most `timeout`) for the redirect to `path`; other requests get a 404.
    pub async fn wait(self, timeout: Duration) -> Result<AuthorizationReply, VendorError> {
        let timed_out = || {
            VendorError::new(
                VENDOR,
                VendorErrorKind::Timeout,
                "no authorization came back in time",
            )
        };
        tokio::time::timeout(timeout, self.serve())
            .await
            .unwrap_or_else(|_| Err(timed_out()))
    }

    async fn serve(self) -> Result<AuthorizationReply, VendorError> {
        for _ in 0..MAX_CONNECTIONS {
            let (mut sock, _) = self.listener.accept().await.map_err(|_| {
                VendorError::new(
                    VENDOR,
                    VendorErrorKind::Network,
                    "the loopback listener failed",
                )
            })?;
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while buf.len() < MAX_REQUEST_BYTES && !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match sock.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buf);
            let target = head
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("GET "))
                .and_then(|l| l.split_whitespace().next())
                .unwrap_or("")
                .to_string();
            let ours = target.split('?').next() == Some(self.path.as_str());
            let (status, text) = if ours {
                ("200 OK", "飞书授权已完成，可以关闭此页面。 Feishu authorization finished; you may close this page.")
            } else {
                ("404 Not Found", "not found")
            };
            let page = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = sock.write_all(page.as_bytes()).await;
            let _ = sock.shutdown().await;
            if ours {
                return parse_redirect(&target);
            }
        }
        Err(VendorError::new(
            VENDOR,
            VendorErrorKind::BadResponse,
            "too many unrelated requests on the loopback listener",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn redirects_give_the_code_and_state_or_the_refusal() {
        let r = parse_redirect("/callback?code=abc123&state=s1").unwrap();
        assert_eq!((r.code.expose_secret(), r.state.as_str()), ("abc123", "s1"));
        assert!(!format!("{r:?}").contains("abc123"));
        let e = parse_redirect("http://127.0.0.1:9/cb?error=access_denied&state=s1").unwrap_err();
        assert_eq!(e.kind, VendorErrorKind::PermissionDenied);
        assert_eq!(
            parse_redirect("/cb?state=s1").unwrap_err().kind,
            VendorErrorKind::BadResponse
        );
    }

    #[tokio::test]
    async fn one_redirect_is_awaited_and_other_requests_are_turned_away() {
        let l = LoopbackRedirect::bind(0, "callback").await.unwrap();
        let uri = l.redirect_uri.clone();
        assert!(super::super::auth::is_loopback_redirect(&uri), "{uri}");
        let waiting = tokio::spawn(l.wait(Duration::from_secs(5)));
        let http = reqwest::Client::new();
        let base = uri.trim_end_matches("/callback").to_string();
        let favicon = http
            .get(format!("{base}/favicon.ico"))
            .send()
            .await
            .unwrap();
        assert_eq!(favicon.status().as_u16(), 404);
        let page = http
            .get(format!("{uri}?code=c0de&state=st"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status().as_u16(), 200);
        let reply = waiting.await.unwrap().unwrap();
        assert_eq!(
            (reply.code.expose_secret(), reply.state.as_str()),
            ("c0de", "st")
        );
        let idle = LoopbackRedirect::bind(0, "/cb").await.unwrap();
        let e = idle.wait(Duration::from_millis(50)).await.unwrap_err();
        assert_eq!(e.kind, VendorErrorKind::Timeout);
    }
}

//! The one HTTP layer every vendor client shares: a single connection pool, bounded timeouts,
//! a retry policy that only repeats what is safe to repeat, and logging that cannot leak.
//!
//! Logs carry the method, the URL *path* (never the query: Huawei puts ids there, other vendors
//! put signatures), the status and the duration. Never headers (tokens, signatures) and never
//! bodies (host links, passwords). Transport errors are described in our own words, because a
//! reqwest error's text includes the full URL.

use std::time::{Duration, Instant};

use huiyi_core::{VendorErrorKind, VendorKind};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;

use crate::error::VendorError;

/// How long to wait for a TCP/TLS connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Upper bound for a whole request, answer body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Which failures are retried, and how often. Only GET is retried: a POST/PUT/DELETE that timed
/// out or failed with a 5xx may already have taken effect at the vendor (a meeting booked twice
/// is worse than an error message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included.
    pub max_attempts: u32,
    /// Wait before the second attempt; doubled before each later one.
    pub initial_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
        }
    }
}

/// One request. Header values that carry credentials should be marked with
/// [`HttpRequest::secret_header`] so that even hyper's own debug output hides them.
#[derive(Clone)]
pub struct HttpRequest {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    pub fn new(method: Method, url: Url) -> HttpRequest {
        HttpRequest {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
        }
    }

    pub fn header(mut self, name: HeaderName, value: &str) -> Result<HttpRequest, InvalidHeader> {
        self.headers.insert(
            name,
            HeaderValue::from_str(value).map_err(|_| InvalidHeader)?,
        );
        Ok(self)
    }

    /// A header whose value is a secret (token, signature, Basic credentials).
    pub fn secret_header(
        mut self,
        name: HeaderName,
        value: &str,
    ) -> Result<HttpRequest, InvalidHeader> {
        let mut v = HeaderValue::from_str(value).map_err(|_| InvalidHeader)?;
        v.set_sensitive(true);
        self.headers.insert(name, v);
        Ok(self)
    }

    /// A JSON body with the `Content-Type` the Huawei document asks for (L531); other vendors
    /// accept the charset parameter too.
    pub fn json(mut self, body: Vec<u8>) -> HttpRequest {
        self.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=UTF-8"),
        );
        self.body = Some(body);
        self
    }

    /// A form body (see [`encode_form`]) as BizConf asks for it (L16-17: "form 提交 …
    /// x-www-form-urlencoded"); the charset, which the document leaves out, is UTF-8.
    pub fn form(mut self, body: Vec<u8>) -> HttpRequest {
        self.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded; charset=UTF-8"),
        );
        self.body = Some(body);
        self
    }
}

/// `application/x-www-form-urlencoded` bytes of `pairs`, in order, UTF-8, encoded as HTML forms
/// and `Url::query_pairs_mut` do: ASCII letters, digits and `*-._` stay, a space becomes `+`,
/// every other byte is `%XX`.
pub fn encode_form<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Vec<u8> {
    fn push(out: &mut Vec<u8>, s: &str) {
        for b in s.bytes() {
            match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b),
                b' ' => out.push(b'+'),
                _ => out.extend_from_slice(format!("%{b:02X}").as_bytes()),
            }
        }
    }
    let mut out = Vec::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        push(&mut out, k.as_ref());
        out.push(b'=');
        push(&mut out, v.as_ref());
    }
    out
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Same rule as the logs: no query, no headers, no body.
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("path", &self.url.path())
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// A header value contained characters HTTP does not allow (a control character in an id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a header value contains characters HTTP does not allow")]
pub struct InvalidHeader;

/// An answer with its status; every status is returned, judging it is the vendor client's job.
#[derive(Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
    /// The server's `Date` header: its clock, for signatures that must not be "expired" by
    /// the server's idea of now.
    pub date: Option<chrono::DateTime<chrono::Utc>>,
    /// The answer's headers, for vendors that put something the client needs there (Feishu's
    /// `X-Tt-Logid` and `x-ogw-ratelimit-reset`). Never logged or printed.
    pub headers: HeaderMap,
}

impl HttpResponse {
    pub fn is_success(&self) -> bool {
        (200..=299).contains(&self.status)
    }

    /// A header's value as text, if it is there and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Parses a 2xx answer as `T`. The error names the JSON problem's category and position
    /// only: a serde message can quote the offending value, and a value may be a host link.
    pub fn json<T: DeserializeOwned>(
        &self,
        vendor: VendorKind,
        what: &str,
    ) -> Result<T, VendorError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            let category = match e.classify() {
                serde_json::error::Category::Eof => "it ends early",
                serde_json::error::Category::Syntax => "it is not valid JSON",
                serde_json::error::Category::Data => "a field has an unexpected type or is missing",
                serde_json::error::Category::Io => "it could not be read",
            };
            let mut err = VendorError::new(
                vendor,
                VendorErrorKind::BadResponse,
                format!(
                    "could not read the {what}: {category} (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            );
            err.status = Some(self.status);
            err
        })
    }
}

/// A request body as JSON bytes.
pub fn encode_json<T: serde::Serialize>(
    vendor: VendorKind,
    body: &T,
) -> Result<Vec<u8>, VendorError> {
    serde_json::to_vec(body).map_err(|_| {
        VendorError::new(
            vendor,
            VendorErrorKind::InvalidRequest,
            "the request could not be encoded",
        )
    })
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The body may hold host links and passwords.
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The shared client. Cheap to clone (the pool is reference-counted).
#[derive(Clone, Debug)]
pub struct Http {
    client: reqwest::Client,
    retry: RetryPolicy,
}

impl Default for Http {
    fn default() -> Self {
        Http::new()
    }
}

impl Http {
    /// The production client: 10 s to connect, 30 s per request, [`RetryPolicy::default`].
    pub fn new() -> Http {
        Http::with_settings(CONNECT_TIMEOUT, REQUEST_TIMEOUT, RetryPolicy::default())
    }

    /// Same, with other limits (tests use short ones).
    pub fn with_settings(
        connect_timeout: Duration,
        request_timeout: Duration,
        retry: RetryPolicy,
    ) -> Http {
        let client = reqwest::Client::builder()
            .connect_timeout(connect_timeout)
            .timeout(request_timeout)
            .user_agent(concat!("huiyi/", env!("CARGO_PKG_VERSION")))
            // A vendor redirect would be unexpected, and following one would resend the
            // credentials headers to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            // Building only fails when the TLS backend cannot start, which no retry or user
            // input can fix; fall back to reqwest's defaults rather than abort.
            .unwrap_or_else(|_| reqwest::Client::new());
        Http { client, retry }
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// Sends `req`, retrying a GET on 5xx answers, timeouts and connection failures. Returns
    /// the answer whatever its status; transport failures become `Timeout`, `Network`,
    /// `BadResponse` or (a 5xx still there after the last retry is returned as an answer)
    /// `Unavailable` errors from the caller's mapping.
    pub async fn send(
        &self,
        vendor: VendorKind,
        req: HttpRequest,
    ) -> Result<HttpResponse, VendorError> {
        let idempotent = req.method == Method::GET;
        let attempts = if idempotent {
            self.retry.max_attempts.max(1)
        } else {
            1
        };
        let mut backoff = self.retry.initial_backoff;
        let mut attempt = 1;
        loop {
            let result = self.send_once(vendor, &req, attempt).await;
            let retry = attempt < attempts
                && match &result {
                    Ok(r) => (500..=599).contains(&r.status),
                    Err(e) => matches!(e.kind, VendorErrorKind::Timeout | VendorErrorKind::Network),
                };
            if !retry {
                return result;
            }
            tokio::time::sleep(backoff).await;
            backoff = backoff.saturating_mul(2);
            attempt += 1;
        }
    }

    /// Sends `req` exactly once, whatever its method: for vendors whose requests cannot be
    /// repeated byte for byte (Tencent signs a nonce the server refuses to see twice), so the
    /// caller re-signs before any retry of its own. Logged and mapped like [`Http::send`].
    /// `attempt` only numbers the log line.
    pub async fn send_single(
        &self,
        vendor: VendorKind,
        req: HttpRequest,
        attempt: u32,
    ) -> Result<HttpResponse, VendorError> {
        self.send_once(vendor, &req, attempt).await
    }

    async fn send_once(
        &self,
        vendor: VendorKind,
        req: &HttpRequest,
        attempt: u32,
    ) -> Result<HttpResponse, VendorError> {
        let started = Instant::now();
        let mut builder = self
            .client
            .request(req.method.clone(), req.url.clone())
            .headers(req.headers.clone());
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let path = req.url.path();
        let outcome = match builder.send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let date = resp
                    .headers()
                    .get(reqwest::header::DATE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
                    .map(|d| d.with_timezone(&chrono::Utc));
                let headers = resp.headers().clone();
                match resp.bytes().await {
                    Ok(body) => Ok(HttpResponse {
                        status,
                        body: body.to_vec(),
                        date,
                        headers,
                    }),
                    Err(e) => Err((transport_error(vendor, &e, true), Some(status))),
                }
            }
            Err(e) => Err((transport_error(vendor, &e, false), None)),
        };
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &outcome {
            Ok(r) => tracing::info!(
                vendor = vendor.as_str(), method = %req.method, path, status = r.status, elapsed_ms, attempt,
                "vendor call"
            ),
            Err((e, status)) => tracing::warn!(
                vendor = vendor.as_str(), method = %req.method, path, status = ?status, elapsed_ms, attempt,
                error = e.kind.code(), "vendor call failed"
            ),
        }
        outcome.map_err(|(mut e, status)| {
            e.status = status;
            e
        })
    }
}

/// Describes a reqwest failure without its text (which embeds the URL, query included).
fn transport_error(vendor: VendorKind, e: &reqwest::Error, reading_body: bool) -> VendorError {
    let (kind, detail) = if e.is_timeout() {
        (VendorErrorKind::Timeout, "no answer within the time limit")
    } else if e.is_builder() {
        (
            VendorErrorKind::Network,
            "the server address is not a valid URL",
        )
    } else if e.is_connect() {
        (VendorErrorKind::Network, "could not connect to the server")
    } else if reading_body || e.is_body() || e.is_decode() {
        (
            VendorErrorKind::BadResponse,
            "the answer was cut off while it was being read",
        )
    } else if e.is_redirect() || e.is_status() {
        (
            VendorErrorKind::BadResponse,
            "the server answered with an unexpected redirect",
        )
    } else {
        // The connection broke after the request went out (reset, closed early).
        (
            VendorErrorKind::Network,
            "the connection was closed before an answer arrived",
        )
    };
    VendorError::new(vendor, kind, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A tiny HTTP/1.1 server answering the n-th request with `answers[n]` (the last one
    /// repeats); `None` closes the connection without answering.
    async fn serve(answers: Vec<Option<(u16, &'static str)>>) -> (String, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let count = Arc::new(AtomicUsize::new(0));
        let c = count.clone();
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let n = c.fetch_add(1, Ordering::SeqCst);
                let answer = answers[n.min(answers.len() - 1)];
                let mut buf = vec![0u8; 8192];
                let _ = sock.read(&mut buf).await;
                if let Some((status, body)) = answer {
                    let resp = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = sock.write_all(resp.as_bytes()).await;
                }
                let _ = sock.shutdown().await;
            }
        });
        (format!("http://{addr}"), count)
    }

    fn quick() -> Http {
        crate::huawei::tests::logs();
        Http::with_settings(
            Duration::from_secs(2),
            Duration::from_secs(2),
            RetryPolicy {
                max_attempts: 3,
                initial_backoff: Duration::from_millis(10),
            },
        )
    }

    fn req(method: Method, base: &str) -> HttpRequest {
        HttpRequest::new(
            method,
            Url::parse(&format!("{base}/v1/x?conferenceID=123")).unwrap(),
        )
    }

    #[tokio::test]
    async fn a_get_is_retried_after_a_5xx_and_succeeds() {
        let (base, count) = serve(vec![
            Some((500, "{}")),
            Some((503, "{}")),
            Some((200, "[]")),
        ])
        .await;
        let r = quick()
            .send(VendorKind::Huawei, req(Method::GET, &base))
            .await
            .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(count.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn retries_are_bounded() {
        let (base, count) = serve(vec![Some((500, "{}"))]).await;
        let r = quick()
            .send(VendorKind::Huawei, req(Method::GET, &base))
            .await
            .unwrap();
        assert_eq!(r.status, 500);
        assert_eq!(count.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_post_is_never_retried() {
        let (base, count) = serve(vec![Some((500, "{}")), Some((200, "[]"))]).await;
        let r = quick()
            .send(VendorKind::Huawei, req(Method::POST, &base))
            .await
            .unwrap();
        assert_eq!(r.status, 500);
        assert_eq!(count.load(Ordering::SeqCst), 1);
        let (base, count) = serve(vec![None, Some((200, "[]"))]).await;
        let e = quick()
            .send(VendorKind::Huawei, req(Method::DELETE, &base))
            .await
            .unwrap_err();
        assert_eq!(e.kind, VendorErrorKind::Network);
        assert_eq!(count.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_dropped_get_is_retried() {
        let (base, count) = serve(vec![None, Some((200, "[]"))]).await;
        let r = quick()
            .send(VendorKind::Huawei, req(Method::GET, &base))
            .await
            .unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn unreachable_servers_are_network_errors_without_the_url() {
        // Bind then drop to find a port nobody listens on.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let base = format!("http://127.0.0.1:{port}");
        let e = quick()
            .send(VendorKind::Huawei, req(Method::GET, &base))
            .await
            .unwrap_err();
        assert_eq!(e.kind, VendorErrorKind::Network);
        assert!(!e.to_string().contains("conferenceID"), "{e}");
        assert!(!e.to_string().contains("123"), "{e}");
    }

    #[tokio::test]
    async fn a_silent_server_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((s, _)) = listener.accept().await {
                held.push(s);
            }
        });
        crate::huawei::tests::logs();
        let http = Http::with_settings(
            Duration::from_secs(1),
            Duration::from_millis(300),
            RetryPolicy {
                max_attempts: 2,
                initial_backoff: Duration::from_millis(10),
            },
        );
        let e = http
            .send(VendorKind::Huawei, req(Method::GET, &base))
            .await
            .unwrap_err();
        assert_eq!(e.kind, VendorErrorKind::Timeout);
    }

    #[test]
    fn forms_encode_like_a_browser_and_read_back_the_same() {
        let pairs = [
            ("confName", "周会 a+b&c=d/e"),
            ("userId", "u-1_2.3*"),
            ("empty", ""),
        ];
        let body = encode_form(&pairs);
        assert_eq!(
            String::from_utf8(body.clone()).unwrap(),
            "confName=%E5%91%A8%E4%BC%9A+a%2Bb%26c%3Dd%2Fe&userId=u-1_2.3*&empty="
        );
        let back: Vec<(String, String)> =
            Url::parse(&format!("http://x/?{}", String::from_utf8(body).unwrap()))
                .unwrap()
                .query_pairs()
                .into_owned()
                .collect();
        let want: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(back, want);
        let req = req(Method::POST, "http://127.0.0.1:1").form(b"a=1".to_vec());
        assert_eq!(
            req.headers[CONTENT_TYPE],
            "application/x-www-form-urlencoded; charset=UTF-8"
        );
    }

    #[test]
    fn debug_output_hides_bodies_and_secret_headers() {
        let r = HttpResponse {
            status: 200,
            body: b"chairJoinUri-secret".to_vec(),
            date: None,
            headers: HeaderMap::new(),
        };
        assert!(!format!("{r:?}").contains("secret"));
        let q = req(Method::GET, "http://127.0.0.1:1")
            .secret_header(
                HeaderName::from_static("x-access-token"),
                "tok-secret-value",
            )
            .unwrap();
        assert!(!format!("{q:?}").contains("tok-secret-value"));
    }
}

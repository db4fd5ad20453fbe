//! A tiny scripted HTTP/1.1 server on 127.0.0.1 for the vendor clients' unit tests: each
//! request is recorded (exact request-target and body bytes included, so signatures can be
//! recomputed) and answered by the test's handler. The full fakes live in huiyi-sim.

use std::collections::HashMap;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Instant;

use chrono::{Duration, Utc};
use reqwest::Url;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) method: String,
    /// The request-target exactly as received.
    pub(crate) target: String,
    pub(crate) path: String,
    pub(crate) query: HashMap<String, String>,
    pub(crate) headers: HashMap<String, String>,
    pub(crate) raw_body: Vec<u8>,
    pub(crate) body: Value,
    pub(crate) at: Instant,
}

type Handler = dyn Fn(&Seen, usize) -> (u16, Vec<(String, String)>, String) + Send + Sync;

pub(crate) struct Fake {
    pub(crate) base: String,
    pub(crate) seen: Arc<StdMutex<Vec<Seen>>>,
}

impl Fake {
    pub(crate) fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub(crate) fn count(&self, method: &str, path: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == method && s.path == path)
            .count()
    }
}

/// Serves HTTP/1.1 on 127.0.0.1; `handler(request, n)` answers, `n` counting earlier requests
/// with the same method and path. `offset`: a `Date` header that many seconds from our clock.
pub(crate) async fn fake_at(
    offset: Option<i64>,
    handler: impl Fn(&Seen, usize) -> (u16, String) + Send + Sync + 'static,
) -> Fake {
    fake_with_headers(offset, move |req, n| {
        let (status, body) = handler(req, n);
        (status, Vec::new(), body)
    })
    .await
}

/// Like [`fake_at`], the handler also naming extra response headers.
pub(crate) async fn fake_with_headers(
    offset: Option<i64>,
    handler: impl Fn(&Seen, usize) -> (u16, Vec<(String, String)>, String) + Send + Sync + 'static,
) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(StdMutex::new(Vec::<Seen>::new()));
    let handler: Arc<Handler> = Arc::new(handler);
    let seen2 = seen.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let handler = handler.clone();
            let seen = seen2.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut r = BufReader::new(r);
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let mut parts = line.split_whitespace();
                    let method = parts.next().unwrap_or("").to_string();
                    let target = parts.next().unwrap_or("").to_string();
                    let mut headers = HashMap::new();
                    loop {
                        let mut h = String::new();
                        r.read_line(&mut h).await.unwrap();
                        let h = h.trim_end();
                        if h.is_empty() {
                            break;
                        }
                        if let Some((k, v)) = h.split_once(':') {
                            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
                        }
                    }
                    let len: usize = headers
                        .get("content-length")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    let mut raw_body = vec![0; len];
                    r.read_exact(&mut raw_body).await.unwrap();
                    let (path, q) = target.split_once('?').unwrap_or((&target, ""));
                    let query = Url::parse(&format!("http://x/?{q}"))
                        .map(|u| u.query_pairs().into_owned().collect())
                        .unwrap_or_default();
                    let req = Seen {
                        method,
                        target: target.clone(),
                        path: path.to_string(),
                        query,
                        headers,
                        body: serde_json::from_slice(&raw_body).unwrap_or(Value::Null),
                        raw_body,
                        at: Instant::now(),
                    };
                    let n = {
                        let mut s = seen.lock().unwrap();
                        let n = s
                            .iter()
                            .filter(|x| x.method == req.method && x.path == req.path)
                            .count();
                        s.push(req.clone());
                        n
                    };
                    let (status, extra, body) = handler(&req, n);
                    let extra: String =
                        extra.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
                    let date = offset
                        .map(|o| {
                            format!(
                                "Date: {}\r\n",
                                (Utc::now() + Duration::seconds(o)).to_rfc2822()
                            )
                        })
                        .unwrap_or_default();
                    let resp = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{date}{extra}Content-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if w.write_all(resp.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Fake { base, seen }
}

pub(crate) async fn fake(
    handler: impl Fn(&Seen, usize) -> (u16, String) + Send + Sync + 'static,
) -> Fake {
    fake_at(None, handler).await
}

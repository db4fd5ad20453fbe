//! The HTTP plumbing every vendor listener shares: the accept loop (own loop rather than
//! `axum::serve`, because the DropAfterCommit fault must close a connection without answering),
//! request ids, the method/path/status log line, request counting and fault injection.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

use crate::faults::{FaultKind, FaultSet};

/// What the shared plumbing needs from a vendor.
pub(crate) trait Backend: Send + Sync + 'static {
    fn vendor(&self) -> &'static str;
    fn faults(&self) -> &FaultSet;
    fn count_request(&self);
    /// The full response for [`FaultKind::ServerError`].
    fn server_error(&self) -> Response;
    /// Carry out [`FaultKind::ExpireTokens`].
    fn expire_tokens(&self);
    /// The vendor's clock (real time plus the test offset). Its `Date` header follows it, as a
    /// real server's follows its own clock: clients that correct for skew read it from there.
    fn now(&self) -> chrono::DateTime<chrono::Utc>;
    /// Move the vendor's clock forward (tests: token expiry, meetings starting).
    fn advance_clock(&self, seconds: i64);
}

/// Lets a handler (via the middleware) close its own connection without answering.
#[derive(Clone)]
struct ConnCtl(Arc<Notify>);

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Bounds the body kept in memory when a MalformedBody fault cuts a response.
const MAX_FAULTED_BODY: usize = 8 * 1024 * 1024;

/// Wrap a vendor router with request ids, logging, counting and faults.
pub(crate) fn wrap(router: Router, backend: Arc<dyn Backend>) -> Router {
    router.layer(axum::middleware::from_fn_with_state(backend, vendor_layer))
}

async fn vendor_layer(
    State(backend): State<Arc<dyn Backend>>,
    req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    // Echo the caller's id (doc §1.3: "若不携带，则后台自动生成"), else make one.
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .cloned()
        .unwrap_or_else(|| {
            HeaderValue::from_str(&crate::random_hex(32)).unwrap_or(HeaderValue::from_static("0"))
        });
    let conn = req.extensions().get::<ConnCtl>().cloned();

    let fault = if path.starts_with("/__sim/") {
        None
    } else {
        backend.count_request();
        backend.faults().take(&path)
    };

    let mut response = match fault {
        None => next.run(req).await,
        Some(FaultKind::ServerError) => backend.server_error(),
        Some(FaultKind::Delay(ms)) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        Some(FaultKind::ExpireTokens) => {
            backend.expire_tokens();
            next.run(req).await
        }
        Some(FaultKind::MalformedBody) => truncate_body(next.run(req).await).await,
        Some(FaultKind::DropAfterCommit) => {
            let committed = next.run(req).await;
            tracing::info!(
                vendor = backend.vendor(),
                "{method} {path} {} (connection dropped by fault)",
                committed.status().as_u16()
            );
            match conn {
                Some(conn) => {
                    conn.0.notify_one();
                    // The connection task drops this future together with the socket.
                    std::future::pending::<()>().await;
                    committed
                }
                // Only reachable if the router is served by something other than `serve`.
                None => committed,
            }
        }
    };
    response.headers_mut().insert(REQUEST_ID, request_id);
    let date = backend
        .now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    if let Ok(date) = HeaderValue::from_str(&date) {
        response
            .headers_mut()
            .insert(axum::http::header::DATE, date);
    }
    tracing::info!(
        vendor = backend.vendor(),
        "{method} {path} {}",
        response.status().as_u16()
    );
    response
}

/// 200 with the first half of the real body: JSON that fails to parse.
async fn truncate_body(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FAULTED_BODY)
        .await
        .unwrap_or_default();
    let cut = if bytes.len() >= 2 {
        bytes.slice(..bytes.len() / 2)
    } else {
        // Empty bodies (cancel) still need to be broken JSON.
        axum::body::Bytes::from_static(b"{\"error_code\":")
    };
    parts.status = axum::http::StatusCode::OK;
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts.headers.insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    Response::from_parts(parts, Body::from(cut)).into_response()
}

/// A running listener.
pub(crate) struct Served {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Served {
    pub(crate) async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Serve `router` on `listener` until stopped. Open connections are closed on stop.
pub(crate) fn serve(listener: TcpListener, router: Router) -> Served {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut conns = JoinSet::new();
        loop {
            tokio::select! {
                _ = stopped.changed() => break,
                Some(_) = conns.join_next(), if !conns.is_empty() => {}
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        conns.spawn(serve_conn(stream, router.clone()));
                    }
                    Err(err) => {
                        // EMFILE and friends: back off instead of spinning.
                        tracing::warn!("accept failed: {err}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                },
            }
        }
        conns.shutdown().await;
    });
    Served { stop, task }
}

async fn serve_conn(stream: tokio::net::TcpStream, router: Router) {
    let ctl = ConnCtl(Arc::new(Notify::new()));
    let ctl_for_requests = ctl.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ctl_for_requests.clone());
        let router = router.clone();
        async move { Ok::<_, Infallible>(router.oneshot(req.map(Body::new)).await.into_response()) }
    });
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        // Errors here are client disconnects and malformed HTTP: nothing to report.
        _ = conn => {}
        _ = ctl.0.notified() => {}
    }
}

//! Feishu authentication (note §3): the self-built app's tenant_access_token, the user's OAuth
//! 2.0 authorization code flow with PKCE (an authorization page served by the fake itself), the
//! token endpoint, and the `Authorization: Bearer` check every VC call goes through.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::errors::{self, ApiError};
use super::state::{
    jwt_like, random_alnum, AuthCode, RefreshToken, State as SimState, TenantToken, UserToken,
    AUTH_MAX_SECS, CODE_SECS, REFRESH_TOKEN_SECS, TENANT_RENEW_SECS, TENANT_TOKEN_SECS,
    USER_TOKEN_SECS,
};
use super::FeishuSim;

/// Who is calling, from the bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Caller {
    Tenant,
    /// A user_access_token of this `open_id`.
    User(String),
}

/// What one API accepts (note §2 table, with the §12 choices) and its rate limits (note §9).
pub(crate) struct Api {
    /// Rate-limit bucket ("per API").
    pub name: &'static str,
    pub tenant: bool,
    pub user: bool,
    /// Any one of these scopes is enough.
    pub scopes: &'static [&'static str],
    pub per_min: u32,
    /// None: no per-second limit.
    pub per_sec: Option<u32>,
}

// --- tenant_access_token (note §3.1) ------------------------------------------------------------

/// Flat answer, HTTP 200 even on failure (note §3.1, §13).
fn flat(body: Value) -> Response {
    Json(body).into_response()
}

/// `POST /open-apis/auth/v3/tenant_access_token/internal`. Any Content-Type (the Python SDK
/// sends none, note "Observed in the official Python SDK").
pub(crate) async fn tenant_token(State(sim): State<FeishuSim>, body: Bytes) -> Response {
    token_internal(&sim, &body, false)
}

/// `POST /open-apis/auth/v3/app_access_token/internal` (note §3.2): the same body and rules;
/// the flat answer has `app_access_token` and `tenant_access_token`. For a self-built app both
/// are the one tenant token (assumption: the note says app tokens start with `a-` or `t-`).
pub(crate) async fn app_token(State(sim): State<FeishuSim>, body: Bytes) -> Response {
    token_internal(&sim, &body, true)
}

fn token_internal(sim: &FeishuSim, body: &Bytes, app: bool) -> Response {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| {
        parsed
            .as_ref()
            .and_then(|v| v.get(name))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let (Some(app_id), Some(app_secret)) = (field("app_id"), field("app_secret")) else {
        return flat(json!({"code": 10003, "data": {}, "msg": "invalid param"}));
    };
    let answer = sim.write(|st| {
        if app_id != st.app.app_id {
            return Ok((json!({"code": 10014, "msg": "app id not exists"}), None));
        }
        if app_secret != st.app.app_secret {
            // Assumption: the same code as an unknown app ("10014 app unauthorized", note §3.1).
            return Ok((json!({"code": 10014, "msg": "app secret invalid"}), None));
        }
        let (token, expire, new) = issue_tenant_token(st);
        let mut body =
            json!({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire});
        if app {
            body["app_access_token"] = json!(token);
        }
        Ok((body, new.then_some(token)))
    });
    match answer {
        Ok((v, new)) => {
            if let Some(t) = new {
                sim.remember_issued(&t);
            }
            flat(v)
        }
        Err(_) => flat(json!({"code": 10012, "msg": "get app access token fail"})),
    }
}

/// The newest live token while it has ≥ 30 min left (with the remaining seconds), else a new
/// one; older tokens stay valid until they expire (note §3.1).
fn issue_tenant_token(st: &mut SimState) -> (String, i64, bool) {
    let now = st.now_s();
    // Forget tokens dead for a day (bounded state).
    st.tenant_tokens.retain(|t| t.expires_at > now - 86_400);
    if let Some(t) = st
        .tenant_tokens
        .iter()
        .filter(|t| t.expires_at - now >= TENANT_RENEW_SECS)
        .max_by_key(|t| t.issued_at)
    {
        return (t.token.clone(), t.expires_at - now, false);
    }
    let token = format!("t-g{}", crate::random_hex(40));
    st.tenant_tokens.push(TenantToken {
        token: token.clone(),
        issued_at: now,
        expires_at: now + TENANT_TOKEN_SECS,
    });
    (token, TENANT_TOKEN_SECS, true)
}

// --- the authorization page (note §3.3) ---------------------------------------------------------

/// The authorize request, from the page's query or its form.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct AuthorizeParams {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    scope: String,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    /// The form's button: "approve" or "deny".
    decision: Option<String>,
}

/// Loopback redirect URIs (RFC 8252 §7.3: any port) are treated as registered; anything else
/// is refused. Assumption: the note says the URI must be registered in 安全设置 (§3.3); a
/// desktop app registers its loopback address.
fn loopback_redirect(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.parse::<u16>().is_ok() => h,
        _ => host,
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

fn error_page(status: StatusCode, code: i64, what: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>授权失败</title></head>\
         <body><h1 id=\"error\">授权失败</h1><p id=\"error-code\">{code}</p><p>{}</p></body></html>",
        html_escape(what)
    );
    (status, Html(body)).into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn redirect(uri: &str, params: &[(&str, &str)]) -> Response {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    let sep = if uri.contains('?') { '&' } else { '?' };
    (
        StatusCode::FOUND,
        [(header::LOCATION, format!("{uri}{sep}{query}"))],
    )
        .into_response()
}

/// Checks shared by the page and its form. Err = the answer (error page or error redirect).
/// Boxed: a Response is large (clippy::result_large_err).
fn check_authorize(sim: &FeishuSim, p: &AuthorizeParams) -> Result<(), Box<Response>> {
    if p.client_id != sim.lock().app.app_id {
        return Err(Box::new(error_page(
            StatusCode::BAD_REQUEST,
            20024,
            "client_id 无效",
        )));
    }
    if !loopback_redirect(&p.redirect_uri) {
        return Err(Box::new(error_page(
            StatusCode::BAD_REQUEST,
            20071,
            "redirect_uri 未在安全设置中登记",
        )));
    }
    let state = p.state.as_deref().unwrap_or_default();
    let fail = |error: &str| {
        let mut params = vec![("error", error)];
        if p.state.is_some() {
            params.push(("state", state));
        }
        Box::new(redirect(&p.redirect_uri, &params))
    };
    if p.response_type != "code" {
        return Err(fail("unsupported_response_type"));
    }
    if p.scope.split(' ').filter(|s| !s.is_empty()).count() > 50 {
        return Err(fail("invalid_scope"));
    }
    match (&p.code_challenge, p.code_challenge_method.as_deref()) {
        (None, None) => {}
        (Some(c), None | Some("S256") | Some("plain")) if (43..=128).contains(&c.len()) => {}
        _ => return Err(fail("invalid_request")),
    }
    Ok(())
}

/// `GET /open-apis/authen/v1/authorize`: the consent page of the signed-in sandbox user. Its
/// form posts the same parameters back with `decision=approve` (button `#approve`) or
/// `decision=deny` (button `#deny`).
pub(crate) async fn authorize_page(
    State(sim): State<FeishuSim>,
    Query(p): Query<AuthorizeParams>,
) -> Response {
    if let Err(resp) = check_authorize(&sim, &p) {
        return *resp;
    }
    let (user, app_id) = {
        let st = sim.lock();
        (st.users[0].name.clone(), st.app.app_id.clone())
    };
    let hidden = |name: &str, value: Option<&str>| match value {
        Some(v) => format!(
            "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
            html_escape(v)
        ),
        None => String::new(),
    };
    let fields = [
        hidden("client_id", Some(&p.client_id)),
        hidden("response_type", Some(&p.response_type)),
        hidden("redirect_uri", Some(&p.redirect_uri)),
        hidden("scope", Some(&p.scope)),
        hidden("state", p.state.as_deref()),
        hidden("code_challenge", p.code_challenge.as_deref()),
        hidden("code_challenge_method", p.code_challenge_method.as_deref()),
    ]
    .concat();
    let scopes: String = p
        .scope
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| format!("<li>{}</li>", html_escape(s)))
        .collect();
    let body = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>飞书授权</title></head><body>\
         <h1>授权登录</h1><p>应用 <code id=\"app-id\">{}</code> 请求访问你的飞书账号</p>\
         <p>当前用户：<span id=\"user-name\">{}</span></p><ul id=\"scopes\">{scopes}</ul>\
         <form id=\"consent\" method=\"post\" action=\"/open-apis/authen/v1/authorize\">{fields}\
         <button type=\"submit\" id=\"approve\" name=\"decision\" value=\"approve\">授权</button>\
         <button type=\"submit\" id=\"deny\" name=\"decision\" value=\"deny\">拒绝</button>\
         </form></body></html>",
        html_escape(&app_id),
        html_escape(&user),
    );
    Html(body).into_response()
}

/// `POST /open-apis/authen/v1/authorize` (the page's form): 302 to `redirect_uri` with `code`
/// and `state`, or `error=access_denied` (note §3.3).
pub(crate) async fn authorize_decision(State(sim): State<FeishuSim>, body: Bytes) -> Response {
    let p: AuthorizeParams = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    if let Err(resp) = check_authorize(&sim, &p) {
        return *resp;
    }
    let state = p.state.clone().unwrap_or_default();
    let with_state = |mut params: Vec<(&'static str, String)>| {
        if p.state.is_some() {
            params.push(("state", state.clone()));
        }
        params
    };
    if p.decision.as_deref() != Some("approve") {
        let params = with_state(vec![("error", "access_denied".to_owned())]);
        let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        return redirect(&p.redirect_uri, &refs);
    }
    let open_id = sim.lock().users[0].open_id.clone();
    match sim.issue_code(&p.redirect_uri, &p.scope, &open_id, challenge_of(&p)) {
        Ok(code) => {
            let params = with_state(vec![("code", code)]);
            let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            redirect(&p.redirect_uri, &refs)
        }
        Err(_) => error_page(StatusCode::INTERNAL_SERVER_ERROR, 20050, "server error"),
    }
}

fn challenge_of(p: &AuthorizeParams) -> Option<(String, String)> {
    p.code_challenge.as_ref().map(|c| {
        (
            c.clone(),
            p.code_challenge_method
                .clone()
                .unwrap_or_else(|| "plain".to_owned()),
        )
    })
}

impl FeishuSim {
    /// Store a new authorization code for `open_id` (the page's approve, and tests).
    pub(crate) fn issue_code(
        &self,
        redirect_uri: &str,
        scope: &str,
        open_id: &str,
        challenge: Option<(String, String)>,
    ) -> Result<String, ApiError> {
        let code = random_alnum(32);
        self.write(|st| {
            let now = st.now_s();
            st.codes
                .retain(|_, c| c.issued_at + CODE_SECS > now - 86_400);
            st.codes.insert(
                code.clone(),
                AuthCode {
                    client_id: st.app.app_id.clone(),
                    redirect_uri: redirect_uri.to_owned(),
                    scope: scope.to_owned(),
                    open_id: open_id.to_owned(),
                    challenge,
                    issued_at: now,
                    used: false,
                },
            );
            Ok(())
        })?;
        self.remember_issued(&code);
        Ok(code)
    }
}

/// PKCE check (RFC 7636 §4.6): does `verifier` answer `challenge` under `method` (S256, plain)?
pub fn pkce_matches(challenge: &str, method: &str, verifier: &str) -> bool {
    if !(43..=128).contains(&verifier.len())
        || !verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
    {
        return false;
    }
    match method {
        "S256" => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge,
        "plain" => verifier == challenge,
        _ => false,
    }
}

// --- the token endpoint (note §3.3) -------------------------------------------------------------

fn oauth_error(status: StatusCode, code: i64, error: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"code": code, "error": error, "error_description": description})),
    )
        .into_response()
}

/// `POST /open-apis/authen/v2/oauth/token`: JSON (the docs) or a form (RFC 6749) body.
pub(crate) async fn oauth_token(
    State(sim): State<FeishuSim>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    let fields: HashMap<String, String> = if form {
        serde_urlencoded::from_bytes(&body).unwrap_or_default()
    } else {
        match serde_json::from_slice::<serde_json::Map<String, Value>>(&body) {
            Ok(m) => m
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned())))
                .collect(),
            Err(_) => {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    20063,
                    "invalid_request",
                    "malformed request",
                )
            }
        }
    };
    let get = |k: &str| fields.get(k).map(String::as_str).filter(|s| !s.is_empty());
    let bad = StatusCode::BAD_REQUEST;
    let Some(grant) = get("grant_type") else {
        return oauth_error(bad, 20001, "invalid_request", "grant_type is required");
    };
    if grant != "authorization_code" && grant != "refresh_token" {
        return oauth_error(
            bad,
            20036,
            "unsupported_grant_type",
            "unsupported grant_type",
        );
    }
    let (Some(client_id), Some(secret)) = (get("client_id"), get("client_secret")) else {
        return oauth_error(
            bad,
            20001,
            "invalid_request",
            "client_id and client_secret are required",
        );
    };
    {
        let st = sim.lock();
        if client_id != st.app.app_id || secret != st.app.app_secret {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                20002,
                "invalid_client",
                "client authentication failed",
            );
        }
    }
    let outcome = if grant == "authorization_code" {
        let Some(code) = get("code") else {
            return oauth_error(bad, 20001, "invalid_request", "code is required");
        };
        if let Some(v) = get("code_verifier") {
            sim.remember_verifier(v);
        }
        sim.write(|st| {
            Ok(exchange_code(
                st,
                client_id,
                code,
                get("redirect_uri"),
                get("code_verifier"),
            ))
        })
    } else {
        let Some(refresh) = get("refresh_token") else {
            return oauth_error(bad, 20001, "invalid_request", "refresh_token is required");
        };
        sim.write(|st| Ok(refresh_grant(st, refresh)))
    };
    match outcome {
        Ok(Ok(grant)) => {
            sim.remember_issued(&grant.access);
            if let Some(r) = &grant.refresh {
                sim.remember_issued(r);
            }
            let mut body = json!({
                "code": 0,
                "access_token": grant.access,
                "expires_in": USER_TOKEN_SECS,
                "token_type": "Bearer",
                "scope": grant.scope,
            });
            if let Some(r) = grant.refresh {
                body["refresh_token"] = json!(r);
                body["refresh_token_expires_in"] = json!(grant.refresh_expires_in);
            }
            Json(body).into_response()
        }
        Ok(Err((code, error, description))) => oauth_error(bad, code, error, description),
        Err(_) => oauth_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            20050,
            "server_error",
            "server error",
        ),
    }
}

struct Grant {
    access: String,
    refresh: Option<String>,
    refresh_expires_in: i64,
    scope: String,
}

type GrantResult = Result<Grant, (i64, &'static str, &'static str)>;

fn exchange_code(
    st: &mut SimState,
    client_id: &str,
    code: &str,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
) -> GrantResult {
    let now = st.now_s();
    let Some(c) = st.codes.get(code).cloned() else {
        return Err((20003, "invalid_grant", "authorization code not found"));
    };
    if c.used {
        return Err((20065, "invalid_grant", "authorization code has been used"));
    }
    if now >= c.issued_at + CODE_SECS {
        return Err((20004, "invalid_grant", "authorization code expired"));
    }
    if c.client_id != client_id {
        return Err((20024, "invalid_grant", "client_id does not match the code"));
    }
    if redirect_uri.is_some_and(|r| r != c.redirect_uri) {
        return Err((20071, "invalid_grant", "redirect_uri does not match"));
    }
    if let Some((challenge, method)) = &c.challenge {
        if !verifier.is_some_and(|v| pkce_matches(challenge, method, v)) {
            return Err((20049, "invalid_grant", "PKCE verification failed"));
        }
    }
    if let Some(c) = st.codes.get_mut(code) {
        c.used = true;
    }
    Ok(new_grant(st, &c.open_id, &c.scope, now))
}

fn refresh_grant(st: &mut SimState, refresh: &str) -> GrantResult {
    let now = st.now_s();
    if !st.options.refresh_enabled {
        return Err((
            20074,
            "invalid_grant",
            "the app is not allowed to refresh tokens",
        ));
    }
    let Some(r) = st.refresh_tokens.get(refresh).cloned() else {
        return Err((20026, "invalid_grant", "refresh token is invalid"));
    };
    if r.revoked {
        return Err((20064, "invalid_grant", "refresh token has been revoked"));
    }
    if r.used {
        return Err((20073, "invalid_grant", "refresh token has been used"));
    }
    if now >= r.expires_at || now >= r.authorized_at + AUTH_MAX_SECS {
        return Err((20037, "invalid_grant", "refresh token expired"));
    }
    if let Some(r) = st.refresh_tokens.get_mut(refresh) {
        r.used = true;
    }
    let mut grant = new_grant(st, &r.open_id, &r.scope, r.authorized_at);
    // A refresh keeps the original scope, so a new refresh token comes with it.
    if grant.refresh.is_none() {
        grant.refresh_expires_in = 0;
    }
    Ok(grant)
}

/// New access (and, with `offline_access`, refresh) token. `authorized_at`: the consent time.
fn new_grant(st: &mut SimState, open_id: &str, scope: &str, authorized_at: i64) -> Grant {
    let now = st.now_s();
    st.user_tokens.retain(|_, t| t.expires_at > now - 86_400);
    st.refresh_tokens
        .retain(|_, t| t.expires_at > now - 86_400 && !(t.used && t.expires_at <= now));
    let access = jwt_like("access");
    st.user_tokens.insert(
        access.clone(),
        UserToken {
            open_id: open_id.to_owned(),
            scope: scope.to_owned(),
            expires_at: now + USER_TOKEN_SECS,
        },
    );
    let offline = scope.split(' ').any(|s| s == "offline_access");
    let refresh = offline.then(|| {
        let token = jwt_like("refresh");
        st.refresh_tokens.insert(
            token.clone(),
            RefreshToken {
                open_id: open_id.to_owned(),
                scope: scope.to_owned(),
                expires_at: now + REFRESH_TOKEN_SECS,
                authorized_at,
                used: false,
                revoked: false,
            },
        );
        token
    });
    Grant {
        access,
        refresh,
        refresh_expires_in: REFRESH_TOKEN_SECS,
        scope: scope.to_owned(),
    }
}

// --- the bearer check (note §3.4, §13 "Auth") ---------------------------------------------------

impl FeishuSim {
    /// Who calls `api`, or the refusal (token, scope, rate limit).
    pub(crate) fn caller(&self, headers: &HeaderMap, api: &Api) -> Result<Caller, ApiError> {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return Err(errors::NEED_TOKEN);
        };
        let value = value.to_str().map_err(|_| errors::BAD_TOKEN_FORMAT)?;
        let Some(token) = value.strip_prefix("Bearer ") else {
            return Err(errors::BAD_TOKEN_FORMAT);
        };
        let token = token.trim();
        if token.is_empty() {
            return Err(errors::NEED_TOKEN);
        }
        let caller = {
            let st = self.lock();
            let now = st.now_s();
            let app_has = |s: &&str| st.options.app_scopes.iter().any(|a| a == s);
            let app_scope_check = || {
                if api.scopes.iter().any(app_has) {
                    Ok(())
                } else {
                    let mut e = errors::APP_SCOPE_MISSING;
                    let v: Vec<Value> = api
                        .scopes
                        .iter()
                        .map(|s| json!({"type": "action_privilege_required", "subject": s}))
                        .collect();
                    e.error = Some(json!({"permission_violations": v}));
                    Err(e)
                }
            };
            if token.starts_with("t-") {
                let live = st
                    .tenant_tokens
                    .iter()
                    .any(|t| t.token == token && t.expires_at > now);
                if !live || !api.tenant {
                    return Err(errors::TENANT_TOKEN_INVALID);
                }
                app_scope_check()?;
                Caller::Tenant
            } else if token.starts_with("u-") || token.starts_with("eyJ") {
                let Some(t) = st.user_tokens.get(token) else {
                    return Err(errors::USER_TOKEN_INVALID);
                };
                if t.expires_at <= now {
                    return Err(errors::USER_TOKEN_EXPIRED);
                }
                if !api.user {
                    return Err(errors::USER_TOKEN_NOT_SUPPORT);
                }
                app_scope_check()?;
                if !api
                    .scopes
                    .iter()
                    .any(|s| t.scope.split(' ').any(|g| g == *s))
                {
                    return Err(errors::USER_SCOPE_MISSING);
                }
                Caller::User(t.open_id.clone())
            } else {
                return Err(errors::BAD_TOKEN_FORMAT);
            }
        };
        self.rate_check(api)?;
        self.remember_accepted(token);
        Ok(caller)
    }
}

/// [`super::FeishuSim::authorize_user`]: a grant as the token endpoint would make one.
pub(crate) fn grant_for_tests(
    st: &mut SimState,
    open_id: &str,
    scope: &str,
    now: i64,
) -> super::UserGrant {
    let g = new_grant(st, open_id, scope, now);
    super::UserGrant {
        access_token: g.access,
        refresh_token: g.refresh,
    }
}

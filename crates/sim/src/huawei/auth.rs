//! Chapter 3: App ID auth, account auth, token refresh and logout, and the token check every
//! MMC endpoint performs.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::errors::{self, ApiError};
use super::state::{Login, State as SimState, TokenCheck, User};
use super::wire::{self, field, loose_int};
use super::HuaweiSim;

const ACCESS_TOKEN: &str = "x-access-token";

/// `POST /v2/usg/acs/auth/appauth` (3.2.1, L498-697). Every failure is 401 USG.206010025.
pub(crate) async fn app_auth(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let fail = errors::APP_AUTH_FAILED;
    let (signature, access) = parse_hmac_header(&headers).ok_or(fail)?;
    // Required by the table (L530) but the vendor's own SDK does not send it: when present it
    // must say LongTicket, when absent the request is still accepted.
    if let Some(t) = headers.get("x-token-type") {
        if t.as_bytes() != b"LongTicket" {
            return Err(fail);
        }
    }
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&body) else {
        return Err(fail);
    };
    let app_id = match field(&obj, "appId") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(fail),
    };
    // access = base64(appId) (L529).
    let access_app_id = B64
        .decode(access.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    if access_app_id.as_deref() != Some(app_id.as_str()) {
        return Err(fail);
    }
    // clientType 72 = API caller; the string "72" is accepted too (note §7.5).
    if field(&obj, "clientType").and_then(loose_int) != Some(72) {
        return Err(fail);
    }
    let expire_time = field(&obj, "expireTime")
        .and_then(loose_int)
        .filter(|t| *t >= 0)
        .ok_or(fail)?;
    let nonce = match field(&obj, "nonce") {
        Some(Value::String(s)) if (32..=64).contains(&s.chars().count()) => s.clone(),
        _ => return Err(fail),
    };
    let user_id = match field(&obj, "userId") {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(fail),
    };
    // corpId is for SP tenants only; a single enterprise fails when it is sent (L540). The SDK
    // sends `"corpId": null`, which `field` treats as absent.
    match field(&obj, "corpId") {
        None => {}
        Some(Value::String(s)) if s.is_empty() => {}
        Some(_) => return Err(fail),
    }
    let user_name = match field(&obj, "userName") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => user_id.clone(),
    };

    let (issued, response) = sim.write(|st| {
        // expireTime: seconds; 0 = the signed request never expires (L541).
        if expire_time != 0 && expire_time < st.now().timestamp() {
            return Err(fail);
        }
        if app_id != st.enterprise.app_id {
            return Err(fail);
        }
        // The signed string carries the body's userId, so "signed userId == body userId" is
        // checked here too; an absent userId keeps both colons (FAQ 24.3, L28018-28026).
        let message = format!("{app_id}:{user_id}:{expire_time}:{nonce}");
        if !signature_matches(&st.enterprise.app_key, &message, &signature) {
            return Err(fail);
        }
        let login = if user_id.is_empty() {
            Login::DefaultAdmin
        } else {
            Login::AppUser {
                third_account: user_id.clone(),
            }
        };
        let user = st.user_for(login, &user_name);
        let issued = st.issue_tokens(&user.uuid, 72);
        let response = wire::login_response(Some(&issued), &user, &st.enterprise, &st.options);
        Ok((issued, response))
    })?;
    sim.record_issued(&issued);
    Ok(Json(response).into_response())
}

/// `Authorization: HMAC-SHA256 signature=<64 hex>,access=<base64>` (L529, L598-600). The hex is
/// compared case-insensitively: the official SDK sends upper case.
fn parse_hmac_header(headers: &HeaderMap) -> Option<(Vec<u8>, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let params = value.strip_prefix("HMAC-SHA256 ")?;
    let mut signature = None;
    let mut access = None;
    for pair in params.split(',') {
        let (k, v) = pair.trim().split_once('=')?;
        match k {
            "signature" => signature = Some(v),
            "access" => access = Some(v.to_owned()),
            _ => return None,
        }
    }
    let signature = signature.filter(|s| s.len() == 64)?;
    Some((
        hex::decode(signature).ok()?,
        access.filter(|a| !a.is_empty())?,
    ))
}

fn signature_matches(app_key: &str, message: &str, signature: &[u8]) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_key.as_bytes()) else {
        return false;
    };
    mac.update(message.as_bytes());
    // Constant-time comparison.
    mac.verify_slice(signature).is_ok()
}

/// `POST /v1/usg/acs/auth/account` (3.2.2, L699-921): `Authorization: Basic base64(account:pwd)`.
pub(crate) async fn account_auth(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (account, password) = parse_basic(&headers).ok_or(errors::BAD_AUTH_INFO)?;
    // The body repeats the account, but the example's body account differs from the Basic
    // credentials (L827-840), so the header is what authenticates.
    let obj = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(obj)) => obj,
        _ if body.iter().all(u8::is_ascii_whitespace) => Default::default(),
        _ => return Err(errors::BAD_CREDENTIALS),
    };
    let client_type = field(&obj, "clientType").and_then(loose_int).unwrap_or(72);
    // createTokenType 1 = verify only, issue no token.
    let create_token = field(&obj, "createTokenType")
        .and_then(loose_int)
        .unwrap_or(0)
        != 1;

    let (issued, response) = sim.write(|st| {
        // Passwords are 8-32 characters (L728).
        let len_ok = (8..=32).contains(&password.chars().count());
        if !len_ok || account != st.enterprise.account || password != st.enterprise.password {
            return Err(errors::BAD_CREDENTIALS);
        }
        let name = st.enterprise.user_name.clone();
        let user = st.user_for(
            Login::Account {
                account: account.clone(),
            },
            &name,
        );
        let issued = create_token.then(|| st.issue_tokens(&user.uuid, client_type));
        let response = wire::login_response(issued.as_ref(), &user, &st.enterprise, &st.options);
        Ok((issued, response))
    })?;
    if let Some(issued) = &issued {
        sim.record_issued(issued);
    }
    Ok(Json(response).into_response())
}

fn parse_basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?.trim();
    let decoded = String::from_utf8(B64.decode(encoded).ok()?).ok()?;
    let (account, password) = decoded.split_once(':')?;
    Some((account.to_owned(), password.to_owned()))
}

/// `PUT /v1/usg/acs/token` (3.2.3, L923-1073). The table says X-Access-Token carries the
/// **refresh** token (L946); the example sends a token that looks like the access token
/// (L992 vs L1010). The sim follows the table: only a live refresh token works, and both tokens
/// of that session are rotated (the old access token stops working).
pub(crate) async fn refresh(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let token = header_token(&headers).ok_or(errors::INVALID_TOKEN)?;
    let (issued, response) = sim.write(|st| {
        let issued = st.refresh(&token).ok_or(errors::INVALID_TOKEN)?;
        let user = st
            .user(&issued.session.user)
            .cloned()
            .ok_or(errors::INVALID_TOKEN)?;
        let response = wire::login_response(Some(&issued), &user, &st.enterprise, &st.options);
        Ok((issued, response))
    })?;
    sim.record_issued(&issued);
    Ok(Json(response).into_response())
}

/// `DELETE /v1/usg/acs/token` (3.2.5, L1220-1291): empty 200; the token is dead afterwards.
pub(crate) async fn logout(
    State(sim): State<HuaweiSim>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let token = header_token(&headers).ok_or(errors::INVALID_TOKEN)?;
    sim.write(|st| {
        if st.logout(&token) {
            Ok(())
        } else {
            Err(errors::INVALID_TOKEN)
        }
    })?;
    Ok(().into_response())
}

fn header_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get(ACCESS_TOKEN)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The token check of every `/v1/mmc` endpoint: missing -> 400 MMC.111070111, unknown or
/// evicted -> 401 USG.201000000, expired -> 400 MMC.118000001 (yes, 400: L27198).
pub(crate) fn caller(st: &SimState, headers: &HeaderMap) -> Result<User, ApiError> {
    let token = header_token(headers).ok_or(errors::TOKEN_IS_NULL)?;
    match st.check_access(&token) {
        TokenCheck::Valid(uuid) => st.user(&uuid).cloned().ok_or(errors::INVALID_TOKEN),
        TokenCheck::Expired => Err(errors::TOKEN_EXPIRED),
        TokenCheck::Unknown => Err(errors::INVALID_TOKEN),
    }
}

/// HMAC-SHA256 signature (lowercase hex) the way a client must compute it; for tests and docs.
pub fn sign_app_auth(
    app_key: &str,
    app_id: &str,
    user_id: &str,
    expire_time: i64,
    nonce: &str,
) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(app_key.as_bytes()) {
        Ok(mac) => mac,
        // HMAC accepts keys of any length; this arm cannot be taken.
        Err(_) => return String::new(),
    };
    mac.update(format!("{app_id}:{user_id}:{expire_time}:{nonce}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computed_vectors_from_the_note() {
        // Note §2.5, COMPUTED vector 1 (appKey = sample app_key of L26608).
        let key = "123asdkfieijfaidsjfanadifjadifjifsdghajusdiwewea123344o4adfdkfo";
        let app = "fdb8e4699586458bbd10c834872dcc62";
        let nonce = "EyclQsHwxhzK9OW8UEKWNfH2I3CGR2nINuU1EBpv162d42d92s";
        assert_eq!(
            sign_app_auth(key, app, "testuser@mycorp.com", 1627722929, nonce),
            "ff6e65a69dcbd4dac1c1dcd9ace80154ce186f799f83bbf7bbf1272f7f40449a"
        );
        assert_eq!(
            sign_app_auth(key, app, "", 1627722929, nonce),
            "5b3131e83dcf781a52d5a36a3cd67c986d712d638b210839c5d465853fc9e071"
        );
        assert_eq!(
            sign_app_auth(
                "secretKey",
                "app123",
                "alice",
                1700000000,
                "0123456789abcdef0123456789abcdef"
            ),
            "93beb2d8e5af42b9fbb7b5b2bc5954b471437a0ba9144be01494370e00caf87b"
        );
        assert_eq!(
            B64.encode(app),
            "ZmRiOGU0Njk5NTg2NDU4YmJkMTBjODM0ODcyZGNjNjI="
        );
    }
}

//! The CloudRoom listener as a whole: faults and injected errors, persistence in
//! `state_dir/cloudroom.json`, the listener's credentials, recordings and the company, user
//! and department endpoints.

#[path = "cloudroom_common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{assert_code, assert_empty_ok, headers, start, start_in};
use huiyi_sim::cloudroom::Injected;
use huiyi_sim::{Fault, FaultKind, SimVendor};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn fault(kind: FaultKind, prefix: Option<&str>) -> Fault {
    Fault {
        kind,
        remaining: 1,
        path_prefix: prefix.map(str::to_owned),
    }
}

#[tokio::test]
async fn listener_credentials_and_all_vendors() {
    let t = start().await;
    let l = &t.sim.listeners()[0];
    assert_eq!(l.vendor, "cloudroom");
    assert!(l.base_url.starts_with("http://127.0.0.1:"));
    let c = &l.credentials;
    assert_eq!(c["secret_id"], t.creds.secret_id);
    assert_eq!(c["secret_key"], t.creds.secret_key);
    assert_eq!(c["base_path"], "/CLOUDROOM-SERVER");
    let uid: i64 = c["user_id"].as_str().unwrap().parse().unwrap();
    assert_eq!(uid, t.cr.users()[0].id);
    assert!(SimVendor::ALL.contains(&SimVendor::Cloudroom));
    assert_eq!(SimVendor::Cloudroom.name(), "cloudroom");
    assert!(!format!("{:?}", t.creds).contains(&t.creds.secret_key));
    // The creator id works as hostId and searchUserId.
    let id = t.create_ok(json!({"subject": "x", "hostId": uid})).await;
    let v = t.list(&format!("searchUserId={uid}")).await.1;
    assert_eq!(v["records"][0]["confId"], id);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn server_error_delay_malformed_and_drop() {
    let t = start().await;
    t.cr.set_fault(fault(
        FaultKind::ServerError,
        Some("/CLOUDROOM-SERVER/v2/conference"),
    ));
    assert_code(&t.create(json!({"subject": "never"})).await, 500);
    assert!(t.cr.meetings().is_empty());
    t.cr.set_fault(fault(FaultKind::Delay(300), None));
    let began = Instant::now();
    assert_eq!(t.list("").await.0, StatusCode::OK);
    assert!(began.elapsed() >= Duration::from_millis(300));
    t.cr.set_fault(fault(FaultKind::MalformedBody, None));
    let (s, v) = t.create(json!({"subject": "half"})).await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.is_string(), "not JSON: {v}");
    assert_eq!(t.cr.meetings().len(), 1, "committed");
    t.cr.set_fault(fault(
        FaultKind::DropAfterCommit,
        Some("/CLOUDROOM-SERVER/v2/conference"),
    ));
    let mut req = t.http.post(t.url("/conference"));
    for (k, v) in t.signed() {
        req = req.header(k, v);
    }
    let sent = req
        .body(json!({"subject": "dropped"}).to_string())
        .send()
        .await;
    assert!(sent.is_err(), "no answer: {sent:?}");
    assert_eq!(t.cr.meetings().len(), 2, "committed before the drop");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn injected_errors_rate_limit_and_gateway() {
    let t = start().await;
    t.cr.inject(Injected {
        code: 22008,
        remaining: 2,
        path_prefix: Some("/CLOUDROOM-SERVER/v2/conference".into()),
    });
    assert_code(&t.create(json!({"subject": "x"})).await, 22008);
    assert_code(&t.get("/conference/12345678").await, 22008);
    assert_code(&t.get("/conference/12345678").await, 22201);
    for code in [22224, 22233, 22205, 22206, 22207, 22208, 500] {
        t.cr.inject(Injected {
            code,
            remaining: 1,
            path_prefix: None,
        });
        assert_code(&t.list("").await, code);
    }
    t.cr.inject(Injected {
        code: 502,
        remaining: 1,
        path_prefix: None,
    });
    let (s, v) = t.list("").await;
    assert_eq!(s, StatusCode::BAD_GATEWAY);
    assert!(v.is_string(), "non-JSON body: {v}");
    // Over HTTP control, and auth still comes first.
    let r = t
        .http
        .post(format!("{}/__sim/inject", t.base))
        .body(r#"{"code":22224,"remaining":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_code(
        &t.raw(Method::GET, "/conference/list", &[], None).await,
        22001,
    );
    assert_code(&t.list("").await, 22224);
    assert_eq!(t.list("").await.0, StatusCode::OK);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let t = start_in(dir.path()).await;
    let creds = t.creds.clone();
    let id = t.create_ok(t.scheduled("持久", 60)).await;
    t.cr.advance_clock(1234);
    let clock = t.now();
    let (s, user) = t
        .post(
            "/user",
            &json!({"account": "p@x", "password": "123456", "name": "持久用户"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{user}");
    t.sim.shutdown().await;
    let file = dir.path().join("cloudroom.json");
    assert!(file.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let t = start_in(dir.path()).await;
    assert_eq!(t.creds, creds, "same credentials");
    assert!(t.now() >= clock, "clock offset kept");
    assert_eq!(t.detail(id).await["subject"], "持久");
    assert!(t.cr.users().iter().any(|u| u.account == "p@x"));
    // A new confId never repeats a deleted one's.
    t.delete(&format!("/conference/{id}")).await;
    t.sim.shutdown().await;
    let t = start_in(dir.path()).await;
    assert_code(&t.get(&format!("/conference/{id}")).await, 22201);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn recordings() {
    let t = start().await;
    let id = t.create_ok(json!({"subject": "云屋科技的会议"})).await;
    assert_eq!(
        t.get(&format!("/video/{id}")).await.1,
        json!({"total": 0, "records": [], "remaining": 0})
    );
    let f1 = t.cr.add_recording(id, "云屋科技的会议", 461, 6_950_912);
    let f2 = t.cr.add_recording(id, "第二段", 60, 1000);
    assert_eq!(f1.len(), 32);
    let (s, v) = t.get(&format!("/video/{id}?current=1&size=1")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["total"], 2);
    assert_eq!(v["remaining"], 1);
    let r = &v["records"][0];
    assert_eq!(r["fileId"], f1);
    assert_eq!(r["confId"], id);
    assert_eq!(r["duration"], 461);
    assert_eq!(r["size"], 6_950_912);
    assert!(r["createTime"].is_i64());
    assert!(r["vodUrl"].as_str().unwrap().ends_with(&f1));
    assert!(r["url"].as_str().unwrap().contains("/vod/"));
    assert_code(&t.get("/video/12345678").await, 22201);
    assert_empty_ok(&t.delete(&format!("/video/{f2}")).await);
    assert_code(&t.delete(&format!("/video/{f2}")).await, 21030);
    assert_code(&t.delete("/video/387702296195782359").await, 21030);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn company_endpoints_take_the_platform_key() {
    let t = start().await;
    let p = t.cr.platform_credentials();
    let h = || headers(&p.secret_id, &p.secret_key, &t.now().to_string());
    let body = json!({"compGUID": "mytestGUID", "compName": "测试CompName", "admin": "mytest@cloudroom.com", "adminName": "测试01", "adminPwd": "123456"});
    let (s, v) = t.raw(Method::POST, "/company", &h(), Some(&body)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v,
        json!({"compGUID": "mytestGUID", "compName": "测试CompName", "admin": "mytest@cloudroom.com", "adminName": "测试01"})
    );
    assert_code(
        &t.raw(Method::POST, "/company", &h(), Some(&body)).await,
        400,
    );
    assert_code(
        &t.raw(
            Method::POST,
            "/company",
            &h(),
            Some(&json!({"compGUID": "x"})),
        )
        .await,
        400,
    );
    assert_empty_ok(
        &t.raw(
            Method::PUT,
            "/company/mytestGUID",
            &h(),
            Some(&json!({"compName": "my测试CompName"})),
        )
        .await,
    );
    assert_empty_ok(
        &t.raw(Method::DELETE, "/company/mytestGUID", &h(), None)
            .await,
    );
    assert_code(
        &t.raw(Method::DELETE, "/company/mytestGUID", &h(), None)
            .await,
        400,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn users_and_departments() {
    let t = start().await;
    // Department under the root (parentId 1, L980), then under it.
    let (s, web) = t
        .post("/department", &json!({"name": "web", "parentId": 1}))
        .await;
    assert_eq!(s, StatusCode::OK, "{web}");
    let web_id = web["departmentId"].as_i64().unwrap();
    assert_eq!(web["parentId"], 1);
    let (_, d) = t
        .post("/department", &json!({"name": "test3", "parentId": web_id}))
        .await;
    let d_id = d["departmentId"].as_i64().unwrap();
    assert_eq!(d["fullPath"], "沙箱科技 > web > test3");
    assert_eq!(d.as_object().unwrap().len(), 4);
    assert_code(
        &t.post("/department", &json!({"name": "x", "parentId": 999_999}))
            .await,
        400,
    );
    assert_code(&t.post("/department", &json!({"name": "x"})).await, 400);
    let (s, v) = t
        .put(
            &format!("/department/{d_id}"),
            &json!({"name": "test4", "parentId": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v,
        json!({"departmentId": d_id, "name": "test4", "parentId": 1, "fullPath": "沙箱科技 > test4"})
    );
    assert_code(
        &t.put(
            &format!("/department/{web_id}"),
            &json!({"name": "w", "parentId": web_id}),
        )
        .await,
        400,
    );
    // User: the documented response, no id; roleType default 2.
    let body = json!({"account": "test@cloudroom.com", "password": "123456", "name": "test", "mobile": "18927450001", "departmentId": d_id, "email": "test@163.com"});
    let (s, v) = t.post("/user", &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"account": "test@cloudroom.com", "name": "test", "mobile": "18927450001", "departmentId": d_id, "roleType": 2, "email": "test@163.com"})
    );
    assert_code(&t.post("/user", &body).await, 400);
    assert_code(
        &t.post(
            "/user",
            &json!({"account": "a", "password": "p", "name": "n", "roleType": 6}),
        )
        .await,
        400,
    );
    assert_code(&t.post("/user", &json!({"account": "a"})).await, 400);
    let new_id =
        t.cr.users()
            .iter()
            .find(|u| u.account == "test@cloudroom.com")
            .unwrap()
            .id;
    // The new user's id is usable in meetings.
    t.create_ok(json!({"subject": "x", "hostId": new_id})).await;
    assert_empty_ok(
        &t.put(
            "/user/test@cloudroom.com",
            &json!({"name": "改名", "roleType": 4}),
        )
        .await,
    );
    assert_eq!(
        t.cr.users().iter().find(|u| u.id == new_id).unwrap().name,
        "改名"
    );
    assert_code(&t.put("/user/nobody", &json!({"name": "x"})).await, 400);
    // Deleting its department moves it to the root as an ordinary user (L1060).
    assert_empty_ok(&t.delete(&format!("/department/{d_id}")).await);
    let u = t.cr.users().into_iter().find(|u| u.id == new_id).unwrap();
    assert_eq!((u.department_id, u.role_type), (1, 3));
    assert_code(&t.delete(&format!("/department/{d_id}")).await, 400);
    assert_empty_ok(&t.delete("/user/test@cloudroom.com").await);
    assert_code(&t.delete("/user/test@cloudroom.com").await, 400);
    assert_code(
        &t.create(json!({"subject": "x", "hostId": new_id})).await,
        22223,
    );
    // The creator cannot be deleted.
    let creator = t.cr.users()[0].account.clone();
    assert_code(&t.delete(&format!("/user/{creator}")).await, 22224);
    t.sim.shutdown().await;
}

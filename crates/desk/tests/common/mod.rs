//! Shared helpers for the desk's integration tests: a real huiyi-sim on 127.0.0.1, a real
//! SQLite file in a temp dir, and forms that are valid at any time of year.

#![allow(dead_code)]

use std::sync::Arc;

use chrono::{Duration, Utc};
use chrono_tz::Tz;
use huiyi_core::{AccountAuth, AttendeeInput, BookingForm, Lang, Notifications, SecretString};
use huiyi_desk::{AccountView, Desk, DeskOptions, MemoryStore, NewAccount, SecretStore};
use huiyi_sim::{Sim, SimConfig, SimVendor};

pub struct SimCreds {
    pub base_url: String,
    pub app_id: String,
    pub app_key: String,
    pub user_id: String,
}

pub async fn start_sim() -> Sim {
    Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Huawei],
        port: 0,
    })
    .await
    .expect("sim starts")
}

pub fn creds(sim: &Sim) -> SimCreds {
    let l = &sim.listeners()[0];
    let s = |k: &str| {
        l.credentials[k]
            .as_str()
            .unwrap_or_else(|| panic!("credential {k}"))
            .to_string()
    };
    SimCreds {
        base_url: l.base_url.clone(),
        app_id: s("app_id"),
        app_key: s("app_key"),
        user_id: s("user_id"),
    }
}

pub fn open_desk(dir: &std::path::Path, secrets: Arc<dyn SecretStore>, lang: Lang) -> Desk {
    Desk::open(DeskOptions {
        data_dir: dir.to_path_buf(),
        secrets,
        lang,
        feishu_redirect_port: 0,
    })
    .expect("desk opens")
}

pub fn memory() -> Arc<dyn SecretStore> {
    Arc::new(MemoryStore::new())
}

pub fn new_account(c: &SimCreds, label: &str) -> NewAccount {
    NewAccount {
        label: label.into(),
        base_url: Some(c.base_url.clone()),
        auth: AccountAuth::HuaweiAppId {
            app_id: c.app_id.clone(),
            user_id: Some(c.user_id.clone()),
        },
        secret: SecretString::from(c.app_key.clone()),
    }
}

pub async fn add_account(desk: &Desk, c: &SimCreds) -> AccountView {
    desk.add_account(new_account(c, "北京办公室"))
        .await
        .expect("account added")
}

/// Wall-clock `days` from now at `hh:mm` in Asia/Shanghai, as a form expects it.
pub fn shanghai_local(days: i64, hh: u32, mm: u32) -> String {
    let tz: Tz = "Asia/Shanghai".parse().unwrap();
    let date = (Utc::now() + Duration::days(days))
        .with_timezone(&tz)
        .date_naive();
    format!("{}T{:02}:{:02}", date.format("%Y-%m-%d"), hh, mm)
}

pub fn form(subject: &str, days: i64) -> BookingForm {
    BookingForm {
        subject: subject.into(),
        start: shanghai_local(days, 9, 30),
        end: Some(shanghai_local(days, 10, 30)),
        duration_minutes: None,
        zone: "Asia/Shanghai".into(),
        attendees: vec![
            AttendeeInput {
                name: "张三".into(),
                email: "zhangsan@example.com".into(),
                ..Default::default()
            },
            AttendeeInput {
                name: "李四".into(),
                phone: "+8613800138000".into(),
                host: true,
                ..Default::default()
            },
        ],
        notify: Notifications {
            email: true,
            sms: false,
            calendar: true,
        },
        ports: None,
        registration: false,
        password: String::new(),
    }
}

/// A Feishu fake and an account on it (added as a real account would be, not the sandbox).
pub async fn feishu_account(desk: &Desk) -> (Sim, AccountView) {
    let sim = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Feishu],
        port: 0,
    })
    .await
    .expect("Feishu fake starts");
    let c = sim.feishu().unwrap().credentials();
    let account = desk
        .add_account(NewAccount {
            label: "飞书 · 总部".into(),
            base_url: Some(sim.listeners()[0].base_url.clone()),
            auth: AccountAuth::FeishuApp {
                app_id: c.app_id.clone(),
                region: huiyi_core::FeishuRegion::Feishu,
                owner: Some(c.user_id.clone()),
            },
            secret: SecretString::from(c.app_secret.clone()),
        })
        .await
        .expect("Feishu account added");
    (sim, account)
}

/// What a person does in the browser on the Feishu authorization page: the page is read, its
/// form posted back with `decision` ("approve" or "deny"), and the redirect followed to the
/// app's loopback address. Returns the loopback page's status.
pub async fn answer_in_browser(authorize_url: &str, decision: &str) -> u16 {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser.get(authorize_url).send().await.expect("page loads");
    assert!(
        page.status().is_success(),
        "authorization page: {}",
        page.status()
    );
    let (action, query) = authorize_url.split_once('?').expect("a query");
    let decided = browser
        .post(action)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("{query}&decision={decision}"))
        .send()
        .await
        .expect("the form posts");
    let location = decided
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("the page redirects to the app")
        .to_string();
    browser
        .get(&location)
        .send()
        .await
        .expect("the loopback answers")
        .status()
        .as_u16()
}

/// A CloudRoom fake and an account on it (as a real account would be added).
pub async fn cloudroom_account(desk: &Desk) -> (Sim, AccountView) {
    let sim = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Cloudroom],
        port: 0,
    })
    .await
    .expect("CloudRoom fake starts");
    let c = sim.cloudroom().unwrap().credentials();
    let account = desk
        .add_account(NewAccount {
            label: "云屋 · 深圳".into(),
            base_url: Some(format!("{}{}", sim.listeners()[0].base_url, c.base_path)),
            auth: AccountAuth::CloudroomApi {
                secret_id: c.secret_id.clone(),
                user_id: Some(c.user_id.clone()),
            },
            secret: SecretString::from(c.secret_key.clone()),
        })
        .await
        .expect("CloudRoom account added");
    (sim, account)
}

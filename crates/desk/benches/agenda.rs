//! What a person waits for most: the agenda. Measures, against the real fake vendor over HTTP
//! on loopback and a real SQLite file:
//! - `cached_agenda` with 300 meetings: what the window shows at start-up, before any network;
//! - `agenda` refresh of the same 300 meetings: paging the vendor's list, replacing the cache;
//! - `book`: validation, one vendor create and the cache write.
//!
//! Goals (2-core machine, debug-free bench profile): cached agenda well under 50 ms, so the
//! window never shows a blank agenda; a 300-meeting refresh under 1 s.

use std::sync::Arc;

use chrono::{Duration, Utc};
use chrono_tz::Tz;
use criterion::{criterion_group, criterion_main, Criterion};
use huiyi_core::{AccountAuth, AttendeeInput, BookingForm, Lang, Notifications, SecretString};
use huiyi_desk::{Desk, DeskOptions, MemoryStore, NewAccount};
use huiyi_sim::huawei::HuaweiOptions;
use huiyi_sim::{Sim, SimConfig, SimVendor};

const MEETINGS: usize = 300;

fn form(i: usize) -> BookingForm {
    let tz: Tz = "Asia/Shanghai".parse().expect("zone");
    // Spread over the coming days, 15-minute slots from 08:00.
    let day = (Utc::now() + Duration::days(1 + (i / 40) as i64))
        .with_timezone(&tz)
        .date_naive();
    let minutes = 8 * 60 + (i % 40) * 15;
    BookingForm {
        subject: format!("Review #{i}"),
        start: format!(
            "{}T{:02}:{:02}",
            day.format("%Y-%m-%d"),
            minutes / 60,
            minutes % 60
        ),
        end: None,
        duration_minutes: Some(30),
        zone: "Asia/Shanghai".into(),
        attendees: vec![AttendeeInput {
            name: "张三".into(),
            email: "zhangsan@example.com".into(),
            ..Default::default()
        }],
        notify: Notifications {
            email: false,
            sms: false,
            calendar: false,
        },
        ports: None,
        registration: false,
        password: String::new(),
    }
}

fn agenda(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let (sim, desk, account) = rt.block_on(async {
        let sim = Sim::start(SimConfig {
            state_dir: None,
            vendors: vec![SimVendor::Huawei],
            port: 0,
        })
        .await
        .expect("sim");
        let huawei = sim.huawei().expect("huawei listener");
        // A paid enterprise: no 20-a-day cap, so the bench can book hundreds.
        huawei.set_options(HuaweiOptions {
            daily_create_limit: None,
            ..huawei.options()
        });
        let l = &sim.listeners()[0];
        let cred = |k: &str| l.credentials[k].as_str().expect("credential").to_string();
        let desk = Desk::open(DeskOptions {
            data_dir: dir.path().to_path_buf(),
            secrets: Arc::new(MemoryStore::new()),
            lang: Lang::En,
            feishu_redirect_port: 0,
        })
        .expect("desk");
        let account = desk
            .add_account(NewAccount {
                label: "bench".into(),
                base_url: Some(l.base_url.clone()),
                auth: AccountAuth::HuaweiAppId {
                    app_id: cred("app_id"),
                    user_id: Some(cred("user_id")),
                },
                secret: SecretString::from(cred("app_key")),
            })
            .await
            .expect("account");
        for i in 0..MEETINGS {
            desk.book(&account.id, form(i)).await.expect("booked");
        }
        (sim, desk, account)
    });

    c.bench_function("cached_agenda_300", |b| {
        b.iter(|| {
            let a = desk.cached_agenda().expect("cached agenda");
            assert_eq!(a.meetings.len(), MEETINGS);
        })
    });
    c.bench_function("refresh_agenda_300", |b| {
        b.to_async(&rt).iter(|| async {
            let a = desk.agenda().await.expect("agenda");
            assert_eq!(a.meetings.len(), MEETINGS);
        })
    });
    // Criterion runs thousands of bookings: cycle through 100 days of slots so every start
    // stays inside the vendor's booking window.
    let mut next = 0;
    c.bench_function("book_one", |b| {
        b.to_async(&rt).iter(|| {
            next = (next + 1) % 4000;
            let form = form(next);
            let desk = desk.clone();
            let id = account.id.clone();
            async move { desk.book(&id, form).await.expect("booked") }
        })
    });
    drop(desk);
    rt.block_on(sim.shutdown());
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(5));
    targets = agenda
}
criterion_main!(benches);

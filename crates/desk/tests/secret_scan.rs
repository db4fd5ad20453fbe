//! A full scenario with logging on, every result serialized as the IPC would, then every byte
//! the desk left behind (SQLite incl. -wal/-shm, logs, sandbox state excluded as it is the
//! fake vendor's own) and every JSON output is searched for the secrets: Huawei's App Key, each
//! token it issued, the host link and the host password; Tencent's Secret Key and every request
//! signature the Tencent fake accepted; BizConf's API key and host start links (web and
//! `sfcloud://`, and the host token inside) and a registrant's personal link; Feishu's App
//! Secret, every token and code its fake issued (tenant, authorization code, user access and
//! refresh tokens before and after a renewal) and the PKCE verifier the desk sent; CloudRoom's
//! Secret Key, every request signature its fake accepted and the `CRMT:` join string minted
//! for the app (a credential).

mod common;

use common::*;
use huiyi_core::{
    AccountAuth, AttendeeInput, ExposeSecret, Lang, LinkKind, LinkRole, RegistrantInput,
    SecretString,
};
use huiyi_desk::NewAccount;
use huiyi_sim::{Sim, SimConfig, SimVendor};
use serde::Serialize;

fn push<T: Serialize>(out: &mut Vec<String>, v: &T) {
    out.push(serde_json::to_string(v).expect("serializes"));
}

fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_disk_logs_or_ipc() {
    let dir = tempfile::tempdir().unwrap();
    // debug, not the default info: stricter than real use.
    std::env::set_var("HUIYI_LOG", "debug");
    let log = huiyi_desk::init_logging(dir.path(), false).expect("logging");

    let sim = start_sim().await;
    let c = creds(&sim);
    let desk = open_desk(dir.path(), memory(), Lang::En);
    let mut json = Vec::new();

    let account = add_account(&desk, &c).await;
    push(&mut json, &account);
    push(&mut json, &desk.accounts().unwrap());
    let booked = desk.book(&account.id, form("Board", 3)).await.unwrap();
    push(&mut json, &booked);
    let id = booked.summary.id.clone();
    push(&mut json, &desk.meeting(&id).await.unwrap());
    let host_link = desk.join_link(&id, LinkRole::Host).await.unwrap();
    let host_link = host_link.url.expose_secret().to_string();
    let guest_link = desk.join_link(&id, LinkRole::Attendee).await.unwrap();
    push(&mut json, &guest_link.public_url());
    let host_password = desk
        .host_password(&id)
        .await
        .unwrap()
        .expose_secret()
        .to_string();
    push(&mut json, &desk.edit_form(&id).unwrap());
    let mut f = desk.edit_form(&id).unwrap();
    f.subject = "Board (moved)".into();
    f.start = shanghai_local(4, 9, 30);
    f.end = Some(shanghai_local(4, 11, 0));
    push(&mut json, &desk.edit(&id, f).await.unwrap());
    push(&mut json, &desk.agenda().await.unwrap());
    push(&mut json, &desk.cached_agenda().unwrap());
    push(&mut json, &desk.capabilities(&account.id).unwrap());
    push(&mut json, &desk.settings());
    // An error on the way, as the IPC would carry it.
    push(
        &mut json,
        &desk.book(&account.id, form("", 3)).await.unwrap_err(),
    );
    desk.cancel(&id).await.unwrap();
    push(&mut json, &desk.agenda().await.unwrap());
    let tokens = sim.huawei().unwrap().issued_tokens();
    sim.shutdown().await;

    // Tencent: an account, a meeting with an invitee, a guest and a room, an edit, an error,
    // the cancellation.
    let tencent = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Tencent],
        port: 0,
    })
    .await
    .expect("Tencent fake starts");
    let tc = tencent.tencent().unwrap().credentials();
    let tc_account = desk
        .add_account(NewAccount {
            label: "深圳".into(),
            base_url: Some(tencent.listeners()[0].base_url.clone()),
            auth: AccountAuth::TencentApp {
                app_id: tc.app_id.clone(),
                sdk_id: Some(tc.sdk_id.clone()),
                secret_id: tc.secret_id.clone(),
                operator: tc.userid.clone(),
            },
            secret: SecretString::from(tc.secret_key.clone()),
        })
        .await
        .expect("Tencent account added");
    push(&mut json, &tc_account);
    let mut tf = form("Tencent board", 5);
    tf.attendees = vec![
        AttendeeInput {
            name: "同事".into(),
            account: "colleague-1".into(),
            ..Default::default()
        },
        AttendeeInput {
            name: "李四".into(),
            phone: "+8613800138000".into(),
            ..Default::default()
        },
    ];
    let tc_booked = desk.book(&tc_account.id, tf).await.unwrap();
    push(&mut json, &tc_booked);
    let rooms = desk.vendor_rooms(&tc_account.id).await.unwrap();
    push(&mut json, &rooms);
    let room = rooms.iter().find(|r| r.bookable).unwrap().vendor_id.clone();
    let tid = tc_booked.summary.id.clone();
    push(&mut json, &desk.book_rooms(&tid, &[room]).await.unwrap());
    let mut tf = desk.edit_form(&tid).unwrap();
    tf.subject = "Tencent board (moved)".into();
    push(&mut json, &desk.edit(&tid, tf).await.unwrap());
    push(&mut json, &desk.meeting(&tid).await.unwrap());
    let tencent_link = desk.join_link(&tid, LinkRole::Attendee).await.unwrap();
    push(&mut json, &tencent_link.public_url());
    push(&mut json, &desk.agenda().await.unwrap());
    push(
        &mut json,
        &desk.book(&tc_account.id, form("", 5)).await.unwrap_err(),
    );
    desk.cancel(&tid).await.unwrap();
    let signatures = tencent.tencent().unwrap().accepted_signatures();
    tencent.shutdown().await;

    // BizConf: an account, a meeting with ports, the check before booking, the host start
    // links fetched as the shell fetches them to open, an edit, an error, the cancellation.
    let bizconf = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Bizconf],
        port: 0,
    })
    .await
    .expect("BizConf fake starts");
    let bcc = bizconf.bizconf().unwrap().credentials();
    let bc_account = desk
        .add_account(NewAccount {
            label: "上海".into(),
            base_url: Some(bizconf.listeners()[0].base_url.clone()),
            auth: AccountAuth::BizconfApi {
                site_sign: bcc.site_sign.clone(),
                user_id: bcc.user_id.clone(),
                user_name: bcc.user_name.clone(),
            },
            secret: SecretString::from(bcc.api_key.clone()),
        })
        .await
        .expect("BizConf account added");
    push(&mut json, &bc_account);
    let mut bf = form("BizConf board", 6);
    bf.ports = Some(8);
    bf.registration = true;
    push(
        &mut json,
        &desk.booking_check(&bc_account.id, &bf, None).await.unwrap(),
    );
    let bc_booked = desk.book(&bc_account.id, bf).await.unwrap();
    push(&mut json, &bc_booked);
    let bid = bc_booked.summary.id.clone();
    let mut bc_host_links = Vec::new();
    for kind in [LinkKind::Web, LinkKind::Protocol] {
        let link = desk
            .join_link_of(&bid, LinkRole::Host, Some(kind))
            .await
            .unwrap();
        bc_host_links.push(link.url.expose_secret().to_string());
    }
    let registrant = desk
        .add_registrant(
            &bid,
            RegistrantInput {
                name: "王五".into(),
                email: "wangwu@example.com".into(),
            },
        )
        .await
        .unwrap();
    push(&mut json, &registrant);
    push(&mut json, &desk.registrants(&bid).await.unwrap());
    let registrant_link = desk
        .registrant_link(&bid, &registrant.id)
        .await
        .unwrap()
        .expose_secret()
        .to_string();
    let mut bf = desk.edit_form(&bid).unwrap();
    bf.subject = "BizConf board (moved)".into();
    push(&mut json, &desk.edit(&bid, bf).await.unwrap());
    push(&mut json, &desk.meeting(&bid).await.unwrap());
    push(&mut json, &desk.agenda().await.unwrap());
    push(
        &mut json,
        &desk.book(&bc_account.id, form("", 6)).await.unwrap_err(),
    );
    desk.cancel(&bid).await.unwrap();
    bizconf.shutdown().await;

    // Feishu: an account, the user connected through the browser (code, PKCE verifier, access
    // and refresh tokens), a meeting, its links, a renewal of the user token, ending it with the
    // user's token, an error, the cancellation, the user disconnected.
    let (feishu, fs_account) = feishu_account(&desk).await;
    let fake = feishu.feishu().unwrap();
    push(&mut json, &fs_account);
    let (url_tx, url_rx) = tokio::sync::oneshot::channel::<String>();
    let browser = tokio::spawn(async move {
        let url = url_rx.await.expect("the desk opened a page");
        answer_in_browser(&url, "approve").await
    });
    let connected = desk
        .connect_feishu_user(&fs_account.id, move |url| {
            let _ = url_tx.send(url.to_string());
        })
        .await
        .expect("Feishu user connected");
    browser.await.unwrap();
    push(&mut json, &connected);
    push(&mut json, &desk.accounts().unwrap());
    let mut ff = form("Feishu board", 7);
    ff.attendees.clear();
    let fs_booked = desk.book(&fs_account.id, ff).await.unwrap();
    push(&mut json, &fs_booked);
    let fid = fs_booked.summary.id.clone();
    push(&mut json, &desk.meeting(&fid).await.unwrap());
    let reserve = fake
        .reserves()
        .into_iter()
        .find(|r| r.meeting_no == fs_booked.summary.meeting_number)
        .unwrap();
    fake.start_meeting(&reserve.id, &[]).unwrap();
    // Two hours and more later the user's access token has expired: ending renews it.
    fake.advance_clock(3 * 3600);
    push(&mut json, &desk.end_meeting(&fid).await.unwrap());
    push(&mut json, &desk.agenda().await.unwrap());
    let mut ff = form("", 7);
    ff.attendees.clear();
    push(&mut json, &desk.book(&fs_account.id, ff).await.unwrap_err());
    desk.cancel(&fid).await.unwrap();
    push(
        &mut json,
        &desk.disconnect_feishu_user(&fs_account.id).unwrap(),
    );
    let fs_creds = fake.credentials();
    let fs_issued = fake.issued_tokens();
    let fs_verifiers = fake.received_verifiers();
    feishu.shutdown().await;

    // CloudRoom: an account, a meeting with an invitee and a password, the join string minted
    // for the app (as the shell fetches it to copy), an edit, an error, the deletion.
    let (cloudroom, cr_account) = cloudroom_account(&desk).await;
    let crf = cloudroom.cloudroom().unwrap();
    push(&mut json, &cr_account);
    let colleague = crf.users().into_iter().nth(1).unwrap();
    let mut cf = form("CloudRoom board", 8);
    cf.attendees = vec![AttendeeInput {
        name: colleague.name.clone(),
        account: colleague.id.to_string(),
        ..Default::default()
    }];
    cf.password = "2468".into();
    let cr_booked = desk.book(&cr_account.id, cf).await.unwrap();
    push(&mut json, &cr_booked);
    let cid = cr_booked.summary.id.clone();
    let crmt = desk
        .join_link_of(&cid, LinkRole::Attendee, Some(LinkKind::Protocol))
        .await
        .unwrap();
    assert!(crmt.secret);
    push(&mut json, &crmt.public_url());
    push(&mut json, &desk.meeting(&cid).await.unwrap());
    let mut cf = desk.edit_form(&cid).unwrap();
    cf.subject = "CloudRoom board (moved)".into();
    push(&mut json, &desk.edit(&cid, cf).await.unwrap());
    push(&mut json, &desk.agenda().await.unwrap());
    let mut cf = form("CloudRoom bad", 8);
    cf.attendees.clear();
    cf.password = "12".into();
    push(&mut json, &desk.book(&cr_account.id, cf).await.unwrap_err());
    desk.cancel(&cid).await.unwrap();
    let cr_key = crf.credentials().secret_key;
    let cr_signatures = crf.accepted_signatures();
    let cr_crmts = crf.issued_crmts();
    cloudroom.shutdown().await;
    // And the agenda while the vendor is gone (an AccountProblem).
    push(&mut json, &desk.agenda().await.unwrap());
    // The desk stays open so its -wal and -shm files exist (closing checkpoints and removes
    // them) and get scanned as well.

    // The scan must be able to fail: every secret is real and long enough to be searched.
    let mut secrets: Vec<(String, String)> = vec![
        ("App Key".into(), c.app_key.clone()),
        ("host link".into(), host_link.clone()),
        ("host password".into(), host_password.clone()),
    ];
    assert!(!tokens.is_empty(), "the sim issued tokens");
    secrets.extend(tokens.iter().map(|t| ("token".to_string(), t.clone())));
    secrets.push(("Tencent Secret Key".into(), tc.secret_key.clone()));
    secrets.push(("BizConf API key".into(), bcc.api_key.clone()));
    for link in &bc_host_links {
        secrets.push(("BizConf host start link".into(), link.clone()));
        // The host token inside `sfcloud://…/start?…&token=…` on its own.
        if let Some((_, token)) = link.split_once("token=") {
            let token = token.split('&').next().unwrap_or(token);
            secrets.push(("BizConf host token".into(), token.to_string()));
        }
    }
    assert_eq!(
        bc_host_links.len(),
        2,
        "web and sfcloud:// host start links"
    );
    secrets.push(("BizConf registrant link".into(), registrant_link.clone()));
    secrets.push(("Feishu App Secret".into(), fs_creds.app_secret.clone()));
    assert!(
        fs_issued.len() >= 5,
        "tenant token, code, user access and refresh tokens, renewed pair: {}",
        fs_issued.len()
    );
    secrets.extend(
        fs_issued
            .iter()
            .map(|t| ("Feishu token or code".to_string(), t.clone())),
    );
    assert_eq!(fs_verifiers.len(), 1, "one PKCE exchange");
    secrets.extend(
        fs_verifiers
            .iter()
            .map(|v| ("Feishu PKCE verifier".to_string(), v.clone())),
    );
    assert!(
        signatures.len() >= 8,
        "every Tencent call was signed: {}",
        signatures.len()
    );
    secrets.extend(
        signatures
            .iter()
            .map(|s| ("Tencent signature".to_string(), s.clone())),
    );
    secrets.push(("CloudRoom Secret Key".into(), cr_key.clone()));
    assert!(cr_signatures.len() >= 5, "{}", cr_signatures.len());
    secrets.extend(
        cr_signatures
            .iter()
            .map(|s| ("CloudRoom signature".to_string(), s.clone())),
    );
    assert_eq!(cr_crmts.len(), 1, "one join string was minted");
    for c in &cr_crmts {
        secrets.push(("CloudRoom CRMT string".into(), c.clone()));
        // Its base64 payload alone, should the prefix be dropped somewhere.
        secrets.push((
            "CloudRoom CRMT payload".into(),
            c.trim_start_matches("CRMT:").to_string(),
        ));
    }
    for (what, s) in &secrets {
        assert!(s.len() >= 6, "{what} too short to scan for: {s:?}");
    }
    // The host link's token part, should it be logged without the rest of the URL.
    if let Some((_, query)) = host_link.split_once('?') {
        for part in query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(_, v)| v)
        {
            if part.len() >= 12 {
                secrets.push(("host link parameter".into(), part.to_string()));
            }
        }
    }

    let files: Vec<_> = files_under(dir.path())
        .into_iter()
        .filter(|p| !p.starts_with(dir.path().join("sandbox")))
        .collect();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n == "huiyi.sqlite3"), "{names:?}");
    assert!(
        names.iter().any(|n| n == "huiyi.sqlite3-wal"),
        "WAL file is scanned too: {names:?}"
    );
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("meeting booked"),
        "the log has content to scan:\n{log_text}"
    );

    let mut leaks = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for (what, s) in &secrets {
            if contains(&bytes, s) {
                leaks.push(format!("{what} in {}", file.display()));
            }
        }
    }
    for (i, j) in json.iter().enumerate() {
        for (what, s) in &secrets {
            if j.contains(s.as_str()) {
                leaks.push(format!("{what} in JSON output #{i}: {j}"));
            }
        }
    }
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));
    // The scan reads what it should: the attendee link and subject are there.
    assert!(json.iter().any(|j| j.contains("Board (moved)")));
    assert!(json.iter().any(|j| j.contains("Tencent board (moved)")));
    assert!(json.iter().any(|j| j.contains("BizConf board (moved)")));
    assert!(json.iter().any(|j| j.contains("Feishu board")));
    assert!(json.iter().any(|j| j.contains("CloudRoom board (moved)")));
    assert!(log_text.contains("join link minted"), "{log_text}");
    assert!(log_text.contains("Feishu user connected"), "{log_text}");
    assert!(log_text.contains("rooms booked"), "{log_text}");
}

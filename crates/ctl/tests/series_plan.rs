//! `huiyictl series plan` against accounts added on huiyi-sim's five fakes: the issue's
//! acceptance example, "last Friday of every month, 24 times", names what each vendor will do.
//! Like `cli.rs`, this needs the OS keyring between invocations (run under
//! `scripts/with-keyring.sh`); it skips, saying why, when none is reachable and
//! HUIYI_REQUIRE_KEYRING is unset.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use chrono::{Datelike, Duration, Months, NaiveDate, Utc, Weekday};
use huiyi_desk::{KeyringStore, SecretError};
use huiyi_sim::{Sim, SimConfig, SimVendor};
use serde_json::Value;

struct Ctl {
    data_dir: PathBuf,
    service: String,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Ctl {
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Out {
        let mut child = Command::new(env!("CARGO_BIN_EXE_huiyictl"))
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(args)
            .env("HUIYI_KEYRING_SERVICE", &self.service)
            .env_remove("HUIYI_SECRET_STORE")
            .env_remove("HUIYI_DATA_DIR")
            .env_remove("HUIYI_FEISHU_REDIRECT_PORT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("huiyictl starts");
        {
            let mut input = child.stdin.take().unwrap();
            if let Some(s) = stdin {
                input.write_all(s.as_bytes()).unwrap();
            }
        }
        let out = child.wait_with_output().unwrap();
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn ok(&self, args: &[&str], stdin: Option<&str>) -> Out {
        let out = self.run(args, stdin);
        assert_eq!(
            out.code, 0,
            "huiyictl {args:?} failed:\n{}\n{}",
            out.stdout, out.stderr
        );
        out
    }
}

fn keyring_or_skip(test: &str) -> bool {
    let required = std::env::var("HUIYI_REQUIRE_KEYRING").is_ok_and(|v| v == "1");
    match KeyringStore::with_service("huiyi-ctl-probe").probe() {
        Ok(()) => true,
        Err(SecretError::Unavailable(why)) if !required => {
            eprintln!("SKIPPED {test}: no Secret Service is reachable ({why}). Set HUIYI_REQUIRE_KEYRING=1 to make this a failure.");
            false
        }
        Err(e) => panic!("the keyring is required but not usable: {e}"),
    }
}

/// The last Friday of the month two months from now: every occurrence is in the future for
/// every fake, and beyond Feishu's 30 days.
fn last_friday_ahead() -> NaiveDate {
    let today = Utc::now().date_naive();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .unwrap()
        .checked_add_months(Months::new(3))
        .unwrap();
    let mut d = first - Duration::days(1);
    while d.weekday() != Weekday::Fri {
        d -= Duration::days(1);
    }
    d
}

fn cred(l: &huiyi_sim::ListenerInfo, k: &str) -> String {
    l.credentials[k]
        .as_str()
        .unwrap_or_else(|| panic!("credential {k}"))
        .to_string()
}

/// Adds one account per fake, returning (vendor, account id).
fn add_accounts(ctl: &Ctl, sim: &Sim) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for l in sim.listeners() {
        let base = l.base_url.clone();
        let (args, secret): (Vec<String>, String) = match l.vendor.as_str() {
            "huawei" => (
                vec![
                    "--app-id".into(),
                    cred(l, "app_id"),
                    "--user-id".into(),
                    cred(l, "user_id"),
                    "--base-url".into(),
                    base,
                ],
                cred(l, "app_key"),
            ),
            "tencent" => (
                vec![
                    "--app-id".into(),
                    cred(l, "app_id"),
                    "--sdk-id".into(),
                    cred(l, "sdk_id"),
                    "--secret-id".into(),
                    cred(l, "secret_id"),
                    "--operator".into(),
                    cred(l, "userid"),
                    "--base-url".into(),
                    base,
                ],
                cred(l, "secret_key"),
            ),
            "bizconf" => (
                vec![
                    "--site-sign".into(),
                    cred(l, "site_sign"),
                    "--user-id".into(),
                    cred(l, "user_id"),
                    "--user-name".into(),
                    cred(l, "user_name"),
                    "--base-url".into(),
                    base,
                ],
                cred(l, "api_key"),
            ),
            "feishu" => (
                vec![
                    "--app-id".into(),
                    cred(l, "app_id"),
                    "--region".into(),
                    "feishu".into(),
                    "--owner".into(),
                    cred(l, "user_id"),
                    "--base-url".into(),
                    base,
                ],
                cred(l, "app_secret"),
            ),
            "cloudroom" => (
                vec![
                    "--secret-id".into(),
                    cred(l, "secret_id"),
                    "--user-id".into(),
                    cred(l, "user_id"),
                    "--base-url".into(),
                    format!("{}{}", base.trim_end_matches('/'), cred(l, "base_path")),
                ],
                cred(l, "secret_key"),
            ),
            other => panic!("unknown fake {other}"),
        };
        let mut all: Vec<&str> = vec![
            "--json", "account", "add", "--vendor", &l.vendor, "--label", &l.vendor,
        ];
        all.extend(args.iter().map(String::as_str));
        let account: Value =
            serde_json::from_str(&ctl.ok(&all, Some(&format!("{secret}\n"))).stdout).unwrap();
        out.push((
            l.vendor.clone(),
            account["id"].as_str().unwrap().to_string(),
        ));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn series_plan_names_what_each_vendor_does_with_the_last_friday_24_times() {
    if !keyring_or_skip("series_plan_names_what_each_vendor_does_with_the_last_friday_24_times") {
        return;
    }
    let sim = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![
            SimVendor::Huawei,
            SimVendor::Tencent,
            SimVendor::Bizconf,
            SimVendor::Feishu,
            SimVendor::Cloudroom,
        ],
        port: 0,
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let ctl = Ctl {
        data_dir: dir.path().to_path_buf(),
        service: format!("huiyi-ctl-test-{}-{nanos}", std::process::id()),
    };
    let accounts = add_accounts(&ctl, &sim);
    assert_eq!(accounts.len(), 5);
    let start = format!("{}T09:30", last_friday_ahead());
    let plan = [
        "series",
        "plan",
        "--start",
        &start,
        "--zone",
        "Asia/Shanghai",
        "--rrule",
        "FREQ=MONTHLY;BYDAY=-1FR;COUNT=24",
    ];

    // In English: one block per account, naming what the vendor will do and why.
    let mut args = vec!["--lang", "en"];
    args.extend(plan);
    let out = ctl.ok(&args, None);
    let text = &out.stdout;
    eprintln!("{text}");
    assert!(
        text.starts_with("Last Friday of every month at 09:30 (Shanghai time), 24 times\n"),
        "{text}"
    );
    let block = |vendor: &str| -> String {
        let id = &accounts.iter().find(|(v, _)| v == vendor).unwrap().1;
        text.split("\n\n")
            .find(|b| b.contains(id.as_str()))
            .unwrap_or_else(|| panic!("no block for {vendor}:\n{text}"))
            .to_string()
    };
    let hw = block("huawei");
    assert!(hw.starts_with("Huawei Cloud Meeting (huawei, "), "{hw}");
    assert!(
        hw.contains(": 24 single meeting(s), tracked by Huiyi as one series"),
        "{hw}"
    );
    assert!(hw.contains("  - why not native: Huawei Cloud Meeting cannot express 'the last Friday' (BYDAY=-1FR)"), "{hw}");
    let tc = block("tencent");
    assert!(tc.contains(": 24 single meeting(s)"), "{tc}");
    assert!(
        tc.contains(
            "  - why not native: Tencent Meeting cannot express 'the last Friday' (BYDAY=-1FR)"
        ),
        "{tc}"
    );
    let cr = block("cloudroom");
    assert!(cr.contains(": 24 single meeting(s)"), "{cr}");
    assert!(
        cr.contains("  - why not native: CloudRoom cannot express 'the last Friday' (BYDAY=-1FR)"),
        "{cr}"
    );
    let bz = block("bizconf");
    assert!(bz.contains(": 24 single meeting(s)"), "{bz}");
    assert!(
        bz.contains("  - why not native: BizConf Video has no recurring meetings"),
        "{bz}"
    );
    let fs = block("feishu");
    assert!(
        fs.contains(": 0 single meeting(s) now and 24 later, tracked by Huiyi as one series"),
        "{fs}"
    );
    assert!(
        fs.contains("  - why not native: Feishu VC reservations do not repeat"),
        "{fs}"
    );
    assert!(
        fs.contains("  - beyond cap: Feishu VC books meetings that end within 30 days only: 24 meeting(s) from "),
        "{fs}"
    );
    assert!(
        fs.contains("book them later, once they are within 30 days"),
        "{fs}"
    );
    for b in [&hw, &tc, &cr, &bz, &fs] {
        assert!(b.contains("  - not carried: "), "{b}");
    }

    // In Chinese, and as JSON for one account.
    let mut args = vec!["--lang", "zh"];
    args.extend(plan);
    let zh = ctl.ok(&args, None).stdout;
    assert!(
        zh.contains("腾讯会议 无法表示“最后一个星期五”（BYDAY=-1FR）"),
        "{zh}"
    );
    assert!(
        zh.contains("飞书视频会议 只能预约 30 天内结束的会议"),
        "{zh}"
    );

    let tencent = &accounts.iter().find(|(v, _)| v == "tencent").unwrap().1;
    let mut args = vec!["--json"];
    args.extend(plan);
    args.extend(["--account", tencent.as_str()]);
    let v: Value = serde_json::from_str(&ctl.ok(&args, None).stdout).unwrap();
    assert_eq!(v["rrule"], "FREQ=MONTHLY;BYDAY=-1FR;COUNT=24");
    let one = v["accounts"].as_array().unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["plan"]["vendor"], "tencent");
    assert_eq!(one[0]["plan"]["mode"]["mode"], "local");
    assert_eq!(one[0]["plan"]["occurrences"], 24);
    assert_eq!(
        one[0]["plan"]["reasons"][0],
        serde_json::json!({"kind": "ordinal_weekday", "by_day": "-1FR"})
    );

    // Bad input names the field, exit 2.
    let out = ctl.run(
        &[
            "--json",
            "series",
            "plan",
            "--start",
            "x",
            "--zone",
            "Asia/Shanghai",
            "--rrule",
            "FREQ=DAILY",
        ],
        None,
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    let e: Value = serde_json::from_str(&out.stderr).unwrap();
    assert_eq!(e["fields"][0]["field"], "start");

    for (_, id) in &accounts {
        ctl.ok(&["account", "remove", id], None);
    }
    drop(sim);
}

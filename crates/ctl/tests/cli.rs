//! The built `huiyictl` binary against a real huiyi-sim started in this test process.
//!
//! Each invocation is its own process, so an account's secret must survive between them: these
//! tests use the real OS keyring (under a service name of their own). They skip, saying why,
//! only when no Secret Service is reachable AND `HUIYI_REQUIRE_KEYRING` is unset; with
//! HUIYI_REQUIRE_KEYRING=1 a missing keyring fails them. Run them under a private session:
//!
//! ```sh
//! HOME=$(mktemp -d) dbus-run-session -- sh -c 'echo -n x | gnome-keyring-daemon --unlock \
//!   --components=secrets >/dev/null; HUIYI_REQUIRE_KEYRING=1 cargo test -p huiyi-ctl'
//! ```
//!
//! Bad account input is refused before the keyring is touched, so that test always runs.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{Duration, Utc};
use chrono_tz::Tz;
use huiyi_core::{AccountId, ExposeSecret};
use huiyi_desk::{KeyringStore, SecretError, SecretStore};
use huiyi_sim::{Sim, SimConfig, SimVendor};
use serde_json::Value;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
    fn err_json(&self) -> Value {
        serde_json::from_str(&self.stderr)
            .unwrap_or_else(|e| panic!("stderr is not JSON ({e}):\n{}", self.stderr))
    }
}

struct Ctl {
    data_dir: PathBuf,
    service: String,
}

impl Ctl {
    fn new(data_dir: &Path) -> Ctl {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        Ctl {
            data_dir: data_dir.to_path_buf(),
            service: format!("huiyi-ctl-test-{}-{nanos}", std::process::id()),
        }
    }

    fn run_with(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Out {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_huiyictl"));
        cmd.arg("--data-dir")
            .arg(&self.data_dir)
            .args(args)
            .env("HUIYI_KEYRING_SERVICE", &self.service)
            .env("TZ", "Europe/Berlin")
            .env_remove("HUIYI_SECRET_STORE")
            .env_remove("HUIYI_DATA_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("huiyictl starts");
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

    fn run(&self, args: &[&str]) -> Out {
        self.run_with(args, None, &[])
    }

    fn ok(&self, args: &[&str]) -> Out {
        let out = self.run(args);
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
            eprintln!(
                "SKIPPED {test}: no Secret Service is reachable ({why}); huiyictl keeps secrets in the OS keyring \
                 between invocations. Set HUIYI_REQUIRE_KEYRING=1 to make this a failure."
            );
            false
        }
        Err(e) => panic!("the keyring is required but not usable: {e}"),
    }
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

struct SimCreds {
    base_url: String,
    app_id: String,
    app_key: String,
    user_id: String,
}

async fn sim() -> (Sim, SimCreds) {
    let sim = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Huawei],
        port: 0,
    })
    .await
    .unwrap();
    let l = &sim.listeners()[0];
    let s = |k: &str| l.credentials[k].as_str().unwrap().to_string();
    let c = SimCreds {
        base_url: l.base_url.clone(),
        app_id: s("app_id"),
        app_key: s("app_key"),
        user_id: s("user_id"),
    };
    (sim, c)
}

/// The date `days` ahead in Shanghai, and a wall-clock time on it.
fn day(days: i64) -> String {
    let tz: Tz = "Asia/Shanghai".parse().unwrap();
    (Utc::now() + Duration::days(days))
        .with_timezone(&tz)
        .format("%Y-%m-%d")
        .to_string()
}

fn add_account_stdin(ctl: &Ctl, c: &SimCreds, label: &str) -> Value {
    let out = ctl.run_with(
        &[
            "--json",
            "account",
            "add",
            "--vendor",
            "huawei",
            "--label",
            label,
            "--base-url",
            &c.base_url,
            "--app-id",
            &c.app_id,
            "--user-id",
            &c.user_id,
        ],
        Some(&format!("{}\n", c.app_key)),
        &[],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    out.json()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_and_meetings_through_the_cli() {
    if !keyring_or_skip("accounts_and_meetings_through_the_cli") {
        return;
    }
    let (sim, c) = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());

    // account add, secret on stdin; the JSON is an AccountView without any secret.
    let account = add_account_stdin(&ctl, &c, "Beijing office");
    assert_eq!(
        keys(&account),
        set(&[
            "id",
            "vendor",
            "vendor_name",
            "label",
            "base_url",
            "principal",
            "auth",
            "sandbox",
            "created_at"
        ])
    );
    assert_eq!(account["vendor"], "huawei");
    assert_eq!(account["label"], "Beijing office");
    assert_eq!(account["sandbox"], false);
    assert_eq!(account["auth"]["method"], "huawei_app_id");
    assert_eq!(account["auth"]["app_id"], c.app_id.as_str());
    let id = account["id"].as_str().unwrap().to_string();
    // The key went to the OS keyring under the account id (and nowhere in the output).
    let keyring = KeyringStore::with_service(ctl.service.clone());
    assert_eq!(
        keyring.get(&AccountId(id.clone())).unwrap().expose_secret(),
        c.app_key
    );
    assert!(!account.to_string().contains(&c.app_key));

    // account add, secret from --secret-env.
    let out = ctl.run_with(
        &[
            "--json",
            "account",
            "add",
            "--vendor",
            "huawei",
            "--label",
            "Second",
            "--base-url",
            &c.base_url,
            "--app-id",
            &c.app_id,
            "--secret-env",
            "HUIYI_TEST_KEY",
        ],
        None,
        &[("HUIYI_TEST_KEY", &c.app_key)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let second = out.json()["id"].as_str().unwrap().to_string();
    let list = ctl.ok(&["--json", "account", "list"]).json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let human = ctl.ok(&["--lang", "en", "account", "list"]).stdout;
    assert!(
        human.contains("Beijing office") && human.contains("Second"),
        "{human}"
    );
    let removed = ctl.ok(&["--json", "account", "remove", &second]).json();
    assert_eq!(
        removed,
        serde_json::json!({"ok": true, "action": "account_removed", "id": second})
    );
    assert_eq!(
        keyring.get(&AccountId(second.clone())).unwrap_err(),
        SecretError::Missing
    );

    // meeting create
    let d = day(20);
    let start = format!("{d}T09:30");
    let created = ctl
        .ok(&[
            "--json",
            "meeting",
            "create",
            "--account",
            &id,
            "--subject",
            "Quarterly review",
            "--start",
            &start,
            "--duration",
            "60",
            "--zone",
            "Asia/Shanghai",
            "--attendee",
            "name=张三,email=zhangsan@example.com",
            "--attendee",
            "name=李四,phone=+8613800138000,host",
            "--no-calendar-notice",
        ])
        .json();
    assert_eq!(
        keys(&created),
        set(&[
            "summary",
            "organizer",
            "attendees",
            "guest_password",
            "has_host_password",
            "dial_in",
            "links",
            "notify",
            "rooms",
            "fetched_at"
        ])
    );
    let summary = &created["summary"];
    assert_eq!(
        keys(summary),
        set(&[
            "id",
            "account_id",
            "account_label",
            "vendor",
            "sandbox",
            "subject",
            "start",
            "end",
            "zone",
            "state",
            "meeting_number"
        ])
    );
    assert_eq!(summary["subject"], "Quarterly review");
    assert_eq!(summary["zone"], "Asia/Shanghai");
    assert_eq!(summary["state"], "scheduled");
    assert_eq!(summary["account_id"], id.as_str());
    assert_eq!(created["notify"]["calendar"], false);
    assert_eq!(created["attendees"].as_array().unwrap().len(), 2);
    assert!(created["links"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["role"] != "host" || l["url"].is_null()));
    let mid = summary["id"].as_str().unwrap().to_string();
    let start_utc: chrono::DateTime<Utc> = summary["start"].as_str().unwrap().parse().unwrap();
    let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
    assert_eq!(
        start_utc
            .with_timezone(&shanghai)
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        start
    );

    // meeting list (refreshed) and --cached
    let agenda = ctl.ok(&["--json", "meeting", "list"]).json();
    assert_eq!(
        keys(&agenda),
        set(&["meetings", "problems", "refreshed_at"])
    );
    assert_eq!(agenda["meetings"][0]["id"], mid.as_str());
    assert!(agenda["problems"].as_array().unwrap().is_empty());
    let cached = ctl.ok(&["--json", "meeting", "list", "--cached"]).json();
    assert_eq!(cached["meetings"][0]["id"], mid.as_str());

    // meeting show, human: the meeting's own zone and the local one (TZ=Europe/Berlin).
    let berlin: Tz = "Europe/Berlin".parse().unwrap();
    let local_start = start_utc
        .with_timezone(&berlin)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let shown = ctl.ok(&["--lang", "en", "meeting", "show", &mid]).stdout;
    assert!(shown.contains("Quarterly review"), "{shown}");
    assert!(
        shown.contains(&format!("{d} 09:30–10:30 Asia/Shanghai")),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("local: {local_start}")) && shown.contains("Europe/Berlin"),
        "{shown}"
    );
    assert!(
        shown.contains("张三") && shown.contains("+8613800138000"),
        "{shown}"
    );
    let shown_zh = ctl.ok(&["--lang", "zh", "meeting", "show", &mid]).stdout;
    assert!(
        shown_zh.contains("本地：") && shown_zh.contains("参会人"),
        "{shown_zh}"
    );

    // meeting edit: only what is given changes.
    let edited = ctl
        .ok(&[
            "--json",
            "meeting",
            "edit",
            &mid,
            "--subject",
            "Quarterly review (moved)",
            "--duration",
            "45",
        ])
        .json();
    assert_eq!(edited["summary"]["id"], mid.as_str());
    assert_eq!(edited["summary"]["subject"], "Quarterly review (moved)");
    assert_eq!(edited["summary"]["start"], summary["start"], "start kept");
    let end_utc: chrono::DateTime<Utc> =
        edited["summary"]["end"].as_str().unwrap().parse().unwrap();
    assert_eq!((end_utc - start_utc).num_minutes(), 45);
    assert_eq!(
        edited["attendees"].as_array().unwrap().len(),
        2,
        "attendees kept"
    );
    assert_eq!(edited["notify"]["calendar"], false, "notices kept");
    let later = format!("{}T14:00", day(21));
    let moved = ctl
        .ok(&["--json", "meeting", "edit", &mid, "--start", &later])
        .json();
    let (s, e): (chrono::DateTime<Utc>, chrono::DateTime<Utc>) = (
        moved["summary"]["start"].as_str().unwrap().parse().unwrap(),
        moved["summary"]["end"].as_str().unwrap().parse().unwrap(),
    );
    assert_eq!(
        s.with_timezone(&shanghai)
            .format("%Y-%m-%dT%H:%M")
            .to_string(),
        later
    );
    assert_eq!(
        (e - s).num_minutes(),
        45,
        "moving the start keeps the length"
    );
    assert_eq!(moved["summary"]["subject"], "Quarterly review (moved)");

    // meeting cancel
    let cancelled = ctl.ok(&["--json", "meeting", "cancel", &mid]).json();
    assert_eq!(
        cancelled,
        serde_json::json!({"ok": true, "action": "meeting_cancelled", "id": mid})
    );
    let after = ctl.ok(&["--json", "meeting", "list"]).json();
    assert!(after["meetings"].as_array().unwrap().is_empty(), "{after}");
    let gone = ctl.run(&["--json", "meeting", "show", &mid]);
    assert_eq!(gone.code, 1);
    assert_eq!(gone.err_json()["code"], "not_found");

    ctl.ok(&["account", "remove", &id]);
    assert_eq!(
        keyring.get(&AccountId(id)).unwrap_err(),
        SecretError::Missing
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_meeting_input_exits_2_naming_the_field_in_both_languages() {
    if !keyring_or_skip("bad_meeting_input_exits_2_naming_the_field_in_both_languages") {
        return;
    }
    let (sim, c) = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());
    let id = add_account_stdin(&ctl, &c, "Bad input")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let d = day(10);
    let (start, end) = (format!("{d}T10:00"), format!("{d}T09:00"));
    let args = |lang: &'static str| {
        vec![
            "--lang".to_string(),
            lang.into(),
            "meeting".into(),
            "create".into(),
            "--account".into(),
            id.clone(),
            "--subject".into(),
            "x".into(),
            "--start".into(),
            start.clone(),
            "--end".into(),
            end.clone(),
            "--zone".into(),
            "Asia/Shanghai".into(),
        ]
    };
    let run = |a: Vec<String>| ctl.run(&a.iter().map(String::as_str).collect::<Vec<_>>());

    let en = run(args("en"));
    assert_eq!(en.code, 2, "{}", en.stderr);
    assert!(
        en.stderr.contains("end: The end must be after the start."),
        "{}",
        en.stderr
    );
    let zh = run(args("zh"));
    assert_eq!(zh.code, 2);
    assert!(
        zh.stderr.contains("end: 结束时间必须晚于开始时间。"),
        "{}",
        zh.stderr
    );

    let mut json_args = args("en");
    json_args.insert(0, "--json".into());
    let js = run(json_args);
    assert_eq!(js.code, 2);
    assert!(js.stdout.is_empty());
    let e = js.err_json();
    assert_eq!(
        keys(&e),
        set(&[
            "code",
            "message",
            "vendor",
            "vendor_code",
            "retryable",
            "fields"
        ])
    );
    assert_eq!(e["code"], "invalid_input");
    assert_eq!(e["fields"][0]["field"], "end");
    assert_eq!(e["fields"][0]["code"]["kind"], "end_not_after_start");

    // An attendee with nothing to reach them by, and an unreadable attendee spec.
    let unreachable = ctl.run(&[
        "--lang",
        "en",
        "meeting",
        "create",
        "--account",
        &id,
        "--subject",
        "x",
        "--start",
        &format!("{d}T10:00"),
        "--duration",
        "30",
        "--zone",
        "Asia/Shanghai",
        "--attendee",
        "name=王五",
    ]);
    assert_eq!(unreachable.code, 2);
    assert!(
        unreachable
            .stderr
            .contains("attendees.0: Give this attendee an email, a phone number or an account."),
        "{}",
        unreachable.stderr
    );
    let garbled = ctl.run(&[
        "--lang",
        "zh",
        "meeting",
        "create",
        "--account",
        &id,
        "--subject",
        "x",
        "--start",
        &format!("{d}T10:00"),
        "--duration",
        "30",
        "--attendee",
        "mail=a@b.c",
    ]);
    assert_eq!(garbled.code, 2);
    assert!(
        garbled.stderr.contains("attendees.0") && garbled.stderr.contains("mail=a@b.c"),
        "{}",
        garbled.stderr
    );

    // Nothing was booked.
    let cached = ctl.ok(&["--json", "meeting", "list", "--cached"]).json();
    assert!(cached["meetings"].as_array().unwrap().is_empty());
    // A vendor-side failure is exit 1 with the vendor's details.
    sim.huawei().unwrap().set_fault(huiyi_sim::Fault {
        kind: huiyi_sim::FaultKind::ServerError,
        remaining: 1,
        path_prefix: None,
    });
    let busy = ctl.run(&[
        "--json",
        "meeting",
        "create",
        "--account",
        &id,
        "--subject",
        "x",
        "--start",
        &format!("{d}T10:00"),
        "--duration",
        "30",
        "--zone",
        "Asia/Shanghai",
    ]);
    assert_eq!(busy.code, 1, "{}", busy.stderr);
    let e = busy.err_json();
    assert_eq!(e["code"], "unavailable");
    assert_eq!(e["vendor"], "huawei");
    assert_eq!(e["retryable"], true);

    ctl.ok(&["account", "remove", &id]);
    sim.shutdown().await;
}

#[test]
fn bad_account_input_and_secrets_on_argv_are_refused() {
    // Needs no keyring: the form is checked before any secret is stored.
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());
    let base = [
        "account", "add", "--vendor", "huawei", "--label", " ", "--app-id", "app",
    ];
    let en = ctl.run_with(
        &[&["--lang", "en"][..], &base[..]].concat(),
        Some("key\n"),
        &[],
    );
    assert_eq!(en.code, 2);
    assert!(
        en.stderr.contains("label: This field is required."),
        "{}",
        en.stderr
    );
    let zh = ctl.run_with(
        &[&["--lang", "zh"][..], &base[..]].concat(),
        Some("key\n"),
        &[],
    );
    assert_eq!(zh.code, 2);
    assert!(zh.stderr.contains("label: 此项必填。"), "{}", zh.stderr);

    // An empty secret on stdin is a field error too.
    let out = ctl.run_with(
        &[
            "--lang", "en", "account", "add", "--vendor", "huawei", "--label", "L", "--app-id",
            "app",
        ],
        Some(""),
        &[],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("secret: This field is required."),
        "{}",
        out.stderr
    );
    // --secret-env naming an unset variable.
    let out = ctl.run(&[
        "--json",
        "account",
        "add",
        "--vendor",
        "huawei",
        "--label",
        "L",
        "--app-id",
        "a",
        "--secret-env",
        "HUIYI_TEST_UNSET_VAR",
    ]);
    assert_eq!(out.code, 2);
    assert_eq!(out.err_json()["fields"][0]["field"], "secret");
    // There is no way to put a secret on the command line.
    let out = ctl.run(&[
        "account", "add", "--vendor", "huawei", "--label", "L", "--app-id", "a", "--secret", "k",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--secret"), "{}", out.stderr);
    // App ID and account/password are exclusive, and one is needed.
    assert_eq!(
        ctl.run(&["account", "add", "--vendor", "huawei", "--label", "L"])
            .code,
        2
    );
    assert_eq!(
        ctl.run(&[
            "account",
            "add",
            "--vendor",
            "huawei",
            "--label",
            "L",
            "--app-id",
            "a",
            "--account",
            "b"
        ])
        .code,
        2
    );
    // Nothing was stored.
    let list = ctl.ok(&["--json", "account", "list"]).json();
    assert_eq!(list, serde_json::json!([]));
}

#[test]
fn a_tencent_account_needs_its_secret_id_and_operator() {
    // Checked by the desk before anything is stored or sent: no keyring, no network.
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());
    let out = ctl.run_with(
        &[
            "--json",
            "account",
            "add",
            "--vendor",
            "tencent",
            "--label",
            "T",
            "--app-id",
            "200000001",
            "--sdk-id",
            "",
        ],
        Some("secret-key\n"),
        &[],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    let fields: Vec<String> = out.err_json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, vec!["auth.secret_id", "auth.operator"]);
    assert!(!out.stderr.contains("secret-key"), "{}", out.stderr);
    // Huawei-only and Tencent-only options do not mix.
    let out = ctl.run_with(
        &[
            "--lang",
            "en",
            "account",
            "add",
            "--vendor",
            "tencent",
            "--label",
            "T",
            "--app-id",
            "200000001",
            "--secret-id",
            "AKID",
            "--operator",
            "tester1",
            "--user-id",
            "u",
        ],
        Some("secret-key\n"),
        &[],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--secret-id"), "{}", out.stderr);
    let out = ctl.run_with(
        &[
            "account",
            "add",
            "--vendor",
            "huawei",
            "--label",
            "H",
            "--app-id",
            "a",
            "--operator",
            "tester1",
        ],
        Some("k\n"),
        &[],
    );
    assert_eq!(out.code, 2);
    let list = ctl.ok(&["--json", "account", "list"]).json();
    assert_eq!(list, serde_json::json!([]));
}

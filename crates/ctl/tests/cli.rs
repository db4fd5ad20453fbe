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
            .env_remove("HUIYI_FEISHU_REDIRECT_PORT")
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
            "created_at",
            "user_authorization"
        ])
    );
    assert_eq!(account["vendor"], "huawei");
    assert!(
        account["user_authorization"].is_null(),
        "only Feishu has a user to connect"
    );
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
            "meeting_number",
            "series_id"
        ])
    );
    assert_eq!(
        summary["series_id"],
        serde_json::Value::Null,
        "a single meeting"
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

    // A password is chosen at booking only where the vendor lets the booker (CloudRoom): for
    // Huawei the desk's field error, nothing changed.
    let pw = ctl.run(&[
        "--lang",
        "en",
        "meeting",
        "edit",
        &mid,
        "--password",
        "1234",
    ]);
    assert_eq!(pw.code, 2, "{}", pw.stderr);
    assert!(
        pw.stderr
            .contains("password: The chosen account's vendor does not support this"),
        "{}",
        pw.stderr
    );

    // meeting join: the guest web link alone on stdout; Huawei has no app link.
    let guest_link = moved["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["role"] == "attendee" && l["kind"] == "web")
        .and_then(|l| l["url"].as_str())
        .expect("a guest web link")
        .to_string();
    let join = ctl.ok(&["meeting", "join", &mid]);
    assert_eq!(join.stdout, format!("{guest_link}\n"));
    assert!(join.stderr.is_empty(), "{}", join.stderr);
    let host = ctl.ok(&["--lang", "en", "meeting", "join", &mid, "--host"]);
    assert!(
        host.stdout.starts_with("http") && host.stdout.lines().count() == 1,
        "{}",
        host.stdout
    );
    assert_ne!(host.stdout, join.stdout);
    assert!(host.stderr.contains("host link"), "{}", host.stderr);
    let app = ctl.run(&["--json", "meeting", "join", &mid, "--app"]);
    assert_eq!(app.code, 1, "{}", app.stderr);
    assert_eq!(app.err_json()["code"], "no_link");
    assert!(app.stdout.is_empty(), "{}", app.stdout);

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

// ---- Feishu ----

struct FeishuCreds {
    base_url: String,
    app_id: String,
    app_secret: String,
    open_id: String,
}

async fn feishu_sim() -> (Sim, FeishuCreds) {
    let sim = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Feishu],
        port: 0,
    })
    .await
    .unwrap();
    let c = sim.feishu().unwrap().credentials();
    let creds = FeishuCreds {
        base_url: sim.listeners()[0].base_url.clone(),
        app_id: c.app_id,
        app_secret: c.app_secret,
        open_id: c.user_id,
    };
    (sim, creds)
}

fn add_feishu_account(ctl: &Ctl, c: &FeishuCreds, label: &str) -> Value {
    let out = ctl.run_with(
        &[
            "--json",
            "account",
            "add",
            "--vendor",
            "feishu",
            "--label",
            label,
            "--base-url",
            &c.base_url,
            "--app-id",
            &c.app_id,
            "--region",
            "feishu",
            "--owner",
            &c.open_id,
        ],
        Some(&format!("{}\n", c.app_secret)),
        &[],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    out.json()
}

/// A port nobody listens on right now, for the fixed redirect port of a real account.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `huiyictl account connect` running in the background: its stderr is read line by line as
/// it comes, so the test can act on the printed page while the command waits.
struct Connecting {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    stderr: Vec<String>,
}

const WAIT: std::time::Duration = std::time::Duration::from_secs(60);

impl Connecting {
    fn start(ctl: &Ctl, args: &[&str], env: &[(&str, &str)]) -> Connecting {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_huiyictl"));
        cmd.arg("--data-dir")
            .arg(&ctl.data_dir)
            .args(args)
            .env("HUIYI_KEYRING_SERVICE", &ctl.service)
            .env("TZ", "Europe/Berlin")
            .env_remove("HUIYI_SECRET_STORE")
            .env_remove("HUIYI_DATA_DIR")
            .env_remove("HUIYI_FEISHU_REDIRECT_PORT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("huiyictl starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Connecting {
            child,
            lines,
            stderr: Vec::new(),
        }
    }

    /// The first stderr line containing `needle` (bounded wait).
    fn line_with(&mut self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.stderr.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(e) => {
                    let _ = self.child.kill();
                    panic!(
                        "no stderr line with {needle:?} ({e:?}); so far:\n{}",
                        self.stderr.join("\n")
                    );
                }
            }
        }
    }

    /// The page printed after "...: ", once the command is waiting for the browser.
    fn authorize_url(&mut self, needle: &str) -> String {
        let line = self.line_with(needle);
        let url = &line[line
            .find("http")
            .unwrap_or_else(|| panic!("no URL in {line:?}"))..];
        self.line_with("Ctrl-C");
        url.trim().to_string()
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (bounded) for the command to end: its exit code, stdout and whole stderr.
    fn finish(mut self) -> Out {
        let deadline = std::time::Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if std::time::Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "huiyictl account connect did not end; stderr:\n{}",
                    self.stderr.join("\n")
                );
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        // The reader thread ends at EOF, which follows the exit.
        while let Ok(line) = self.lines.recv_timeout(WAIT) {
            self.stderr.push(line);
        }
        let mut stdout = String::new();
        std::io::Read::read_to_string(&mut self.child.stdout.take().unwrap(), &mut stdout).unwrap();
        Out {
            code: status.code().unwrap_or(-1),
            stdout,
            stderr: self.stderr.join("\n"),
        }
    }
}

/// What a person does on the Feishu authorization page: read it, post its form back with
/// `decision` ("approve" or "deny") and follow the redirect to the loopback address. Returns
/// the loopback page's status.
async fn answer_in_browser(authorize_url: &str, decision: &str) -> u16 {
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(WAIT)
        .build()
        .unwrap();
    let page = browser.get(authorize_url).send().await.expect("page loads");
    assert!(page.status().is_success(), "page: {}", page.status());
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
        .unwrap_or_else(|| panic!("no redirect to the app: {}", decided.status()))
        .to_string();
    browser
        .get(&location)
        .send()
        .await
        .expect("the loopback answers")
        .status()
        .as_u16()
}

fn feishu_user_state(ctl: &Ctl, id: &str) -> Value {
    let list = ctl.ok(&["--json", "account", "list"]).json();
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("{id} not listed: {list}"))["user_authorization"]
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feishu_account_books_lists_shows_and_cancels_through_the_cli() {
    if !keyring_or_skip("a_feishu_account_books_lists_shows_and_cancels_through_the_cli") {
        return;
    }
    let (sim, c) = feishu_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());

    let account = add_feishu_account(&ctl, &c, "Feishu HQ");
    assert_eq!(account["vendor"], "feishu");
    assert_eq!(account["auth"]["method"], "feishu_app");
    assert_eq!(account["auth"]["region"], "feishu");
    assert_eq!(account["auth"]["owner"], c.open_id.as_str());
    assert_eq!(account["user_authorization"]["state"], "not_connected");
    assert!(!account.to_string().contains(&c.app_secret));
    let id = account["id"].as_str().unwrap().to_string();
    let keyring = KeyringStore::with_service(ctl.service.clone());
    assert_eq!(
        keyring.get(&AccountId(id.clone())).unwrap().expose_secret(),
        c.app_secret
    );
    let human = ctl.ok(&["--lang", "en", "account", "list"]).stdout;
    assert!(
        human.contains("Feishu HQ")
            && human.contains(&format!(
                "Feishu user: not connected (to connect: huiyictl account connect {id})"
            )),
        "{human}"
    );
    let human_zh = ctl.ok(&["--lang", "zh", "account", "list"]).stdout;
    assert!(human_zh.contains("飞书用户：未连接"), "{human_zh}");

    // Booked with the app's token for the owner; a host by open_id is expressible.
    let d = day(5);
    let start = format!("{d}T09:30");
    let created = ctl
        .ok(&[
            "--json",
            "meeting",
            "create",
            "--account",
            &id,
            "--subject",
            "Roadmap review",
            "--start",
            &start,
            "--duration",
            "60",
            "--zone",
            "Asia/Shanghai",
            "--attendee",
            &format!("name=Owner,account={},host", c.open_id),
        ])
        .json();
    let summary = &created["summary"];
    assert_eq!(summary["vendor"], "feishu");
    assert_eq!(summary["subject"], "Roadmap review");
    assert_eq!(summary["state"], "scheduled");
    let mid = summary["id"].as_str().unwrap().to_string();
    let number = summary["meeting_number"].as_str().unwrap().to_string();
    let fake = sim.feishu().unwrap();
    assert!(
        fake.reserves().iter().any(|r| r.meeting_no == number),
        "the fake holds the reserve"
    );

    let agenda = ctl.ok(&["--json", "meeting", "list"]).json();
    assert!(
        agenda["problems"].as_array().unwrap().is_empty(),
        "{agenda}"
    );
    assert_eq!(agenda["meetings"][0]["id"], mid.as_str());
    assert_eq!(
        agenda["meetings"][0]["start"], summary["start"],
        "the planned start is kept"
    );
    let shown = ctl.ok(&["--lang", "en", "meeting", "show", &mid]).stdout;
    assert!(
        shown.contains("Roadmap review")
            && shown.contains(&format!("{d} 09:30–10:30 Asia/Shanghai"))
            && shown.contains(&number)
            && shown.contains("join link:"),
        "{shown}"
    );

    // A guest by email is no Feishu host: refused with the desk's words, nothing booked.
    let guest = ctl.run(&[
        "--lang",
        "en",
        "meeting",
        "create",
        "--account",
        &id,
        "--subject",
        "With a guest",
        "--start",
        &format!("{d}T11:00"),
        "--duration",
        "30",
        "--zone",
        "Asia/Shanghai",
        "--attendee",
        "name=Guest,email=guest@example.com",
    ]);
    assert_eq!(guest.code, 2, "invalid input: {}", guest.stderr);
    assert!(guest.stderr.starts_with("error: "), "{}", guest.stderr);
    assert!(
        guest
            .stderr
            .contains("attendees.0: This vendor takes only hosts named by their user ID")
            && guest
                .stderr
                .contains("Give hosts as --attendee 'name=…,account=<user id; Feishu: ou_…>,host'"),
        "{}",
        guest.stderr
    );
    let guest_json = ctl.run(&[
        "--json",
        "meeting",
        "create",
        "--account",
        &id,
        "--subject",
        "With a guest",
        "--start",
        &format!("{d}T11:00"),
        "--duration",
        "30",
        "--zone",
        "Asia/Shanghai",
        "--attendee",
        "name=Guest,email=guest@example.com",
    ]);
    assert_eq!(guest_json.code, 2);
    let e = guest_json.err_json();
    assert_eq!(e["code"], "invalid_input", "{e}");
    assert_eq!(
        e["fields"][0]["code"]["kind"], "attendee_must_be_host_account",
        "{e}"
    );
    let cached = ctl.ok(&["--json", "meeting", "list", "--cached"]).json();
    assert_eq!(cached["meetings"].as_array().unwrap().len(), 1, "{cached}");

    // Ending a live meeting needs the user: the error says how to connect one.
    let reserve = fake
        .reserves()
        .into_iter()
        .find(|r| r.meeting_no == number)
        .unwrap();
    fake.start_meeting(&reserve.id, &[])
        .expect("someone starts it");
    let end = ctl.run(&["--lang", "en", "meeting", "end", &mid]);
    assert_eq!(end.code, 1, "{}", end.stderr);
    assert!(
        end.stderr.contains("huiyictl account connect <account id>"),
        "{}",
        end.stderr
    );
    let end = ctl.run(&["--json", "meeting", "end", &mid]);
    assert_eq!(end.err_json()["code"], "user_authorization_needed");
    assert!(fake.meetings().iter().any(|m| m.live), "still live");

    let cancelled = ctl.ok(&["--json", "meeting", "cancel", &mid]).json();
    assert_eq!(
        cancelled,
        serde_json::json!({"ok": true, "action": "meeting_cancelled", "id": mid})
    );
    assert!(fake
        .reserves()
        .iter()
        .any(|r| r.id == reserve.id && r.deleted));
    let after = ctl.ok(&["--json", "meeting", "list"]).json();
    assert!(after["meetings"].as_array().unwrap().is_empty(), "{after}");

    ctl.ok(&["account", "remove", &id]);
    assert_eq!(
        keyring.get(&AccountId(id)).unwrap_err(),
        SecretError::Missing
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_connect_through_the_browser_then_a_live_meeting_is_ended() {
    if !keyring_or_skip("account_connect_through_the_browser_then_a_live_meeting_is_ended") {
        return;
    }
    let (sim, c) = feishu_sim().await;
    let fake = sim.feishu().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());
    let id = add_feishu_account(&ctl, &c, "Feishu HQ")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let created = ctl
        .ok(&[
            "--json",
            "meeting",
            "create",
            "--account",
            &id,
            "--subject",
            "All hands",
            "--start",
            &format!("{}T09:30", day(2)),
            "--duration",
            "60",
            "--zone",
            "Asia/Shanghai",
        ])
        .json();
    let mid = created["summary"]["id"].as_str().unwrap().to_string();
    let number = created["summary"]["meeting_number"].as_str().unwrap();
    let reserve = fake
        .reserves()
        .into_iter()
        .find(|r| r.meeting_no == number)
        .unwrap();
    fake.start_meeting(&reserve.id, &[])
        .expect("someone starts it");

    // A real account waits on the fixed redirect port, which must be registered at Feishu.
    let port = free_port().to_string();
    let mut connecting = Connecting::start(
        &ctl,
        &["--lang", "en", "account", "connect", &id],
        &[("HUIYI_FEISHU_REDIRECT_PORT", &port)],
    );
    let url =
        connecting.authorize_url("Open this page in your browser to connect your Feishu user: ");
    assert!(
        url.starts_with(&format!("{}/open-apis/authen/v1/authorize?", c.base_url)),
        "{url}"
    );
    let registered = format!("http://127.0.0.1:{port}/huiyi/feishu/callback");
    assert!(
        connecting.stderr.iter().any(|l| l.contains(&format!(
            "must be registered in the Feishu app's security settings: {registered}"
        ))),
        "{:?}",
        connecting.stderr
    );
    assert_eq!(
        answer_in_browser(&url, "approve").await,
        200,
        "the browser is told it can close"
    );
    let out = connecting.finish();
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("Feishu user connected to \"Feishu HQ\" until "),
        "{}",
        out.stdout
    );

    let auth = feishu_user_state(&ctl, &id);
    assert_eq!(auth["state"], "connected", "{auth}");
    assert!(auth["renewable_until"].is_string(), "{auth}");
    assert_eq!(
        auth["redirect_uri"],
        "http://127.0.0.1:47613/huiyi/feishu/callback"
    );
    let human = ctl.ok(&["--lang", "en", "account", "list"]).stdout;
    assert!(human.contains("Feishu user: connected until "), "{human}");

    // With the user's token, the live meeting can be ended.
    let ended = ctl.ok(&["--lang", "en", "meeting", "end", &mid]).stdout;
    assert!(ended.starts_with("The meeting was ended."), "{ended}");
    assert!(fake.meetings().iter().all(|m| !m.live));

    let gone = ctl.ok(&["--json", "account", "disconnect", &id]).json();
    assert_eq!(gone["user_authorization"]["state"], "not_connected");
    assert_eq!(feishu_user_state(&ctl, &id)["state"], "not_connected");
    let keyring = KeyringStore::with_service(ctl.service.clone());
    assert_eq!(
        keyring
            .get(&AccountId(format!("{id}#feishu-user")))
            .unwrap_err(),
        SecretError::Missing,
        "the user's tokens are gone"
    );

    ctl.ok(&["meeting", "cancel", &mid]);
    ctl.ok(&["account", "remove", &id]);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_or_interrupted_connection_exits_non_zero_and_says_why() {
    if !keyring_or_skip("a_denied_or_interrupted_connection_exits_non_zero_and_says_why") {
        return;
    }
    let (sim, c) = feishu_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());
    let id = add_feishu_account(&ctl, &c, "飞书 · 总部")["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Denied in the browser, in Chinese; --open finds no browser command (an empty PATH),
    // says so and keeps waiting.
    let no_browser = tempfile::tempdir().unwrap();
    let mut connecting = Connecting::start(
        &ctl,
        &["--lang", "zh", "account", "connect", &id, "--open"],
        &[
            ("HUIYI_FEISHU_REDIRECT_PORT", "0"),
            ("PATH", no_browser.path().to_str().unwrap()),
        ],
    );
    let url = connecting.authorize_url("请在浏览器中打开此页面，以连接你的飞书用户：");
    // Reported before the waiting line (the command cannot even be started).
    assert!(
        connecting
            .stderr
            .iter()
            .any(|l| l.starts_with("无法打开浏览器（")),
        "{:?}",
        connecting.stderr
    );
    answer_in_browser(&url, "deny").await;
    let out = connecting.finish();
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("错误： 您在浏览器中拒绝了授权"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(feishu_user_state(&ctl, &id)["state"], "not_connected");

    // Interrupted while waiting (Ctrl-C): no panic, a clear message, nobody connected.
    let mut connecting = Connecting::start(
        &ctl,
        &["--lang", "en", "account", "connect", &id],
        &[("HUIYI_FEISHU_REDIRECT_PORT", "0")],
    );
    connecting.authorize_url("Open this page in your browser");
    let kill = Command::new("kill")
        .args(["-INT", &connecting.pid().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let out = connecting.finish();
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("error: Connecting was cancelled."),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_eq!(feishu_user_state(&ctl, &id)["state"], "not_connected");

    ctl.ok(&["account", "remove", &id]);
    sim.shutdown().await;
}

#[test]
fn bad_feishu_account_input_is_refused_in_the_ui_language() {
    // Checked before anything is stored or sent: no keyring, no network.
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());
    let feishu = |lang: &str, extra: &[&str]| {
        let mut args = vec![
            "--lang", lang, "account", "add", "--vendor", "feishu", "--label", "F", "--app-id",
            "cli_a1b2",
        ];
        args.extend_from_slice(extra);
        ctl.run_with(&args, Some("app-secret\n"), &[])
    };

    let en = feishu("en", &["--region", "mars"]);
    assert_eq!(en.code, 2, "{}", en.stderr);
    assert!(
        en.stderr
            .contains("Unknown region \"mars\": use --region feishu")
            && en.stderr.contains("auth.region"),
        "{}",
        en.stderr
    );
    let zh = feishu("zh", &["--region", "mars"]);
    assert_eq!(zh.code, 2);
    assert!(zh.stderr.contains("未知的区域“mars”"), "{}", zh.stderr);

    let owner = feishu("en", &["--owner", "zhangsan@example.com"]);
    assert_eq!(owner.code, 2);
    assert!(
        owner.stderr.contains("is not a Feishu open_id"),
        "{}",
        owner.stderr
    );
    let other = feishu("en", &["--user-id", "u1"]);
    assert_eq!(other.code, 2);
    assert!(
        other.stderr.contains("A Feishu account takes --app-id"),
        "{}",
        other.stderr
    );

    // Feishu-only options on another vendor.
    let huawei = ctl.run_with(
        &[
            "--lang", "en", "account", "add", "--vendor", "huawei", "--label", "H", "--app-id",
            "a", "--region", "lark",
        ],
        Some("k\n"),
        &[],
    );
    assert_eq!(huawei.code, 2);
    assert!(
        huawei
            .stderr
            .contains("--region and --owner are for --vendor feishu only."),
        "{}",
        huawei.stderr
    );

    // Connecting an account that does not exist.
    let missing = ctl.run(&["--json", "account", "connect", "no-such-account"]);
    assert_eq!(missing.code, 1);
    assert_eq!(missing.err_json()["code"], "not_found");

    let list = ctl.ok(&["--json", "account", "list"]).json();
    assert_eq!(list, serde_json::json!([]));
}

// ---- series preview: no account, keyring or network ----

/// `huiyictl` with a data folder that must stay untouched and no keyring service reachable.
fn series_ctl(data_dir: &Path, args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_huiyictl"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("TZ", "Europe/Berlin")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .env_remove("HUIYI_SECRET_STORE")
        .env_remove("HUIYI_DATA_DIR")
        .stdin(Stdio::null())
        .output()
        .expect("huiyictl starts");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn series_preview_prints_new_york_occurrences_across_the_dst_change() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("never-created");
    // 1 March 2026 is a Sunday: RFC 5545 keeps it as the first occurrence. DST starts on
    // 8 March, so 09:30 moves from -05:00 to -04:00; 4 March is excluded.
    let args = [
        "series",
        "preview",
        "--start",
        "2026-03-01T09:30",
        "--zone",
        "America/New_York",
        "--rrule",
        "FREQ=WEEKLY;BYDAY=MO,WE",
        "--exdate",
        "2026-03-04T09:30",
        "--limit",
        "4",
    ];
    let mut en_args = vec!["--lang", "en"];
    en_args.extend(args);
    let out = series_ctl(&data, &en_args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.lines().collect::<Vec<_>>(),
        [
            "Every Monday and Wednesday at 09:30 (New York time), no end date",
            "Note: the start does not match the rule; RFC 5545 keeps it as the first occurrence.",
            "2026-03-01T09:30:00-05:00",
            "2026-03-02T09:30:00-05:00",
            "2026-03-09T09:30:00-04:00",
            "2026-03-11T09:30:00-04:00",
            "... and more: only the first 4 are listed; use --limit for more (at most 1000).",
        ]
    );

    let mut json_args = vec!["--json", "--lang", "zh"];
    json_args.extend(args);
    let v = series_ctl(&data, &json_args).json();
    assert_eq!(v["truncated"], true);
    assert_eq!(v["start_matches_rule"], false);
    assert_eq!(v["rrule"], "FREQ=WEEKLY;BYDAY=MO,WE");
    assert_eq!(v["summary"], "每周一、周三 09:30（纽约时间），不设结束日期");
    let starts: Vec<&str> = v["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-03-01T09:30:00-05:00",
            "2026-03-02T09:30:00-05:00",
            "2026-03-09T09:30:00-04:00",
            "2026-03-11T09:30:00-04:00",
        ]
    );
    assert_eq!(v["occurrences"][2]["end"], "2026-03-09T10:30:00-04:00");

    // A bounded rule lists everything, without the "more" line.
    let all = series_ctl(
        &data,
        &[
            "--lang",
            "en",
            "series",
            "preview",
            "--start",
            "2026-10-26T09:30",
            "--zone",
            "America/New_York",
            "--rrule",
            "FREQ=WEEKLY;COUNT=2",
        ],
    );
    assert_eq!(
        all.stdout.lines().collect::<Vec<_>>(),
        [
            "Every Monday at 09:30 (New York time), 2 times",
            "2026-10-26T09:30:00-04:00",
            "2026-11-02T09:30:00-05:00",
        ]
    );
    assert!(!data.exists(), "preview opened the data folder");
}

#[test]
fn series_preview_refuses_unsupported_and_malformed_input_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("never-created");
    let out = series_ctl(
        &data,
        &[
            "--json",
            "--lang",
            "en",
            "series",
            "preview",
            "--start",
            "2026-03-01T09:30",
            "--zone",
            "Asia/Shanghai",
            "--rrule",
            "FREQ=HOURLY;BYHOUR=9",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let e = out.err_json();
    assert_eq!(e["code"], "invalid_input");
    let fields: Vec<(String, String, String)> = e["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"]["kind"].as_str().unwrap().to_string(),
                f["code"]["part"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let f = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        fields,
        [
            f("rrule", "rule_unsupported", "FREQ=HOURLY"),
            f("rrule", "rule_unsupported", "BYHOUR"),
        ]
    );
    assert!(e["fields"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("FREQ=HOURLY is not supported in a repeat rule"));

    // Human text, in Chinese: every problem on its own line, the zone included.
    let zh = series_ctl(
        &data,
        &[
            "--lang",
            "zh",
            "series",
            "preview",
            "--start",
            "2026-03-01 9点",
            "--zone",
            "Mars/Olympus",
            "--rrule",
            "FREQ=MONTHLY;BYMONTHDAY=0",
        ],
    );
    assert_eq!(zh.code, 2);
    assert!(zh.stderr.contains("  - zone: 未知时区"), "{}", zh.stderr);
    assert!(zh.stderr.contains("  - start: 请按"), "{}", zh.stderr);
    assert!(
        zh.stderr.contains(
            "  - rrule: 重复规则中的 BYMONTHDAY=0 超出范围：须在 -31 到 31 之间，且不能为 0。"
        ),
        "{}",
        zh.stderr
    );
    assert!(!data.exists(), "preview opened the data folder");
}

// ---- CloudRoom ----

struct CloudroomCreds {
    /// The listener's base URL plus the fake's base path (`/CLOUDROOM-SERVER`).
    base_url: String,
    secret_id: String,
    secret_key: String,
    user_id: String,
}

async fn cloudroom_sim() -> (Sim, CloudroomCreds) {
    let sim = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Cloudroom],
        port: 0,
    })
    .await
    .unwrap();
    let c = sim.cloudroom().unwrap().credentials();
    let creds = CloudroomCreds {
        base_url: format!(
            "{}{}",
            sim.listeners()[0].base_url.trim_end_matches('/'),
            c.base_path
        ),
        secret_id: c.secret_id,
        secret_key: c.secret_key,
        user_id: c.user_id,
    };
    (sim, creds)
}

/// Every file under `dir` (the database, the logs) that holds `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if std::fs::read(&path)
                .unwrap_or_default()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
            {
                found.push(path);
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cloudroom_account_books_with_a_password_joins_by_crmt_and_cancels() {
    if !keyring_or_skip("a_cloudroom_account_books_with_a_password_joins_by_crmt_and_cancels") {
        return;
    }
    let (sim, c) = cloudroom_sim().await;
    let fake = sim.cloudroom().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());

    // The Secret Key on stdin; the host by user id.
    let out = ctl.run_with(
        &[
            "--json",
            "account",
            "add",
            "--vendor",
            "cloudroom",
            "--label",
            "云屋总部",
            "--base-url",
            &c.base_url,
            "--secret-id",
            &c.secret_id,
            "--user-id",
            &c.user_id,
        ],
        Some(&format!("{}\n", c.secret_key)),
        &[],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let account = out.json();
    assert_eq!(account["vendor"], "cloudroom");
    assert_eq!(account["auth"]["method"], "cloudroom_api");
    assert_eq!(account["auth"]["secret_id"], c.secret_id.as_str());
    assert_eq!(account["auth"]["user_id"], c.user_id.as_str());
    assert_eq!(
        account["principal"],
        format!("{} @ {}", c.user_id, c.secret_id).as_str()
    );
    assert!(account["user_authorization"].is_null());
    assert!(!out.stdout.contains(&c.secret_key) && !out.stderr.contains(&c.secret_key));
    let id = account["id"].as_str().unwrap().to_string();
    let keyring = KeyringStore::with_service(ctl.service.clone());
    assert_eq!(
        keyring.get(&AccountId(id.clone())).unwrap().expose_secret(),
        c.secret_key
    );
    let human = ctl.ok(&["--lang", "en", "account", "list"]).stdout;
    assert!(
        human.contains("云屋总部") && human.contains(&format!("{} @ {}", c.user_id, c.secret_id)),
        "{human}"
    );

    let colleague = fake
        .users()
        .into_iter()
        .find(|u| u.id.to_string() != c.user_id)
        .expect("the fake has a second user");
    let d = day(4);
    let create = |password: &str, attendee: &str| {
        ctl.run(&[
            "--json",
            "meeting",
            "create",
            "--account",
            &id,
            "--subject",
            "设计评审",
            "--start",
            &format!("{d}T10:00"),
            "--duration",
            "60",
            "--zone",
            "Asia/Shanghai",
            "--attendee",
            attendee,
            "--password",
            password,
        ])
    };
    let invitee = format!("name={},account={}", colleague.name, colleague.id);

    // A bad password: the desk's field error, in both languages, nothing sent.
    let bad = create("12a4", &invitee);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    let e = bad.err_json();
    assert_eq!(e["code"], "invalid_input");
    assert_eq!(e["fields"][0]["field"], "password", "{e}");
    for (lang, words) in [
        (
            "en",
            "password: The meeting password must be 4 to 6 digits.",
        ),
        ("zh", "password: 会议密码须为 4–6 位数字。"),
    ] {
        let out = ctl.run(&[
            "--lang",
            lang,
            "meeting",
            "create",
            "--account",
            &id,
            "--subject",
            "x",
            "--start",
            &format!("{d}T10:00"),
            "--duration",
            "60",
            "--password",
            "1234567",
        ]);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains(words), "{}", out.stderr);
    }
    // An invitee without a CloudRoom user id: refused at the form, with how to write one.
    let by_email = create("0482", "name=Guest,email=guest@example.com");
    assert_eq!(by_email.code, 2, "{}", by_email.stderr);
    assert_eq!(
        by_email.err_json()["fields"][0]["field"],
        "attendees.0.account"
    );
    let by_email = ctl.run(&[
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
        "60",
        "--attendee",
        "name=Guest,email=guest@example.com",
    ]);
    assert_eq!(by_email.code, 2);
    assert!(
        by_email.stderr.contains("attendees.0.account: ")
            && by_email
                .stderr
                .contains("--attendee 'name=…,account=<their user id at the vendor>'"),
        "{}",
        by_email.stderr
    );
    assert!(fake.meetings().is_empty(), "nothing was booked");

    // Booked with the invitee by user id and the password: the fake holds both.
    let booked = create("0482", &invitee);
    assert_eq!(booked.code, 0, "{}", booked.stderr);
    let booked = booked.json();
    let summary = &booked["summary"];
    assert_eq!(summary["vendor"], "cloudroom");
    assert_eq!(booked["guest_password"], "0482");
    let mid = summary["id"].as_str().unwrap().to_string();
    let number = summary["meeting_number"].as_str().unwrap().to_string();
    let snap = || {
        fake.meetings()
            .into_iter()
            .find(|m| m.conf_id.to_string() == number)
            .expect("the fake holds the meeting")
    };
    let held = snap();
    assert_eq!(held.password, "0482", "the leading zero survives");
    assert_eq!(held.invitee_ids, vec![colleague.id]);
    assert_eq!(held.host_id.to_string(), c.user_id);

    let agenda = ctl.ok(&["--json", "meeting", "list"]).json();
    assert!(
        agenda["problems"].as_array().unwrap().is_empty(),
        "{agenda}"
    );
    assert_eq!(agenda["meetings"][0]["id"], mid.as_str());
    let shown = ctl.ok(&["--lang", "en", "meeting", "show", &mid]).stdout;
    assert!(
        shown.contains("设计评审")
            && shown.contains(&format!("{d} 10:00–11:00 Asia/Shanghai"))
            && shown.contains(&number)
            && shown.contains("guest password: 0482")
            && shown.contains(&colleague.id.to_string()),
        "{shown}"
    );

    // edit keeps the password unless one is given.
    let edited = ctl
        .ok(&[
            "--json",
            "meeting",
            "edit",
            &mid,
            "--subject",
            "设计评审（改）",
        ])
        .json();
    assert_eq!(edited["summary"]["subject"], "设计评审（改）");
    assert_eq!(snap().password, "0482", "kept");
    let bad = ctl.run(&["--json", "meeting", "edit", &mid, "--password", "12"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert_eq!(bad.err_json()["fields"][0]["field"], "password");
    let changed = ctl
        .ok(&["--json", "meeting", "edit", &mid, "--password", "135790"])
        .json();
    assert_eq!(changed["guest_password"], "135790");
    let held = snap();
    assert_eq!(held.password, "135790", "changed at CloudRoom");
    assert_eq!(held.invitee_ids, vec![colleague.id], "invitee kept");

    // join --app: the CRMT string minted now, verbatim and alone on stdout; a note on stderr.
    assert!(fake.issued_crmts().is_empty());
    let join = ctl.ok(&["--lang", "en", "meeting", "join", &mid, "--app"]);
    let issued = fake.issued_crmts();
    assert_eq!(issued.len(), 1, "one string minted for this join");
    assert!(issued[0].starts_with("CRMT:"), "{}", issued[0]);
    assert_eq!(
        join.stdout,
        format!("{}\n", issued[0]),
        "exactly the string"
    );
    assert!(
        join.stderr.contains("credential") && !join.stderr.contains(&issued[0]),
        "{}",
        join.stderr
    );
    let zh = ctl.ok(&["--lang", "zh", "meeting", "join", &mid, "--app"]);
    let issued = fake.issued_crmts();
    assert_eq!(issued.len(), 2, "a fresh string each time");
    assert_eq!(zh.stdout, format!("{}\n", issued[1]));
    assert!(zh.stderr.contains("凭据"), "{}", zh.stderr);
    let json = ctl.ok(&["--json", "meeting", "join", &mid, "--app"]).json();
    let issued = fake.issued_crmts();
    assert_eq!(
        json,
        serde_json::json!({"kind": "protocol", "role": "attendee", "secret": true, "url": issued[2]})
    );
    // Handing out the string joins nobody; the data folder (database, logs) never holds it.
    assert!(snap().joined.is_empty(), "{:?}", snap().joined);
    for crmt in &issued {
        let payload = crmt.trim_start_matches("CRMT:");
        assert!(
            files_containing(dir.path(), payload).is_empty(),
            "the join string was written to {:?}",
            files_containing(dir.path(), payload)
        );
    }
    // The web link stays the default.
    let web = ctl.ok(&["meeting", "join", &mid]);
    assert!(
        web.stdout.starts_with("http") && web.stdout.lines().count() == 1,
        "{}",
        web.stdout
    );

    // cancel deletes the meeting at CloudRoom.
    let cancelled = ctl.ok(&["--json", "meeting", "cancel", &mid]).json();
    assert_eq!(
        cancelled,
        serde_json::json!({"ok": true, "action": "meeting_cancelled", "id": mid})
    );
    assert!(
        fake.meetings()
            .iter()
            .all(|m| m.conf_id.to_string() != number),
        "deleted at CloudRoom"
    );
    let after = ctl.ok(&["--json", "meeting", "list"]).json();
    assert!(after["meetings"].as_array().unwrap().is_empty(), "{after}");

    ctl.ok(&["account", "remove", &id]);
    assert_eq!(
        keyring.get(&AccountId(id)).unwrap_err(),
        SecretError::Missing
    );
    sim.shutdown().await;
}

#[test]
fn bad_cloudroom_account_input_is_refused_in_the_ui_language() {
    // Checked before anything is stored or sent: no keyring, no network.
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());
    let cloudroom = |lang: &str, extra: &[&str]| {
        let mut args = vec![
            "--lang",
            lang,
            "--json",
            "account",
            "add",
            "--vendor",
            "cloudroom",
            "--label",
            "C",
        ];
        args.extend_from_slice(extra);
        ctl.run_with(&args, Some("secret-key\n"), &[])
    };

    // No Secret ID: the desk names the field.
    let missing = cloudroom("en", &[]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert_eq!(missing.err_json()["fields"][0]["field"], "auth.secret_id");
    assert!(!missing.stderr.contains("secret-key"), "{}", missing.stderr);

    let en = cloudroom("en", &["--secret-id", "SID", "--user-id", "zhangsan"]);
    assert_eq!(en.code, 2, "{}", en.stderr);
    let e = en.err_json();
    assert_eq!(e["fields"][0]["field"], "auth.user_id");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("is not a CloudRoom user id: user ids are numbers"),
        "{e}"
    );
    let zh = cloudroom("zh", &["--secret-id", "SID", "--user-id", "zhangsan"]);
    assert_eq!(zh.code, 2);
    assert!(zh.stderr.contains("不是云屋用户 ID"), "{}", zh.stderr);

    // Other vendors' options.
    let other = cloudroom("en", &["--secret-id", "SID", "--app-id", "a"]);
    assert_eq!(other.code, 2);
    assert!(
        other
            .stderr
            .contains("A CloudRoom account takes --secret-id (and optionally --user-id)"),
        "{}",
        other.stderr
    );
    let other = cloudroom("zh", &["--secret-id", "SID", "--site-sign", "x"]);
    assert_eq!(other.code, 2);
    assert!(
        other.stderr.contains("云屋账号用 --secret-id"),
        "{}",
        other.stderr
    );

    // An unknown vendor lists the ones there are.
    let unknown = ctl.run_with(
        &[
            "--lang", "en", "account", "add", "--vendor", "zoom", "--label", "Z",
        ],
        Some("k\n"),
        &[],
    );
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("use --vendor huawei, tencent, bizconf, feishu or cloudroom"),
        "{}",
        unknown.stderr
    );

    let list = ctl.ok(&["--json", "account", "list"]).json();
    assert_eq!(list, serde_json::json!([]));
}

// ---- series booked as single meetings ----

/// A 30-occurrence weekly BizConf series: `huiyictl series create` is killed with SIGKILL
/// mid-way (after the fake has seen at least 5 bookings), then `huiyictl series resume`
/// finishes it. The fake, which lives in this test process across both runs, ends with exactly
/// 30 meetings, one per occurrence, and the desk's series says 30 of 30.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bizconf_series_killed_mid_way_resumes_to_exactly_one_meeting_per_occurrence() {
    if !keyring_or_skip(
        "a_bizconf_series_killed_mid_way_resumes_to_exactly_one_meeting_per_occurrence",
    ) {
        return;
    }
    let sim = Sim::start(SimConfig {
        state_dir: None,
        vendors: vec![SimVendor::Bizconf],
        port: 0,
    })
    .await
    .unwrap();
    let fake = sim.bizconf().unwrap();
    let c = fake.credentials();
    let dir = tempfile::tempdir().unwrap();
    let ctl = Ctl::new(dir.path());
    let out = ctl.run_with(
        &[
            "--json",
            "account",
            "add",
            "--vendor",
            "bizconf",
            "--label",
            "BizConf",
            "--base-url",
            &sim.listeners()[0].base_url,
            "--site-sign",
            &c.site_sign,
            "--user-id",
            &c.user_id,
            "--user-name",
            &c.user_name,
        ],
        Some(&format!("{}\n", c.api_key)),
        &[],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let account = out.json()["id"].as_str().unwrap().to_string();

    // Each booking takes a little while, so the kill lands mid-way.
    fake.set_fault(huiyi_sim::Fault {
        kind: huiyi_sim::FaultKind::Delay(100),
        remaining: 30,
        path_prefix: Some("/openapi/v2/confReservation".into()),
    });
    let start = format!("{}T09:30", day(2));
    let mut child = Command::new(env!("CARGO_BIN_EXE_huiyictl"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "--json",
            "series",
            "create",
            "--account",
            &account,
            "--subject",
            "Weekly board",
            "--start",
            &start,
            "--zone",
            "Asia/Shanghai",
            "--duration",
            "60",
            "--rrule",
            "FREQ=WEEKLY;COUNT=30",
        ])
        .env("HUIYI_KEYRING_SERVICE", &ctl.service)
        .env("TZ", "Europe/Berlin")
        .env_remove("HUIYI_SECRET_STORE")
        .env_remove("HUIYI_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("huiyictl starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let live = || {
        fake.meetings()
            .into_iter()
            .filter(|m| format!("{:?}", m.status) != "Cancelled")
            .collect::<Vec<_>>()
    };
    loop {
        let n = live().len();
        if n >= 5 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "huiyictl ended before the kill ({n} booked)"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "no progress: {n} booked"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let kill = Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), None, "killed by a signal");
    let at_kill = live().len();
    assert!(
        (5..30).contains(&at_kill),
        "killed mid-way: {at_kill} of 30 booked"
    );

    // The interrupted series shows as such, then any series command resumes it.
    let shown = ctl.ok(&["--json", "series", "list"]).json();
    let id = shown[0]["id"].as_str().unwrap().to_string();
    assert_eq!(shown[0]["state"], "booking");
    assert_eq!(shown[0]["running"], false);
    let resumed = ctl.ok(&["--json", "series", "resume"]).json();
    assert_eq!(resumed[0]["id"], id.as_str());
    let view = ctl.ok(&["--json", "series", "show", &id]).json();
    assert_eq!(view["state"], "booked", "{view:#}");
    assert_eq!(
        (view["booked"].as_u64(), view["total"].as_u64()),
        (Some(30), Some(30))
    );

    let meetings = live();
    assert_eq!(meetings.len(), 30, "exactly 30 BizConf meetings");
    let starts: BTreeSet<_> = meetings.iter().map(|m| m.start_time).collect();
    assert_eq!(starts.len(), 30, "one per occurrence, none twice");
    let planned: BTreeSet<_> = view["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            o["start"]
                .as_str()
                .unwrap()
                .parse::<chrono::DateTime<Utc>>()
                .unwrap()
        })
        .collect();
    assert_eq!(
        starts, planned,
        "the fake holds exactly the planned occurrences"
    );
    assert_eq!(fake.booking_count(), 30, "no booking was made twice");

    // Occurrence operations map to single meetings: cancel the last five, move one.
    let occ = |i: usize| {
        view["occurrences"][i]["original_start"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let after = ctl
        .ok(&[
            "--json",
            "series",
            "cancel",
            &id,
            "--occurrence",
            &occ(25),
            "--following",
        ])
        .json();
    assert_eq!(
        (after["booked"].as_u64(), after["total"].as_u64()),
        (Some(25), Some(25))
    );
    assert_eq!(live().len(), 25);
    let moved_to = format!("{}T14:00", &occ(1)[..10]);
    let moved = ctl
        .ok(&[
            "--json",
            "series",
            "edit",
            &id,
            "--occurrence",
            &occ(1),
            "--start",
            &moved_to,
        ])
        .json();
    assert_eq!(moved["occurrences"][1]["state"], "booked");
    assert_eq!(live().len(), 25);
    let text = ctl.ok(&["--lang", "en", "series", "show", &id]).stdout;
    assert!(text.contains("Booked 25 of 25"), "{text}");
    sim.shutdown().await;
}

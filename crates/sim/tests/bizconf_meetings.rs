//! BizConf meetings over real HTTP: book (2.1, 2.2), detail (2.3), cancel (2.4), modify
//! (2.12), end (2.13), the sim clock, and the booking rules (201, 202, 205, 104, 109, 401).

#[path = "bizconf_common/mod.rs"]
mod common;

use common::{assert_ok, assert_status, id_of, params, remove_param, set_param, start};
use huiyi_sim::bizconf::ConfStatus;
use serde_json::Value;

/// The 29 fields of ConfInfo-A (2.1 sample, L408-L436).
const CONF_INFO_A: [&str; 29] = [
    "confNumber",
    "beforeTime",
    "webClientJoin",
    "protocolHostStartUrl",
    "optionJbh",
    "confPassword",
    "roomId",
    "virConfId",
    "rcIps",
    "confName",
    "duration",
    "protocolJoinUrl",
    "h323pwd",
    "startTime",
    "audio",
    "joinUrl",
    "hostStartUrl",
    "confParties",
    "confId",
    "watermark",
    "userName",
    "userId",
    "confDelFlag",
    "optionVideoHost",
    "confStatus",
    "interpretation",
    "waitingRoom",
    "optionVideoParticipants",
    "meetingAuthentication",
];

fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let (_, q) = url.split_once('?')?;
    q.split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
}

#[tokio::test]
async fn booking_answers_conf_info_a_with_the_documented_shapes() {
    let t = start().await;
    let mut b = t.booking("周会");
    set_param(&mut b, "confPassword", "4512");
    let start = t.gmt(90);
    set_param(&mut b, "startTime", &start);
    let got = t.book(b).await;
    assert_ok(&got);
    assert_eq!(got.1["message"], "success");
    let d = &got.1["data"];
    let obj = d.as_object().unwrap();
    for k in CONF_INFO_A {
        assert!(obj.contains_key(k), "{k} missing: {d}");
    }
    assert_eq!(obj.len(), 29, "{d}");
    // confId a number (L426), confNumber a 10-digit string (L408).
    let conf_id = d["confId"].as_u64().expect("confId is a number");
    let number = d["confNumber"].as_str().expect("confNumber is a string");
    assert_eq!(number.len(), 10);
    assert!(number.bytes().all(|b| b.is_ascii_digit()));
    assert!(d["roomId"].is_u64() && d["virConfId"].is_u64());
    assert_eq!(d["confStatus"], 0);
    assert_eq!(d["confDelFlag"], 1);
    assert_eq!(d["startTime"], start.as_str(), "GMT string as sent");
    assert_eq!(d["duration"], 45);
    assert_eq!(d["confParties"], 5);
    assert_eq!(d["confName"], "周会");
    assert_eq!(d["userId"], t.creds.user_id.as_str());
    assert_eq!(d["userName"], t.creds.user_name.as_str());
    // Links (note §5): sfcloud:// with the meeting number and the plain password.
    assert_eq!(
        d["protocolJoinUrl"],
        format!("sfcloud://www.confcloud.cn/join?confno={number}&pwd=4512")
    );
    assert_eq!(
        d["webClientJoin"],
        format!("https://cc.bizvideo.cn/wc/join/{number}?pwd=4512&prefer=1")
    );
    let host = d["protocolHostStartUrl"].as_str().unwrap();
    assert!(
        host.starts_with("sfcloud://www.confcloud.cn/start?"),
        "{host}"
    );
    assert_eq!(query_param(host, "confno"), Some(number));
    assert_eq!(query_param(host, "stype"), Some("100"));
    assert_eq!(query_param(host, "sid"), query_param(host, "uid"));
    // The sandbox user's name is not ASCII: percent-encoded.
    assert_eq!(
        query_param(host, "uname"),
        Some("%E6%B2%99%E7%AE%B1%E7%94%A8%E6%88%B7")
    );
    let host_token = query_param(host, "token").unwrap();
    let (head, blob) = host_token.split_once('.').unwrap();
    assert_eq!(head.len(), 43);
    assert!(!blob.is_empty());
    // joinUrl .../j/<confId>4/<32 hex>, hostStartUrl .../j/<confId>3/<32 hex> (L423-L424).
    let site = format!("https://{}.bizvideo.cn/j/", t.creds.site_sign);
    for (field, digit) in [("joinUrl", 4), ("hostStartUrl", 3)] {
        let url = d[field].as_str().unwrap();
        let rest = url.strip_prefix(&site).unwrap_or_else(|| panic!("{url}"));
        let (seg, sig) = rest.split_once('/').unwrap();
        assert_eq!(seg, format!("{conf_id}{digit}"));
        assert_eq!(sig.len(), 32);
        assert!(sig
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
    }
    assert_ne!(d["joinUrl"], d["hostStartUrl"]);
    // h323pwd is not the meeting password (L1911, L1917).
    assert_ne!(d["h323pwd"], "4512");
    // The fake stores UTC.
    let m = &t.bc.meetings()[0];
    assert_eq!(m.start_time.format("%Y-%m-%d %H:%M:%S").to_string(), start);
    assert_eq!(m.password.as_deref(), Some("4512"));
    t.sim.shutdown().await;
}

#[tokio::test]
async fn no_password_leaves_pwd_empty_in_the_links() {
    let t = start().await;
    let d = t.book_ok(t.booking("open")).await;
    let number = d["confNumber"].as_str().unwrap();
    assert_eq!(d["confPassword"], "");
    assert_eq!(d["h323pwd"], "");
    // L410, L419: `pwd=` with nothing after it.
    assert_eq!(
        d["protocolJoinUrl"],
        format!("sfcloud://www.confcloud.cn/join?confno={number}&pwd=")
    );
    assert_eq!(
        d["webClientJoin"],
        format!("https://cc.bizvideo.cn/wc/join/{number}?pwd=&prefer=1")
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn detail_is_get_only_and_issues_a_fresh_host_token_each_time() {
    let t = start().await;
    let booked = t.book_ok(t.booking("detail")).await;
    let id = id_of(&booked);
    let a = t.detail_ok(&id).await;
    let b = t.detail_ok(&id).await;
    for k in CONF_INFO_A {
        assert!(a.get(k).is_some(), "{k}");
    }
    assert_eq!(a["confNumber"], booked["confNumber"]);
    assert_eq!(a["joinUrl"], booked["joinUrl"]);
    let token = |v: &Value| {
        query_param(v["protocolHostStartUrl"].as_str().unwrap(), "token")
            .unwrap()
            .to_owned()
    };
    assert_ne!(token(&a), token(&b), "note §7.19: fresh on every fetch");
    assert_ne!(token(&a), token(&booked));
    // POST is not how 2.3 is called (L704: GET).
    let p = t.signed(params(&[("confId", &id)]));
    let got = t.post_raw("getConfDetailByConfId", &p).await;
    assert_eq!(got.0.as_u16(), 405, "{}", got.1);
    assert_eq!(got.1["status"], 103);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn an_unknown_path_is_404_in_the_envelope() {
    let t = start().await;
    let got = t.post("getConfDetail", &[]).await;
    assert_eq!(got.0.as_u16(), 404);
    assert_eq!(got.1["status"], 103);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn user_name_sticks_to_the_first_booking() {
    // L226: a later, different userName is ignored; the first one is shown.
    let t = start().await;
    let mut first = t.booking("one");
    set_param(&mut first, "userId", "u-sticky");
    set_param(&mut first, "userName", "First Name");
    assert_eq!(t.book_ok(first).await["userName"], "First Name");
    let mut second = t.booking("two");
    set_param(&mut second, "userId", "u-sticky");
    set_param(&mut second, "userName", "Second Name");
    set_param(&mut second, "startTime", &t.gmt(300));
    let d = t.book_ok(second).await;
    assert_eq!(d["userName"], "First Name");
    let uname = query_param(d["protocolHostStartUrl"].as_str().unwrap(), "uname");
    assert_eq!(uname, Some("First%20Name"));
    t.sim.shutdown().await;
}

#[tokio::test]
async fn watermark_booking_needs_login_name_and_forces_authentication() {
    let t = start().await;
    // 2.2 without loginName (L470: required).
    let got = t
        .post_raw("confReservation2", &t.signed(t.booking("wm")))
        .await;
    assert_status(&got, 109);
    let mut b = t.booking("wm");
    set_param(&mut b, "loginName", "zhang.san");
    set_param(&mut b, "watermark", "1");
    set_param(&mut b, "meetingAuthentication", "2");
    let got = t.post_raw("confReservation2", &t.signed(b)).await;
    assert_ok(&got);
    assert_eq!(got.1["data"]["watermark"], 1);
    // L655: forced on while the watermark is on.
    assert_eq!(got.1["data"]["meetingAuthentication"], 1);
    // Without the watermark it can be set on its own.
    let mut b = t.booking("no wm");
    set_param(&mut b, "loginName", "zhang.san");
    set_param(&mut b, "meetingAuthentication", "2");
    set_param(&mut b, "startTime", &t.gmt(300));
    let got = t.post_raw("confReservation2", &t.signed(b)).await;
    assert_ok(&got);
    assert_eq!(got.1["data"]["watermark"], 0);
    assert_eq!(got.1["data"]["meetingAuthentication"], 2);
    // 2.1 has no watermark parameter (note §6.10): ignored, answered 0.
    let mut b = t.booking("plain");
    set_param(&mut b, "watermark", "1");
    set_param(&mut b, "startTime", &t.gmt(600));
    assert_eq!(t.book_ok(b).await["watermark"], 0);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn each_missing_required_booking_field_is_109() {
    let t = start().await;
    for field in [
        "userName",
        "confName",
        "startTime",
        "duration",
        "confParties",
    ] {
        let mut b = t.booking("x");
        remove_param(&mut b, field);
        assert_status(&t.book(b).await, 109);
        let mut b = t.booking("x");
        set_param(&mut b, field, "");
        assert_status(&t.book(b).await, 109);
    }
    // Not numbers.
    for (field, v) in [
        ("duration", "45min"),
        ("confParties", "five"),
        ("beforeTime", "1.5"),
    ] {
        let mut b = t.booking("x");
        set_param(&mut b, field, v);
        assert_status(&t.book(b).await, 109);
    }
    // userId longer than 32 characters (L212).
    let mut b = t.booking("x");
    set_param(&mut b, "userId", &"u".repeat(33));
    assert_status(&t.book(b).await, 109);
    let mut b = t.booking("x");
    set_param(&mut b, "userId", &"u".repeat(32));
    assert_ok(&t.book(b).await);
    assert_eq!(t.bc.meetings().len(), 1);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn times_must_be_gmt_yyyy_mm_dd_hh_mm_ss() {
    let t = start().await;
    let good = t.gmt(120);
    let iso = good.replace(' ', "T");
    for bad in [
        iso.clone(),
        format!("{iso}Z"),
        format!("{good}+08:00"),
        good[..16].to_owned(),
        // The table's typo format (L269, note §6.1) is not what the server parses.
        good.replacen('-', "/", 2),
    ] {
        let mut b = t.booking("t");
        set_param(&mut b, "startTime", &bad);
        assert_status(&t.book(b).await, 109);
    }
    // L14-L15: Beijing 12:00 is sent as 04:00 GMT; the sim reads what is sent as GMT, so a
    // client that sends Beijing wall time books 8 hours late.
    let mut b = t.booking("t");
    set_param(&mut b, "startTime", &good);
    t.book_ok(b).await;
    let stored = t.bc.meetings()[0].start_time;
    let expected = chrono::NaiveDateTime::parse_from_str(&good, "%Y-%m-%d %H:%M:%S")
        .unwrap()
        .and_utc();
    assert_eq!(stored, expected);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn meeting_rule_violations_are_104() {
    let t = start().await;
    // L254: these in confName are not supported.
    for name in [
        "a\\b", "a/b", "a:b", "a*b", "a?b", "a？b", "a\"b", "a<b", "a>b", "a|b", "a&lt;b",
        "a&gt;b", "a\nb",
    ] {
        let mut b = t.booking(name);
        set_param(&mut b, "confName", name);
        assert_status(&t.book(b).await, 104);
    }
    for (field, v) in [
        ("optionJbh", "2"),
        ("optionVideoHost", "-1"),
        ("audio", "4"),
        ("waitingRoom", "3"),
        ("duration", "0"),
        ("confParties", "0"),
        ("beforeTime", "-5"),
    ] {
        let mut b = t.booking("rules");
        set_param(&mut b, field, v);
        assert_status(&t.book(b).await, 104);
    }
    assert!(t.bc.meetings().is_empty());
    // interpretation: "1 on, 0 or anything else off" (L337).
    let mut b = t.booking("interp");
    set_param(&mut b, "interpretation", "7");
    assert_eq!(t.book_ok(b).await["interpretation"], 0);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn a_start_in_the_past_is_201() {
    let t = start().await;
    let mut b = t.booking("late");
    set_param(&mut b, "startTime", &t.gmt(-1));
    assert_status(&t.book(b).await, 201);
    // The minute under way is still bookable.
    let mut b = t.booking("now");
    set_param(&mut b, "startTime", &t.gmt(0));
    assert_ok(&t.book(b).await);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn one_meeting_per_user_per_period_else_202() {
    let t = start().await;
    let mut a = t.booking("a");
    set_param(&mut a, "startTime", &t.gmt(60));
    set_param(&mut a, "duration", "60");
    t.book_ok(a).await;
    // Overlapping by one minute.
    let mut b = t.booking("b");
    set_param(&mut b, "startTime", &t.gmt(119));
    assert_status(&t.book(b).await, 202);
    // Touching at the end is not an overlap (assumption, note §6.29).
    let mut c = t.booking("c");
    set_param(&mut c, "startTime", &t.gmt(120));
    set_param(&mut c, "duration", "30");
    t.book_ok(c).await;
    // beforeTime widens the reserved window backwards: 150 - 31 early overlaps c (120-150).
    let mut d = t.booking("d");
    set_param(&mut d, "startTime", &t.gmt(180));
    set_param(&mut d, "beforeTime", "61");
    assert_status(&t.book(d).await, 202);
    let mut d = t.booking("d");
    set_param(&mut d, "startTime", &t.gmt(180));
    set_param(&mut d, "beforeTime", "30");
    t.book_ok(d).await;
    // Another user may overlap.
    let mut e = t.booking("e");
    set_param(&mut e, "userId", "colleague");
    set_param(&mut e, "userName", "Colleague");
    t.book_ok(e).await;
    assert_eq!(t.bc.meetings().len(), 4);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn ports_are_shared_by_the_site_and_2_16_agrees() {
    let t = start().await;
    t.bc.set_site_capacity(10);
    assert_eq!(t.bc.site_capacity(), 10);
    let remain = |got: &(reqwest::StatusCode, Value)| {
        assert_ok(got);
        assert!(got.1.get("data").is_none(), "top level: {}", got.1);
        assert_eq!(got.1["totalNumParties"], 10);
        got.1["remainNumPartis"].as_u64().unwrap()
    };
    let window = [("startTime", t.gmt(60)), ("duration", "45".to_owned())];
    let w: Vec<(&str, &str)> = window.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(remain(&t.post("getReMainNumPartis", &w).await), 10);
    let mut a = t.booking("a");
    set_param(&mut a, "confParties", "6");
    let a = t.book_ok(a).await;
    assert_eq!(remain(&t.post("getReMainNumPartis", &w).await), 4);
    // Another user, same window: 5 ports do not fit, 4 do.
    let mut b = t.booking("b");
    set_param(&mut b, "userId", "colleague");
    set_param(&mut b, "userName", "Colleague");
    set_param(&mut b, "confParties", "5");
    assert_status(&t.book(b.clone()).await, 205);
    set_param(&mut b, "confParties", "4");
    t.book_ok(b).await;
    assert_eq!(remain(&t.post("getReMainNumPartis", &w).await), 0);
    // Excluding one's own meeting by number (L2251) gives its ports back.
    let mut own = w.clone();
    own.push(("confNumber", a["confNumber"].as_str().unwrap()));
    assert_eq!(remain(&t.post("getReMainNumPartis", &own).await), 6);
    // Someone else's number is not excluded.
    let mut theirs = w.clone();
    let number_b = t.bc.meetings()[1].conf_number.clone();
    theirs.push(("confNumber", &number_b));
    assert_eq!(remain(&t.post("getReMainNumPartis", &theirs).await), 0);
    // beforeTime widens the window into another one.
    let later = [("startTime", t.gmt(120)), ("duration", "30".to_owned())];
    let l: Vec<(&str, &str)> = later.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(remain(&t.post("getReMainNumPartis", &l).await), 10);
    let mut early = l.clone();
    early.push(("beforeTime", "30"));
    assert_eq!(remain(&t.post("getReMainNumPartis", &early).await), 0);
    // Later, outside every window, all 10 can be booked.
    let mut c = t.booking("c");
    set_param(&mut c, "startTime", &t.gmt(240));
    set_param(&mut c, "confParties", "10");
    t.book_ok(c).await;
    // Cancelling frees the ports.
    assert_ok(&t.post("cancelConf", &[("confId", &id_of(&a))]).await);
    assert_eq!(remain(&t.post("getReMainNumPartis", &w).await), 6);
    // Required fields.
    assert_status(
        &t.post("getReMainNumPartis", &[("duration", "45")]).await,
        109,
    );
    assert_status(
        &t.post("getReMainNumPartis", &[("startTime", &t.gmt(60))])
            .await,
        109,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn the_clock_starts_and_ends_meetings() {
    let t = start().await;
    let id = id_of(&t.book_ok(t.booking("clock")).await);
    assert_eq!(t.detail_ok(&id).await["confStatus"], 0);
    t.bc.advance_clock(60 * 60);
    assert_eq!(t.detail_ok(&id).await["confStatus"], 2);
    assert_eq!(t.bc.meetings()[0].status, ConfStatus::Live);
    t.bc.advance_clock(45 * 60);
    assert_eq!(t.detail_ok(&id).await["confStatus"], 3);
    assert_eq!(t.bc.meetings()[0].status, ConfStatus::Ended);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn cancel_booked_is_9_and_the_meeting_is_gone() {
    let t = start().await;
    let id = id_of(&t.book_ok(t.booking("cancel")).await);
    let got = t.post("cancelConf", &[("confId", &id)]).await;
    assert_ok(&got);
    // L846: exactly this message, no data.
    assert_eq!(got.1["message"], "cancel conf success");
    assert!(got.1.get("data").is_none());
    assert_eq!(t.bc.meetings()[0].status, ConfStatus::Cancelled);
    // L70: cancelled meetings are 401 for detail and for another cancel (L790).
    assert_status(&t.detail(&id).await, 401);
    assert_status(&t.post("cancelConf", &[("confId", &id)]).await, 401);
    // The slot is free again.
    t.book_ok(t.booking("again")).await;
    t.sim.shutdown().await;
}

#[tokio::test]
async fn cancel_live_is_refused_and_cancel_after_it_took_place_reads_ended() {
    let t = start().await;
    let id = id_of(&t.book_ok(t.booking("held")).await);
    t.bc.advance_clock(61 * 60);
    // L790: a meeting in progress cannot be cancelled (708, assumption note §7.10).
    assert_status(&t.post("cancelConf", &[("confId", &id)]).await, 708);
    t.bc.advance_clock(45 * 60);
    // L796: it took place, so after cancelling it is ended (3), not cancelled (9).
    assert_ok(&t.post("cancelConf", &[("confId", &id)]).await);
    assert_eq!(t.detail_ok(&id).await["confStatus"], 3);
    assert_eq!(t.bc.meetings()[0].status, ConfStatus::Ended);
    assert_status(&t.post("cancelConf", &[("confId", &id)]).await, 401);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn someone_elses_or_unknown_meetings_are_401_and_unknown_users_101() {
    let t = start().await;
    let id = id_of(&t.book_ok(t.booking("mine")).await);
    let mut other = t.booking("theirs");
    set_param(&mut other, "userId", "colleague");
    set_param(&mut other, "userName", "Colleague");
    t.book_ok(other).await;
    for (endpoint, get) in [
        ("getConfDetailByConfId", true),
        ("cancelConf", false),
        ("endConf", false),
    ] {
        // The meeting belongs to the sandbox user, not to colleague.
        assert_status(
            &t.call(endpoint, get, &[("userId", "colleague"), ("confId", &id)])
                .await,
            401,
        );
        assert_status(&t.call(endpoint, get, &[("confId", "999")]).await, 401);
        assert_status(&t.call(endpoint, get, &[("confId", "12ab")]).await, 109);
        assert_status(&t.call(endpoint, get, &[]).await, 109);
        assert_status(
            &t.call(endpoint, get, &[("userId", "nobody"), ("confId", &id)])
                .await,
            101,
        );
    }
    assert_eq!(t.detail_ok(&id).await["confStatus"], 0, "untouched");
    t.sim.shutdown().await;
}

#[tokio::test]
async fn end_only_a_live_meeting() {
    let t = start().await;
    let id = id_of(&t.book_ok(t.booking("end")).await);
    // Not started yet: 708 (assumption, note §7.11).
    assert_status(&t.post("endConf", &[("confId", &id)]).await, 708);
    t.bc.advance_clock(61 * 60);
    let got = t.post("endConf", &[("confId", &id)]).await;
    assert_ok(&got);
    assert_eq!(got.1["message"], "end conf success");
    assert_eq!(t.detail_ok(&id).await["confStatus"], 3);
    // Ended before its scheduled end: it stays ended, and the slot is free.
    assert_status(&t.post("endConf", &[("confId", &id)]).await, 707);
    let mut b = t.booking("right after");
    set_param(&mut b, "startTime", &t.gmt(1));
    t.book_ok(b).await;
    t.sim.shutdown().await;
}

#[tokio::test]
async fn modify_requires_its_fields_and_answers_conf_info_b() {
    let t = start().await;
    let mut b = t.booking("before");
    set_param(&mut b, "confPassword", "123456");
    set_param(&mut b, "optionJbh", "1");
    let id = id_of(&t.book_ok(b).await);
    // L1759, L1792, L1799, L1806: required.
    for field in [
        "confPassword",
        "startTime",
        "duration",
        "confParties",
        "confId",
    ] {
        let mut m = t.modification(&id, "123456", 120);
        remove_param(&mut m, field);
        assert_status(&t.post_raw("confModify2", &t.signed(m)).await, 109);
    }
    let mut m = t.modification(&id, "654321", 120);
    set_param(&mut m, "confName", "after");
    set_param(&mut m, "duration", "30");
    set_param(&mut m, "confParties", "8");
    let got = t.post_raw("confModify2", &t.signed(m)).await;
    assert_ok(&got);
    let d = &got.1["data"];
    // ConfInfo-B (L1907-L1934): no webClientJoin/virConfId/waitingRoom/meetingAuthentication;
    // videoConf, videoPhone, watchUrl instead.
    for k in [
        "webClientJoin",
        "virConfId",
        "waitingRoom",
        "meetingAuthentication",
    ] {
        assert!(d.get(k).is_none(), "{k}: {d}");
    }
    for k in [
        "videoConf",
        "videoPhone",
        "watchUrl",
        "protocolHostStartUrl",
        "h323pwd",
    ] {
        assert!(d.get(k).is_some(), "{k}: {d}");
    }
    assert_eq!(d["confId"].as_u64().unwrap().to_string(), id);
    assert_eq!(d["videoConf"], d["confNumber"]);
    assert_eq!(d["confName"], "after");
    assert_eq!(d["startTime"], t.gmt(120).as_str());
    assert_eq!(d["duration"], 30);
    assert_eq!(d["confParties"], 8);
    assert_eq!(d["confPassword"], "654321");
    // Left out: unchanged (L1770).
    assert_eq!(d["optionJbh"], 1);
    let detail = t.detail_ok(&id).await;
    assert_eq!(detail["confName"], "after");
    assert_eq!(detail["confParties"], 8);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn modify_with_an_empty_password_removes_it() {
    // L1762: "可以传空值，表示取消会议密码".
    let t = start().await;
    let mut b = t.booking("pw");
    set_param(&mut b, "confPassword", "4512");
    let id = id_of(&t.book_ok(b).await);
    let got = t
        .post_raw("confModify2", &t.signed(t.modification(&id, "", 60)))
        .await;
    assert_ok(&got);
    assert_eq!(got.1["data"]["confPassword"], "");
    assert!(got.1["data"]["protocolJoinUrl"]
        .as_str()
        .unwrap()
        .ends_with("&pwd="));
    let d = t.detail_ok(&id).await;
    assert_eq!(d["confPassword"], "");
    assert_eq!(d["h323pwd"], "");
    assert!(d["webClientJoin"]
        .as_str()
        .unwrap()
        .ends_with("?pwd=&prefer=1"));
    assert_eq!(t.bc.meetings()[0].password, None);
    t.sim.shutdown().await;
}

#[tokio::test]
async fn modify_keeps_the_rules_of_booking() {
    let t = start().await;
    t.bc.set_site_capacity(100);
    let mut a = t.booking("a");
    set_param(&mut a, "confParties", "60");
    let a = id_of(&t.book_ok(a).await);
    let mut b = t.booking("b");
    set_param(&mut b, "startTime", &t.gmt(300));
    let b = id_of(&t.book_ok(b).await);
    // Growing a's own ports: its own 60 do not count against it.
    let mut m = t.modification(&a, "", 60);
    set_param(&mut m, "confParties", "100");
    assert_ok(&t.post_raw("confModify2", &t.signed(m)).await);
    let mut m = t.modification(&a, "", 60);
    set_param(&mut m, "confParties", "101");
    assert_status(&t.post_raw("confModify2", &t.signed(m)).await, 205);
    // Moving b onto a: 202.
    assert_status(
        &t.post_raw("confModify2", &t.signed(t.modification(&b, "", 70)))
            .await,
        202,
    );
    // Into the past: 201.
    assert_status(
        &t.post_raw("confModify2", &t.signed(t.modification(&b, "", -10)))
            .await,
        201,
    );
    // Forbidden name characters: 104.
    let mut m = t.modification(&b, "", 300);
    set_param(&mut m, "confName", "a/b");
    assert_status(&t.post_raw("confModify2", &t.signed(m)).await, 104);
    // Nothing of the refused modifications stuck.
    let d = t.detail_ok(&b).await;
    assert_eq!(d["startTime"], t.gmt(300).as_str());
    // Live: 708; ended: 707 (assumptions; 2.14 is the live variant).
    t.bc.advance_clock(61 * 60);
    assert_status(
        &t.post_raw("confModify2", &t.signed(t.modification(&a, "", 400)))
            .await,
        708,
    );
    t.bc.advance_clock(60 * 60);
    assert_status(
        &t.post_raw("confModify2", &t.signed(t.modification(&a, "", 400)))
            .await,
        707,
    );
    t.sim.shutdown().await;
}

#[tokio::test]
async fn modify_watermark_empty_keeps_zero_removes() {
    // L1872: empty keeps the booking's watermark setting, 0 removes it, 1 adds it.
    let t = start().await;
    let mut b = t.booking("wm");
    set_param(&mut b, "loginName", "li.si");
    set_param(&mut b, "watermark", "1");
    let got = t.post_raw("confReservation2", &t.signed(b)).await;
    assert_ok(&got);
    let id = id_of(&got.1["data"]);
    let mut m = t.modification(&id, "", 60);
    set_param(&mut m, "watermark", "");
    let got = t.post_raw("confModify2", &t.signed(m)).await;
    assert_ok(&got);
    assert_eq!(got.1["data"]["watermark"], 1);
    let mut m = t.modification(&id, "", 60);
    set_param(&mut m, "watermark", "0");
    let got = t.post_raw("confModify2", &t.signed(m)).await;
    assert_eq!(got.1["data"]["watermark"], 0);
    assert!(!t.bc.meetings()[0].watermark);
    let mut m = t.modification(&id, "", 60);
    set_param(&mut m, "watermark", "2");
    assert_status(&t.post_raw("confModify2", &t.signed(m)).await, 104);
    t.sim.shutdown().await;
}

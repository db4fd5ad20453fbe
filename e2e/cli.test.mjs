// huiyictl against a separately running `huiyi-sim serve`, the way a script would use them:
// two processes talking real HTTP over loopback, the secret in the real Secret Service (run.sh
// provides the keyring session). Checks the JSON output's shape, which scripts depend on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, "target");
const CTL = join(TARGET, "debug", "huiyictl");
const SIM = join(TARGET, "debug", "huiyi-sim");

/** Starts `huiyi-sim serve` for one vendor and resolves with its listener line once it is serving. */
function startSim(vendor = "huawei") {
  const child = spawn(SIM, ["serve", "--vendor", vendor, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("huiyi-sim printed no listener within 20 s")), 20000);
    child.on("exit", (code) => reject(new Error(`huiyi-sim exited early with ${code}`)));
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      resolve({ child, listener: JSON.parse(line) });
    });
  });
}

function ctl(dataDir, args, { input, env } = {}) {
  const r = spawnSync(CTL, ["--data-dir", dataDir, "--lang", "en", ...args], {
    input: input ?? "",
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ctlJson(dataDir, args, opts) {
  const r = ctl(dataDir, ["--json", ...args], opts);
  assert.equal(r.code, 0, `huiyictl ${args.join(" ")} failed: ${r.err}`);
  return JSON.parse(r.out);
}

/** `YYYY-MM-DD` of a day `days` ahead, in Shanghai. */
function dayAhead(days) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date(Date.now() + days * 86400000));
}

test("huiyictl books, lists, shows, edits and cancels against huiyi-sim serve", async (t) => {
  const { child, listener } = await startSim();
  const dataDir = await mkdtemp(join(tmpdir(), "huiyi-cli-"));
  t.after(async () => {
    child.kill("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  });
  assert.equal(listener.vendor, "huawei");
  assert.match(listener.base_url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const creds = listener.credentials;

  // The App Key goes in through the environment, never argv.
  const account = ctlJson(
    dataDir,
    ["account", "add", "--vendor", "huawei", "--label", "CLI", "--base-url", listener.base_url,
      "--app-id", creds.app_id, "--user-id", creds.user_id, "--secret-env", "HUAWEI_KEY"],
    { env: { HUAWEI_KEY: creds.app_key } },
  );
  assert.deepEqual(Object.keys(account).sort(),
    ["auth", "base_url", "created_at", "id", "label", "principal", "sandbox", "user_authorization", "vendor", "vendor_name"]);
  assert.equal(account.user_authorization, null, "only Feishu accounts have a user to connect");
  assert.equal(account.vendor, "huawei");
  assert.equal(account.sandbox, false);

  const day = dayAhead(2);
  const booked = ctlJson(dataDir, ["meeting", "create", "--account", account.id, "--subject", "CLI weekly",
    "--start", `${day}T09:30`, "--duration", "45", "--zone", "Asia/Shanghai",
    "--attendee", "name=Zhang San,email=zhang@example.com"]);
  assert.deepEqual(Object.keys(booked).sort(),
    ["attendees", "dial_in", "fetched_at", "guest_password", "has_host_password", "links", "notify", "organizer", "rooms", "summary"]);
  assert.equal(booked.summary.subject, "CLI weekly");
  assert.equal(booked.summary.zone, "Asia/Shanghai");
  // 09:30 in Shanghai is 01:30 UTC; 45 minutes long.
  assert.equal(booked.summary.start, `${day}T01:30:00Z`);
  assert.equal(booked.summary.end, `${day}T02:15:00Z`);
  assert.match(booked.summary.meeting_number, /^\d{9}$/);
  assert.equal(booked.has_host_password, true);
  const hostLinks = booked.links.filter((l) => l.role === "host");
  assert.ok(hostLinks.length > 0 && hostLinks.every((l) => l.url === null), "host links are listed without their URL");
  assert.ok(booked.links.some((l) => l.role === "attendee" && /^https:\/\/.+\/#\/j\/\d{9}\/[0-9a-f]{48}$/.test(l.url)));

  const agenda = ctlJson(dataDir, ["meeting", "list"]);
  assert.deepEqual(agenda.problems, []);
  assert.deepEqual(agenda.meetings.map((m) => m.id), [booked.summary.id]);

  const shown = ctlJson(dataDir, ["meeting", "show", booked.summary.id]);
  assert.equal(shown.attendees[0].email, "zhang@example.com");

  const edited = ctlJson(dataDir, ["meeting", "edit", booked.summary.id, "--subject", "CLI weekly (moved)",
    "--start", `${day}T10:00`]);
  assert.equal(edited.summary.subject, "CLI weekly (moved)");
  assert.equal(edited.summary.start, `${day}T02:00:00Z`);
  assert.equal(edited.summary.end, `${day}T02:45:00Z`, "editing the start keeps the length");

  // Bad input: the field is named, nothing is booked, exit code 2.
  const bad = ctl(dataDir, ["--json", "meeting", "create", "--account", account.id, "--subject", "x",
    "--start", `${day}T11:00`, "--end", `${day}T10:00`, "--zone", "Asia/Shanghai"]);
  assert.equal(bad.code, 2);
  const err = JSON.parse(bad.err);
  assert.equal(err.code, "invalid_input");
  assert.deepEqual(err.fields.map((f) => f.field), ["end"]);

  const cancelled = ctlJson(dataDir, ["meeting", "cancel", booked.summary.id]);
  assert.deepEqual(cancelled, { ok: true, action: "meeting_cancelled", id: booked.summary.id });
  assert.deepEqual(ctlJson(dataDir, ["meeting", "list"]).meetings, []);

  // Human output: both zones shown.
  const human = ctl(dataDir, ["account", "list"]);
  assert.equal(human.code, 0);
  assert.match(human.out, /CLI/);
});

test("huiyictl books a Tencent meeting with an invitee and a room, refuses a taken room, releases it", async (t) => {
  const { child, listener } = await startSim("tencent");
  const dataDir = await mkdtemp(join(tmpdir(), "huiyi-cli-"));
  t.after(async () => {
    child.kill("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  });
  assert.equal(listener.vendor, "tencent");
  const creds = listener.credentials;
  const account = ctlJson(
    dataDir,
    ["account", "add", "--vendor", "tencent", "--label", "Tencent CLI", "--base-url", listener.base_url,
      "--app-id", creds.app_id, "--sdk-id", creds.sdk_id, "--secret-id", creds.secret_id,
      "--operator", creds.userid, "--secret-env", "TENCENT_KEY"],
    { env: { TENCENT_KEY: creds.secret_key } },
  );
  assert.equal(account.vendor, "tencent");

  const rooms = ctlJson(dataDir, ["room", "list", "--account", account.id]);
  assert.deepEqual(rooms.map((r) => r.name).sort(), ["1号会议室", "2号会议室", "Board Room", "前台洽谈室"].sort());
  const human = ctl(dataDir, ["room", "list", "--account", account.id]);
  assert.match(human.out, /前台洽谈室 +\(A座1层, 4 seats, not open for booking\)/);

  const day = dayAhead(3);
  const create = (subject, extra) =>
    ctl(dataDir, ["--json", "meeting", "create", "--account", account.id, "--subject", subject,
      "--start", `${day}T15:00`, "--duration", "60", "--zone", "Asia/Shanghai", ...extra]);
  // A misspelt room books nothing.
  const typo = create("Typo", ["--room", "3号会议室"]);
  assert.equal(typo.code, 2);
  assert.match(JSON.parse(typo.err).message, /3号会议室.*room list/);
  assert.deepEqual(ctlJson(dataDir, ["meeting", "list"]).meetings, []);

  const r = create("Design review", ["--attendee", "name=Colleague One,account=colleague-1", "--room", "Board Room"]);
  assert.equal(r.code, 0, r.err);
  const booked = JSON.parse(r.out);
  assert.deepEqual(booked.rooms.map((x) => [x.name, x.location, x.capacity]), [["Board Room", "B座12层", 20]]);
  assert.ok(booked.attendees.some((a) => a.account === "colleague-1" && a.name === "Colleague One"));

  // Another meeting at the same time cannot have the room: the meeting is booked and shown,
  // the room error says so, exit 1.
  const clash = create("Clash", ["--room", "Board Room"]);
  assert.equal(clash.code, 1);
  const clashMeeting = JSON.parse(clash.out);
  assert.deepEqual(clashMeeting.rooms, []);
  const clashErr = JSON.parse(clash.err);
  assert.equal(clashErr.code, "room_occupied");
  assert.equal(clashErr.vendor_code, "20006");
  assert.match(clashErr.message, new RegExp(`booked \\(${clashMeeting.summary.id}\\), but the room was not: The room is already booked`));

  const released = ctlJson(dataDir, ["room", "release", booked.summary.id, "--room", "Board Room"]);
  assert.deepEqual(released.rooms, []);
  const moved = ctlJson(dataDir, ["room", "book", clashMeeting.summary.id, "--room", "Board Room"]);
  assert.deepEqual(moved.rooms.map((x) => x.name), ["Board Room"]);
  const shown = ctl(dataDir, ["meeting", "show", clashMeeting.summary.id]);
  assert.match(shown.out, /rooms:\n {4}- Board Room \(B座12层, 20 seats\)/);

  for (const m of [booked, clashMeeting]) ctlJson(dataDir, ["meeting", "cancel", m.summary.id]);
  assert.deepEqual(ctlJson(dataDir, ["meeting", "list"]).meetings, []);
});

test("huiyictl books a BizConf meeting with ports, is refused an overlapping one, and cancels", async (t) => {
  const { child, listener } = await startSim("bizconf");
  const dataDir = await mkdtemp(join(tmpdir(), "huiyi-cli-"));
  t.after(async () => {
    child.kill("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  });
  assert.equal(listener.vendor, "bizconf");
  const creds = listener.credentials;
  // A BizConf account takes no --app-id.
  const wrong = ctl(dataDir, ["account", "add", "--vendor", "bizconf", "--label", "x", "--app-id", "a", "--secret-env", "K"],
    { env: { K: "k" } });
  assert.notEqual(wrong.code, 0);
  const account = ctlJson(
    dataDir,
    ["account", "add", "--vendor", "bizconf", "--label", "BizConf CLI", "--base-url", listener.base_url,
      "--site-sign", creds.site_sign, "--user-id", creds.user_id, "--user-name", creds.user_name,
      "--secret-env", "BIZCONF_KEY"],
    { env: { BIZCONF_KEY: creds.api_key } },
  );
  assert.equal(account.vendor, "bizconf");

  const day = dayAhead(4);
  const create = (subject, extra = []) =>
    ctl(dataDir, ["--json", "meeting", "create", "--account", account.id, "--subject", subject,
      "--start", `${day}T12:00`, "--duration", "60", "--zone", "Asia/Shanghai", ...extra]);
  const r = create("Ports review", ["--ports", "15"]);
  assert.equal(r.code, 0, r.err);
  const booked = JSON.parse(r.out);
  // Beijing 12:00 is 04:00 GMT, as the document's own example.
  assert.equal(booked.summary.start, `${day}T04:00:00Z`);
  const urls = booked.links.filter((l) => l.role === "attendee").map((l) => l.url);
  assert.ok(urls.some((u) => u.startsWith("sfcloud://")), urls.join(" "));
  assert.ok(booked.links.filter((l) => l.role === "host").every((l) => l.url === null), "host start links stay hidden");

  // Too many ports is a field error before anything is sent.
  const tooMany = create("Too big", ["--ports", "100000"]);
  assert.equal(tooMany.code, 2);
  assert.deepEqual(JSON.parse(tooMany.err).fields.map((f) => f.field), ["ports"]);

  // One meeting per user per time slot (202).
  const clash = create("Same slot");
  assert.equal(clash.code, 1);
  const err = JSON.parse(clash.err);
  assert.equal(err.code, "time_conflict");
  assert.equal(err.vendor_code, "202");

  const human = ctl(dataDir, ["meeting", "show", booked.summary.id]);
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, /sfcloud:\/\//);

  // Registration: a meeting booked with it takes registrants; one without says so.
  const reg = create("Registered", ["--registration"]);
  assert.equal(reg.code, 1, "same slot as the first: refused, nothing booked");
  const later = ctl(dataDir, ["--json", "meeting", "create", "--account", account.id, "--subject", "Registered",
    "--start", `${day}T14:00`, "--duration", "30", "--zone", "Asia/Shanghai", "--registration"]);
  assert.equal(later.code, 0, later.err);
  const webinar = JSON.parse(later.out);
  const badPerson = ctl(dataDir, ["--json", "meeting", "register", webinar.summary.id, "--name", "王五", "--email", "nope"]);
  assert.equal(badPerson.code, 2);
  assert.deepEqual(JSON.parse(badPerson.err).fields.map((f) => f.field), ["email"]);
  const [person] = ctlJson(dataDir, ["meeting", "register", webinar.summary.id, "--name", "王五", "--email", "wangwu@example.com"]);
  assert.deepEqual([person.name, person.state, person.has_link], ["王五", "approved", true]);
  const people = ctl(dataDir, ["meeting", "registrants", webinar.summary.id]);
  assert.match(people.out, /王五 <wangwu@example\.com>  \(approved\)/);
  assert.doesNotMatch(people.out, /https?:\/\//, "personal links are not printed");
  const off = ctl(dataDir, ["--json", "meeting", "registrants", booked.summary.id]);
  assert.equal(off.code, 1);
  assert.equal(JSON.parse(off.err).vendor_code, "712");
  ctlJson(dataDir, ["meeting", "cancel", webinar.summary.id]);
  ctlJson(dataDir, ["meeting", "cancel", booked.summary.id]);
  assert.deepEqual(ctlJson(dataDir, ["meeting", "list"]).meetings, []);
});

test("huiyictl books a CloudRoom meeting with a password, prints its CRMT join string, and cancels", async (t) => {
  const { child, listener } = await startSim("cloudroom");
  const dataDir = await mkdtemp(join(tmpdir(), "huiyi-cli-"));
  t.after(async () => {
    child.kill("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  });
  assert.equal(listener.vendor, "cloudroom");
  const creds = listener.credentials;
  const account = ctlJson(
    dataDir,
    ["account", "add", "--vendor", "cloudroom", "--label", "CloudRoom CLI",
      "--base-url", listener.base_url + creds.base_path, "--secret-id", creds.secret_id,
      "--user-id", creds.user_id, "--secret-env", "CLOUDROOM_KEY"],
    { env: { CLOUDROOM_KEY: creds.secret_key } },
  );
  assert.equal(account.vendor, "cloudroom");
  assert.deepEqual(account.auth, { method: "cloudroom_api", secret_id: creds.secret_id, user_id: creds.user_id });

  const day = dayAhead(5);
  const create = (password) =>
    ctl(dataDir, ["--json", "meeting", "create", "--account", account.id, "--subject", "CloudRoom CLI",
      "--start", `${day}T16:00`, "--duration", "30", "--zone", "Asia/Shanghai", "--password", password]);
  const bad = create("12a4");
  assert.equal(bad.code, 2);
  assert.deepEqual(JSON.parse(bad.err).fields.map((f) => f.field), ["password"]);
  const r = create("0482");
  assert.equal(r.code, 0, r.err);
  const booked = JSON.parse(r.out);
  assert.equal(booked.guest_password, "0482");
  assert.ok(booked.links.every((l) => !String(l.url).startsWith("CRMT:")), "no join string is kept");

  // The join string alone on stdout, a note on stderr; with --json an object saying it is secret.
  const joined = ctl(dataDir, ["meeting", "join", booked.summary.id, "--app"]);
  assert.equal(joined.code, 0, joined.err);
  assert.match(joined.out, /^CRMT:\S+\n$/);
  assert.match(joined.err, /credential/);
  const joinJson = ctlJson(dataDir, ["meeting", "join", booked.summary.id, "--app"]);
  assert.deepEqual(Object.keys(joinJson).sort(), ["kind", "role", "secret", "url"]);
  assert.deepEqual([joinJson.kind, joinJson.role, joinJson.secret], ["protocol", "attendee", true]);
  assert.match(joinJson.url, /^CRMT:\S+$/);

  ctlJson(dataDir, ["meeting", "cancel", booked.summary.id]);
  assert.deepEqual(ctlJson(dataDir, ["meeting", "list"]).meetings, []);
});

test("huiyictl refuses a secret on the command line", () => {
  const r = spawnSync(CTL, ["account", "add", "--vendor", "huawei", "--label", "x", "--app-id", "a", "--secret", "k"], {
    encoding: "utf8",
  });
  assert.notEqual(r.status, 0);
});

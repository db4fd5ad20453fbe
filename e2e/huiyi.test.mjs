// End-to-end test of the real Huiyi window: the debug binary under Xvfb, driven through
// WebKitWebDriver, with a real Secret Service (see run.sh) and the built-in sandbox as the vendor.
// Runs the whole first-use story once in Chinese and once in English, and saves a screenshot of
// every step to $HUIYI_SCREENSHOT_DIR (default artifacts/screenshots).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Keys, Session, startDriver, waitFor } from "./webdriver.mjs";

const run = promisify(execFile);

/** The window test reads the X clipboard (where Rust's Copy puts text) with xclip, installed by
 * scripts/setup.sh; without it the test cannot see what a Copy button copied, so it fails. */
async function requireXclip() {
  try {
    await run("sh", ["-c", "command -v xclip"]);
  } catch {
    assert.fail("xclip is not installed: the window test reads the clipboard with it (scripts/setup.sh installs it; apt-get install xclip)");
  }
}

/** The text on the X clipboard. */
async function clipboardText() {
  const { stdout } = await run("xclip", ["-selection", "clipboard", "-o"], { timeout: 5000 });
  return stdout;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, "target");
const BIN = process.env.HUIYI_BIN ?? join(TARGET, "debug", "huiyi");
const SHOTS = process.env.HUIYI_SCREENSHOT_DIR ?? join(ROOT, "artifacts", "screenshots");

/** `YYYY-MM-DD` of tomorrow as seen in `zone`. */
function tomorrowIn(zone) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(Date.now() + 24 * 3600 * 1000),
  );
}

async function launch(lang) {
  assert.ok(existsSync(BIN), `no Huiyi binary at ${BIN}; build it with cargo build -p huiyi-desktop`);
  const dataDir = await mkdtemp(join(tmpdir(), `huiyi-e2e-${lang}-`));
  const locale = lang === "zh" ? "zh_CN.UTF-8" : "en_US.UTF-8";
  const env = {
    ...process.env,
    TAURI_WEBVIEW_AUTOMATION: "true",
    HUIYI_DATA_DIR: dataDir,
    LANG: locale,
    LC_ALL: locale,
    HUIYI_KEYRING_SERVICE: `huiyi-e2e-${lang}`,
  };
  delete env.LC_MESSAGES;
  const driver = await startDriver({ env });
  let session;
  try {
    session = await Session.create(driver.base, BIN);
  } catch (e) {
    await driver.stop();
    throw new Error(`${e.message}\n${driver.output()}`);
  }
  return {
    s: session,
    dataDir,
    /** Ends the app; the data dir stays for the caller to inspect and remove. */
    async close() {
      await session.close();
      await driver.stop();
    },
  };
}

/** Picks the booking account whose visible name contains `text` (the select's change event is
 * what the form listens to). */
async function pickAccount(s, text) {
  const picked = await s.exec(
    `const sel = document.querySelector('[data-testid="book-account"]');
     const opt = [...sel.options].find((o) => o.textContent.includes(arguments[0]));
     if (!opt) return [...sel.options].map((o) => o.textContent).join(" | ");
     sel.value = opt.value;
     sel.dispatchEvent(new Event("change", { bubbles: true }));
     return true;`,
    text,
  );
  assert.equal(picked, true, `no booking account named like "${text}" among: ${picked}`);
}

/** Opens the agenda row whose text contains `subject` and waits for its meeting page. */
async function openFromAgenda(s, subject) {
  await s.exec(
    `[...document.querySelectorAll('[data-testid="agenda-row"]')].find((e) => e.innerText.includes(arguments[0])).click();`,
    subject,
  );
  await waitFor(`the meeting page of ${subject}`, async () => (await s.exists("meeting-subject")) && (await s.text("meeting-subject")) === subject, { timeout: 30000 });
}

/** Cancels the open meeting through its confirmation and waits until the refreshed agenda no
 * longer lists it. */
async function cancelOpenMeeting(s, subject) {
  await s.click("meeting-cancel");
  await waitFor("the confirmation", () => s.exec(`return document.querySelector('[data-testid="cancel-dialog"]').open;`));
  await s.click("cancel-dialog-ok");
  await waitFor("the agenda", () => s.exists("agenda"), { timeout: 30000 });
  await waitFor(`${subject} to leave the agenda`, async () => {
    const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="row-subject"]')].map((e) => e.innerText);`);
    const refreshing = await s.exec(`return document.querySelector('[data-testid="agenda-refresh"]').disabled;`);
    return !refreshing && !rows.includes(subject);
  }, { timeout: 30000 });
}

/**
 * After a full scenario, every file the app wrote (SQLite with its WAL, logs, anything else
 * outside the fake vendor's own state in `sandbox/`) is searched for the secrets the fake vendor
 * holds: the sandbox App Key and password, and each meeting's host link and host password, plus
 * `extra` ([kind, value] pairs the test saw, such as CloudRoom join strings). Returns the offending `file: secret kind` pairs.
 */
async function secretsLeakedInto(dataDir, extra = []) {
  const vendor = JSON.parse(await readFile(join(dataDir, "sandbox", "huawei.json"), "utf8"));
  const secrets = [
    ["App Key", vendor.enterprise.app_key],
    ["account password", vendor.enterprise.password],
  ];
  for (const m of Object.values(vendor.meetings)) {
    secrets.push(["host link", m.chair_link], ["host password", m.chair_password]);
  }
  assert.ok(Object.keys(vendor.meetings).length > 0, "the scenario booked at least one meeting");
  // The Tencent fake: its Secret Key and any meeting's host key, wherever they sit in its state.
  const tencentState = join(dataDir, "sandbox", "tencent.json");
  if (existsSync(tencentState)) {
    const walk = (v) => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (k === "secret_key" && typeof x === "string") secrets.push(["Tencent Secret Key", x]);
          else if (k === "host_key" && typeof x === "string") secrets.push(["Tencent host key", x]);
          else walk(x);
        }
      }
    };
    walk(JSON.parse(await readFile(tencentState, "utf8")));
    assert.ok(secrets.some(([kind]) => kind === "Tencent Secret Key"), "the Tencent fake's Secret Key was found");
  }
  // The Feishu fake: its App Secret and every token it issued (tenant, user, refresh).
  const feishuState = join(dataDir, "sandbox", "feishu.json");
  if (existsSync(feishuState)) {
    const fs = JSON.parse(await readFile(feishuState, "utf8"));
    secrets.push(["Feishu App Secret", fs.app.app_secret]);
    for (const tk of fs.tenant_tokens ?? []) secrets.push(["Feishu tenant token", tk.token]);
    for (const tk of Object.keys(fs.user_tokens ?? {})) secrets.push(["Feishu user token", tk]);
    for (const tk of Object.keys(fs.refresh_tokens ?? {})) secrets.push(["Feishu refresh token", tk]);
    assert.ok(fs.app.app_secret, "the Feishu fake's App Secret was found");
  }
  // The CloudRoom fake: the company's Secret Key (and the platform's), each meeting's host link.
  const cloudroomState = join(dataDir, "sandbox", "cloudroom.json");
  if (existsSync(cloudroomState)) {
    const cr = JSON.parse(await readFile(cloudroomState, "utf8"));
    secrets.push(["CloudRoom Secret Key", cr.company.secret_key], ["CloudRoom platform Secret Key", cr.platform.secret_key]);
    for (const m of Object.values(cr.meetings ?? {})) secrets.push(["CloudRoom host code", m.host_code]);
    assert.ok(cr.company.secret_key, "the CloudRoom fake's Secret Key was found");
  }
  secrets.push(...extra);
  const leaks = [];
  const files = (await readdir(dataDir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .filter((f) => !f.startsWith(join(dataDir, "sandbox")));
  assert.ok(files.some((f) => f.endsWith("huiyi.sqlite3")), `the store is among ${files}`);
  assert.ok(files.some((f) => f.endsWith("huiyi.log")), `the log is among ${files}`);
  for (const f of files) {
    const bytes = await readFile(f);
    for (const [kind, value] of secrets) {
      if (value && bytes.includes(Buffer.from(value))) leaks.push(`${f}: ${kind}`);
    }
  }
  return leaks;
}


/**
 * A stand-in for the system browser, for "connect my Feishu user": registered with xdg-mime as
 * the http handler inside run.sh's private XDG dirs, so the page Rust opens with xdg-open lands
 * here. Like the sandbox user would (crates/desk/tests/common answer_in_browser), it loads the
 * authorization page, posts its form with decision=approve and follows the redirect back to
 * Huiyi's loopback listener, but only once `approve()` is called, so the window's waiting state
 * can be looked at first.
 */
async function fakeBrowser() {
  const { HOME = "", XDG_DATA_HOME, XDG_CONFIG_HOME } = process.env;
  // Never a real desktop's handlers: only the throw-away dirs e2e/run.sh made.
  assert.ok(XDG_DATA_HOME && XDG_CONFIG_HOME && XDG_DATA_HOME.startsWith(HOME) && /huiyi-e2e/.test(HOME), "run under e2e/run.sh");
  const dir = await mkdtemp(join(tmpdir(), "huiyi-fake-browser-"));
  const script = join(dir, "browser.mjs");
  await writeFile(
    script,
    `import { appendFileSync, existsSync } from "node:fs";
const dir = ${JSON.stringify(dir)};
const url = process.argv[2];
appendFileSync(dir + "/opened.txt", url + "\\n");
const deadline = Date.now() + 120000;
while (!existsSync(dir + "/approve")) {
  if (Date.now() > deadline) process.exit(1);
  await new Promise((r) => setTimeout(r, 100));
}
const page = await fetch(url);
if (!page.ok) process.exit(2);
const [action, query] = url.split("?");
const decided = await fetch(action, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: query + "&decision=approve",
  redirect: "manual",
});
const back = await fetch(decided.headers.get("location"));
appendFileSync(dir + "/answered.txt", back.status + "\\n");
`,
  );
  const apps = join(XDG_DATA_HOME, "applications");
  await mkdir(apps, { recursive: true });
  const desktop = join(apps, "huiyi-fake-browser.desktop");
  await writeFile(
    desktop,
    `[Desktop Entry]\nType=Application\nName=Huiyi e2e browser\nExec=${process.execPath} ${script} %u\nMimeType=x-scheme-handler/http;\nNoDisplay=true\n`,
  );
  await promisify(execFile)("xdg-mime", ["default", "huiyi-fake-browser.desktop", "x-scheme-handler/http"]);
  const lines = (f) => readFile(join(dir, f), "utf8").then((t) => t.trim().split("\n"), () => []);
  return {
    /** The pages it was asked to open. */
    opened: () => lines("opened.txt"),
    /** The loopback's answers (HTTP statuses) after approving. */
    answered: () => lines("answered.txt"),
    approve: () => writeFile(join(dir, "approve"), ""),
    async remove() {
      await rm(desktop, { force: true });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

for (const lang of ["zh", "en"]) {
  test(`${lang}: first run -> sandbox -> book (bad input first) -> agenda -> meeting -> cancel`, async (t) => {
    // Pictures from an earlier run would be mistaken for this one's.
    for (const f of await readdir(SHOTS).catch(() => [])) {
      if (f.startsWith(`${lang}-`) && f.endsWith(".png")) await rm(join(SHOTS, f));
    }
    const app = await launch(lang);
    const { s } = app;
    let ok = false;
    let step = 0;
    const shot = (name) => s.screenshot(SHOTS, `${lang}-${String(++step).padStart(2, "0")}-${name}`);
    const first = lang === "zh" ? `季度评审 ${Date.now() % 100000}` : `Quarterly review ${Date.now() % 100000}`;
    let subject = first;
    // Secrets this run saw pass by (CloudRoom join strings, host links), for the leak check.
    const seen = [];
    try {
      // 1. First run: a welcome with the sandbox offer, in the OS language.
      await waitFor("the welcome screen", () => s.exists("sandbox-offer"), { timeout: 60000 });
      const offer = await s.text("sandbox-offer");
      assert.match(offer, lang === "zh" ? /沙盒/ : /sandbox/i);
      assert.match(offer, lang === "zh" ? /无需任何账号/ : /no account needed/);
      assert.ok(await s.exists("welcome-add-account"), "the welcome also offers adding an account");
      await shot("welcome");

      // 2. Start the sandbox: the sandbox accounts (Huawei, Tencent, BizConf, Feishu, CloudRoom) appear and the (empty) agenda shows.
      await s.click("start-sandbox");
      await waitFor("the empty agenda", () => s.exists("agenda-empty"), { timeout: 60000 });
      assert.ok(await s.exists("header-sandbox"), "the header says the sandbox is in use");
      await shot("agenda-empty");

      const settings = await s.execAsync(
        "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('settings').then(done, (e) => done({ error: e }));",
      );
      assert.equal(settings.lang, lang, "the UI language follows the OS locale");
      // The page may call Huiyi's commands only: opening URLs or reading the clipboard from the
      // web view is refused by the capability file (Rust does those itself).
      for (const [cmd, args] of [
        ["plugin:opener|open_url", { url: "https://example.com/" }],
        ["plugin:clipboard-manager|read_text", {}],
      ]) {
        const r = await s.execAsync(
          `const done = arguments[arguments.length - 1];
           window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(() => done("allowed"), (e) => done(String(e)));`,
          cmd,
          args,
        );
        assert.notEqual(r, "allowed", `${cmd} must be refused`);
        assert.match(r, /not allowed|denied|forbidden/i, `${cmd}: ${r}`);
      }
      // A meeting zone different from this computer's, so both times must be shown.
      const zone = settings.local_zone === "Asia/Shanghai" ? "Europe/London" : "Asia/Shanghai";
      const date = tomorrowIn(zone);

      // 3. Booking form, first with the end before the start.
      await s.click("agenda-book");
      await waitFor("the booking form", () => s.exists("booking-form"));
      assert.equal(await s.value("zone-input"), settings.local_zone, "the zone defaults to the computer's");
      await pickAccount(s, lang === "zh" ? "华为云会议" : "Huawei Cloud Meeting");
      await waitFor("Huawei's notice switches", async () => !(await s.exec(`return document.querySelector('[data-testid="notify-email"]').disabled;`)));
      await shot("book-empty");
      await s.fill("book-subject", subject);
      await s.fill("book-date", date);
      await s.fill("book-start", "10:00");
      await s.fill("book-end", "09:00");
      await s.fill("zone-input", zone);
      await s.keys("zone-input", Keys.Escape);
      await s.click("book-submit");
      await waitFor("the error next to the end field", () => s.exists("field-error-end"));
      const endError = await s.text("field-error-end");
      assert.match(endError, lang === "zh" ? /结束时间必须晚于开始时间/ : /end must be after the start/i);
      assert.equal(await s.value("book-subject"), subject, "the typed subject survives the error");
      assert.equal(await s.value("book-date"), date);
      assert.equal(await s.value("zone-input"), zone);
      const near = await s.exec(`
        const input = document.querySelector('[data-testid="book-end"]');
        const err = document.querySelector('[data-testid="field-error-end"]');
        const a = input.getBoundingClientRect(), b = err.getBoundingClientRect();
        return {
          invalid: input.getAttribute('aria-invalid'),
          described: (input.getAttribute('aria-describedby') || '').split(' ').includes(err.id),
          gap: b.top - a.bottom,
        };`);
      assert.equal(near.invalid, "true", "the end input is marked invalid");
      assert.ok(near.described, "the end input is described by its error");
      assert.ok(near.gap >= 0 && near.gap < 60, `the error sits right below the end field (gap ${near.gap}px)`);
      assert.equal(await s.exists("field-error-subject"), false, "no error on the valid subject");
      await shot("book-end-before-start");

      // 4. Fix it: 45 minutes, one attendee with an email; Enter submits the form.
      await s.click("book-mode-duration");
      await s.fill("book-duration", "45");
      await s.click("add-attendee");
      await s.fill("att-0-name", lang === "zh" ? "张三" : "Alice Zhang");
      await s.fill("att-0-email", "alice@example.com");
      await shot("book-filled");
      await s.keys("att-0-email", Keys.Enter);
      await waitFor("the booked meeting", async () => (await s.text("meeting-subject")) === subject, { timeout: 30000 });

      // 5. The meeting view: both zones, the attendee link, and no host URL anywhere in the DOM.
      const zoneTime = await s.text("meeting-zone-time");
      assert.ok(zoneTime.includes(zone), `meeting zone shown: ${zoneTime}`);
      assert.ok(zoneTime.includes("10:00") && zoneTime.includes("10:45"), `10:00-10:45 in the meeting zone: ${zoneTime}`);
      const localTime = await s.text("meeting-local-time");
      assert.ok(localTime.includes(settings.local_zone), `local zone shown: ${localTime}`);
      const link = await s.text("attendee-link-url");
      assert.match(link, /^https:\/\/.+\/#\/j\/\d+\/[0-9a-f]+$/, `attendee link: ${link}`);
      const html = await s.exec("return document.documentElement.outerHTML;");
      assert.equal(html.split("/#/j/").length - 1, 1, "exactly one join URL in the DOM: the attendee's");
      assert.ok(html.includes(link));
      assert.ok(await s.exists("copy-host-link"), "host link actions exist (without the URL)");
      assert.match(await s.text("meeting-attendees"), /alice@example\.com/);
      assert.ok(await s.exists("sandbox-badge"), "the meeting is labelled sandbox");
      await shot("meeting");

      // Copying happens in Rust; the page only hears that it worked.
      await s.click("copy-host-link");
      await waitFor("the copied notice", () => s.exists("toast"));
      assert.equal(await s.exists("meeting-action-error"), false, await s.text("meeting-action-error"));
      const after = await s.exec("return document.documentElement.outerHTML;");
      assert.equal(after.split("/#/j/").length - 1, 1, "copying the host link put nothing in the DOM");

      // 6. Edit: the form comes back filled in; a new subject is saved at the vendor.
      await s.click("meeting-edit");
      await waitFor("the prefilled edit form", async () => (await s.value("book-subject")) === subject);
      assert.equal(await s.value("zone-input"), zone, "the edit form keeps the meeting zone");
      assert.equal(await s.value("book-date"), date);
      assert.equal(await s.value("book-start"), "10:00");
      assert.equal(await s.value("att-0-email"), "alice@example.com");
      subject = `${first} (${lang === "zh" ? "改" : "moved"})`;
      await s.fill("book-subject", subject);
      await shot("edit");
      await s.keys("book-subject", Keys.Enter);
      await waitFor("the edited meeting", async () => (await s.text("meeting-subject")) === subject, { timeout: 30000 });

      // 7. Back in the agenda, the meeting is listed with both times.
      await s.click("meeting-back");
      await waitFor("the meeting in the agenda", async () => (await s.text("row-subject")) === subject, { timeout: 30000 });
      await waitFor("the refresh to finish", async () => (await s.text("agenda-refresh")) === (lang === "zh" ? "刷新" : "Refresh"));
      const row = await s.text("agenda-row");
      assert.ok(row.includes(lang === "zh" ? "华为云会议" : "Huawei Cloud Meeting"), row);
      assert.ok((await s.text("row-meeting-zone")).includes("10:00"), "the row shows the meeting-zone time");
      await shot("agenda-with-meeting");

      // 8. Open it and cancel it (with confirmation); it leaves the agenda.
      await s.click("agenda-row");
      await waitFor("the meeting view", async () => (await s.text("meeting-subject")) === subject);
      const dialogOpen = () => s.exec(`return document.querySelector('[data-testid="cancel-dialog"]').open;`);
      await s.click("meeting-cancel");
      await waitFor("the confirmation", dialogOpen);
      // Esc closes it and nothing is cancelled; the safe button had the focus.
      assert.equal(await s.exec("return document.activeElement.dataset.testid;"), "cancel-dialog-keep");
      await s.keys("cancel-dialog-keep", Keys.Escape);
      await waitFor("the dialog to close", async () => !(await dialogOpen()));
      assert.equal(await s.text("meeting-state"), lang === "zh" ? "待开始" : "Scheduled");
      await s.click("meeting-cancel");
      await waitFor("the confirmation again", dialogOpen);
      await shot("cancel-confirm");
      await s.keys("cancel-dialog-keep", Keys.Escape);
      await waitFor("the dialog to close", async () => !(await dialogOpen()));
      await cancelOpenMeeting(s, subject);
      await shot("agenda-after-cancel");

      if (lang === "en") {
        // 8b. The Tencent sandbox: book on it, see it in the agenda, open it (meeting code), cancel it.
        const tsubject = `Tencent sync ${Date.now() % 100000}`;
        // The Huawei cancellation's notice would otherwise sit in every picture of this part.
        await waitFor("the previous notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
        await s.click("agenda-book");
        await waitFor("the booking form", () => s.exists("booking-form"));
        await pickAccount(s, "Tencent Meeting");
        // Tencent sends no notices itself: every switch is off, disabled, and says why.
        await waitFor("the notice switches disabled", () =>
          s.exec(`return ["email", "sms", "calendar"].every((k) => {
            const el = document.querySelector('[data-testid="notify-' + k + '"]');
            return el.disabled && !el.checked;
          });`),
        );
        assert.match(await s.exec(`return document.querySelector('.notify').innerText;`), /Tencent Meeting/);
        assert.match(await s.text("book-tencent-people"), /userid/, "how Tencent invites people is explained");
        await s.fill("book-subject", tsubject);
        await s.fill("book-date", date);
        await s.fill("book-start", "14:00");
        await s.fill("book-end", "14:30");
        await s.fill("zone-input", zone);
        await s.keys("zone-input", Keys.Escape);
        await s.click("add-attendee");
        await s.fill("att-0-name", "Li Si");
        await s.fill("att-0-phone", "+8613800138000");
        // An invitee from the enterprise, by userid.
        await s.click("add-attendee");
        await s.fill("att-1-name", "Colleague One");
        await s.fill("att-1-account", "colleague-1");
        // A Tencent Meeting Rooms room, from the sandbox enterprise's rooms.
        await waitFor("the room list", () => s.exists("room-list"), { timeout: 30000 });
        const roomState = () =>
          s.exec(`return Object.fromEntries([...document.querySelectorAll('[data-testid="room-option"]')].map((e) => [e.dataset.roomName, { checked: e.checked, disabled: e.disabled }]));`);
        const rooms = await roomState();
        assert.deepEqual(Object.keys(rooms).sort(), ["1号会议室", "2号会议室", "Board Room", "前台洽谈室"].sort());
        assert.ok(rooms["前台洽谈室"].disabled, "a room closed for booking cannot be ticked");
        assert.match(await s.text("room-picker"), /not open for booking/);
        await s.exec(`document.querySelector('[data-testid="room-option"][data-room-name="1号会议室"]').click();`);
        await waitFor("the room ticked", async () => (await roomState())["1号会议室"].checked);
        await shot("tencent-book-filled");
        await s.exec(`document.querySelector('[data-testid="book-rooms"]').scrollIntoView({ block: "center" });`);
        await shot("tencent-book-rooms");
        await s.click("book-submit");
        await waitFor("the booked Tencent meeting", async () => (await s.text("meeting-subject")) === tsubject, { timeout: 30000 });
        const code = await s.text("meeting-number");
        assert.match(code, /^\d{3} \d{3} \d{3}$/, `the meeting code, grouped as Tencent shows it: ${code}`);
        assert.match(await s.exec(`return document.querySelector('[data-testid="meeting-number"]').parentElement.innerText;`), /Meeting code/);
        assert.ok(await s.exists("sandbox-badge"), "the meeting is labelled sandbox");
        await waitFor("the booked room on the meeting", async () =>
          (await s.exists("meeting-room")) && /1号会议室/.test(await s.text("meeting-room-list")),
        );
        assert.match(await s.text("meeting-room-list"), /A座3层 · 8 seats/, "where the room is and its seats");
        const people = await s.text("meeting-attendees");
        assert.match(people, /Colleague One/, `the invitee reads back from Tencent, under the name given: ${people}`);
        assert.match(people, /Li Si/, `the guest reads back from Tencent: ${people}`);
        await shot("tencent-meeting");

        await s.click("meeting-back");
        await waitFor("the Tencent meeting in the agenda", async () => {
          const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="agenda-row"]')].map((e) => e.innerText);`);
          return rows.some((r) => r.includes(tsubject) && r.includes("Tencent Meeting"));
        }, { timeout: 30000 });
        await waitFor("the refresh to finish", async () => (await s.text("agenda-refresh")) === "Refresh");
        await shot("tencent-agenda");

        await openFromAgenda(s, tsubject);
        assert.equal((await s.text("meeting-number")).replace(/ /g, ""), code.replace(/ /g, ""), "the same meeting code");
        await cancelOpenMeeting(s, tsubject);
        await shot("tencent-agenda-after-cancel");
      }

      if (lang === "zh") {
        // 8c. BizConf (会畅) in Chinese: the free ports show before submitting; booked with
        // ports; its sfcloud:// app link and web link; a second meeting at the same time is
        // warned of before it is submitted (BizConf refuses overlaps); cancel.
        const bsubject = `会畅评审 ${Date.now() % 100000}`;
        await waitFor("the previous notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
        const fillBizconf = async (subject) => {
          await s.click("agenda-book");
          await waitFor("the booking form", () => s.exists("booking-form"));
          await pickAccount(s, "会畅");
          await waitFor("the ports field", () => s.exists("book-ports"));
          await s.fill("book-subject", subject);
          await s.fill("book-date", date);
          await s.fill("book-start", "15:00");
          await s.fill("book-end", "16:00");
          await s.fill("zone-input", zone);
          await s.keys("zone-input", Keys.Escape);
          await s.fill("book-ports", "10");
        };
        await fillBizconf(bsubject);
        // Attendees register first; each gets a personal link.
        await s.click("book-registration-label");
        assert.equal(await s.exec(`return document.querySelector('[data-testid="book-registration"]').checked;`), true);
        await waitFor("the free ports at that time", () => s.exists("book-check-ports"), { timeout: 30000 });
        assert.match(await s.text("book-check-ports"), /该时段还有 \d+ 方空闲/);
        assert.equal(await s.exists("book-check-overlap"), false, "nothing else at that time yet");
        await shot("bizconf-book-filled");
        await s.click("book-submit");
        await waitFor("the booked BizConf meeting", async () => (await s.exists("meeting-subject")) && (await s.text("meeting-subject")) === bsubject, { timeout: 30000 });
        assert.match(await s.text("app-link-url"), /^sfcloud:\/\//, "the BizConf app link");
        assert.match(await s.text("attendee-link-url"), /^https:\/\//, "the web link");
        assert.match(await s.text("app-link"), /会畅客户端链接/);
        // Registration: nobody yet; a bad email is named; then 王五 is registered and listed.
        await waitFor("the empty registrant list", () => s.exists("registrants-none"), { timeout: 30000 });
        await s.fill("reg-name", "王五");
        await s.fill("reg-email", "wangwu");
        await s.click("registrant-submit");
        await waitFor("the email error", () => s.exists("field-error-email"));
        await s.fill("reg-email", "wangwu@example.com");
        await s.click("registrant-submit");
        await waitFor("the registrant listed", async () => (await s.exists("registrant")) && /王五/.test(await s.text("registrant-list")), { timeout: 30000 });
        assert.match(await s.text("registrant"), /wangwu@example\.com/);
        assert.match(await s.text("registrant"), /已通过/);
        assert.ok(await s.exists("copy-registrant-link"), "the personal link can be copied");
        await s.exec(`document.querySelector('[data-testid="registrants"]').scrollIntoView({ block: "center" });`);
        await shot("bizconf-meeting");
        // Back under the sticky header: the back link is at the top.
        await s.exec("window.scrollTo(0, 0);");

        await s.click("meeting-back");
        await waitFor("the agenda", () => s.exists("agenda"));
        await fillBizconf("同一时间的另一个会");
        await waitFor("the overlap warning, before submitting", () => s.exists("book-check-overlap"), { timeout: 30000 });
        const warning = await s.text("book-check-overlap");
        assert.match(warning, /同一账号同一时间只能有一个会议/, warning);
        assert.ok(warning.includes(bsubject), `the warning names the meeting in the way: ${warning}`);
        await waitFor("the ports left then", async () => /还有 \d+ 方空闲/.test(await s.text("book-check-ports")));
        await shot("bizconf-overlap-warning");
        // Another hour clears the warning.
        await s.fill("book-start", "17:00");
        await s.fill("book-end", "18:00");
        await waitFor("the warning to go", async () => !(await s.exists("book-check-overlap")), { timeout: 30000 });
        await s.click("book-cancel");
        await waitFor("the agenda", () => s.exists("agenda"));

        await waitFor("the BizConf meeting in the agenda", async () => {
          const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="row-subject"]')].map((e) => e.innerText);`);
          return rows.includes(bsubject);
        }, { timeout: 30000 });
        await openFromAgenda(s, bsubject);
        await cancelOpenMeeting(s, bsubject);
      }


      // 8d. Feishu VC: book on the Feishu sandbox account (it books for its user with the app's
      // token, so no user needs connecting), see the notes on what Feishu keeps and whom it
      // takes, both join links, then cancel it.
      {
        const fsubject = lang === "zh" ? `飞书周会 ${Date.now() % 100000}` : `Feishu sync ${Date.now() % 100000}`;
        const fsVendor = lang === "zh" ? "飞书视频会议" : "Feishu VC";
        await waitFor("the previous notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
        const accounts = await s.execAsync(
          "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('accounts').then(done, (e) => done({ error: e }));",
        );
        const fsAccount = accounts.find((a) => a.vendor === "feishu");
        assert.ok(fsAccount, `a Feishu sandbox account among ${accounts.map((a) => a.label)}`);
        assert.equal(fsAccount.auth.method, "feishu_app");
        assert.match(fsAccount.auth.owner ?? "", /^ou_/, "the sandbox books for its user, by open_id");
        await s.click("agenda-book");
        await waitFor("the booking form", () => s.exists("booking-form"));
        await pickAccount(s, fsVendor);
        await waitFor("Feishu's keeps-only-the-end note", () => s.exists("book-keeps-only-end"));
        assert.match(await s.text("book-keeps-only-end"), lang === "zh" ? /只保存结束时间/ : /keeps only the end/);
        assert.match(await s.text("book-feishu-people"), /open_id/, "Feishu takes hosts by open_id only");
        assert.equal(await s.exists("book-feishu-needs-user"), false, "the sandbox account has an owner: no user needed");
        assert.equal(await s.exists("book-tencent-people"), false, "Tencent's note went with Tencent");
        await s.fill("book-subject", fsubject);
        await s.fill("book-date", date);
        await s.fill("book-start", "11:00");
        await s.fill("book-end", "12:00");
        await s.fill("zone-input", zone);
        await s.keys("zone-input", Keys.Escape);
        // The owner as host, by open_id (Feishu's only kind of attendee).
        await s.click("add-attendee");
        await s.fill("att-0-name", lang === "zh" ? "沙盒用户" : "Sandbox user");
        await s.fill("att-0-account", fsAccount.auth.owner);
        await s.click("att-0-host");
        await shot("feishu-book-filled");
        await s.click("book-submit");
        await waitFor("the booked Feishu meeting", async () => (await s.exists("meeting-subject")) && (await s.text("meeting-subject")) === fsubject, { timeout: 30000 });
        assert.equal(await s.exists("book-error"), false);
        const zoneTime = await s.text("meeting-zone-time");
        assert.ok(zoneTime.includes("11:00") && zoneTime.includes("12:00"), `the planned 11:00-12:00 in the meeting zone: ${zoneTime}`);
        await waitFor("the keeps-only-the-end note on the meeting", () => s.exists("meeting-keeps-only-end"));
        assert.match(await s.text("meeting-keeps-only-end"), lang === "zh" ? /会易中计划的时间/ : /planned in Huiyi/);
        assert.match(await s.text("attendee-link-url"), /^https:\/\/vc\.feishu\.cn\/j\/\d+$/, "the Feishu web link");
        assert.match(await s.text("app-link-url"), /^https:\/\/applink\.feishu\.cn\//, "the Feishu app link");
        assert.equal(await s.text("open-app-link"), lang === "zh" ? "在飞书中打开" : "Open in Feishu app");
        assert.match(await s.text("meeting-number"), /^\d{9}$/, "the Feishu meeting number");
        assert.ok(await s.exists("sandbox-badge"), "the meeting is labelled sandbox");
        // The join switches travel in the app link: off by default, the link changes when one is turned on.
        assert.match(await s.text("app-link-url"), /mic=0/, "the microphone is off by default");
        await s.click("join-pref-mic");
        await waitFor("the app link with the microphone on", async () => /mic=1/.test(await s.text("app-link-url")), { timeout: 30000 });
        await s.click("join-pref-mic");
        await waitFor("the app link with the microphone off again", async () => /mic=0/.test(await s.text("app-link-url")), { timeout: 30000 });
        assert.equal(await s.exists("join-prefs-error"), false);
        await shot("feishu-meeting");

        await s.click("meeting-back");
        await waitFor("the Feishu meeting in the agenda", async () => {
          const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="agenda-row"]')].map((e) => e.innerText);`);
          return rows.some((r) => r.includes(fsubject) && r.includes(fsVendor));
        }, { timeout: 30000 });
        await waitFor("the refresh to finish", async () => !(await s.exec(`return document.querySelector('[data-testid="agenda-refresh"]').disabled;`)));
        await openFromAgenda(s, fsubject);
        assert.ok(await s.exists("app-link"), "both links again when opened from the agenda");
        await cancelOpenMeeting(s, fsubject);
      }

      // 8e. CloudRoom (云屋): the booking form asks for a meeting password (4-6 digits) and
      // says people are invited by CloudRoom user id; a bad password and an invitee without
      // one are refused in place, then it is booked with the fake's second user invited. The
      // meeting page shows the guest password and a "CloudRoom app" block whose button makes
      // Rust fetch a CRMT join string (a credential) onto the clipboard, never into the page.
      {
        const csubject = lang === "zh" ? `云屋评审 ${Date.now() % 100000}` : `CloudRoom review ${Date.now() % 100000}`;
        const crVendor = lang === "zh" ? "云屋" : "CloudRoom";
        await waitFor("the previous notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
        const crStateFile = join(app.dataDir, "sandbox", "cloudroom.json");
        const crState = JSON.parse(await readFile(crStateFile, "utf8"));
        const invitee = crState.users.find((u) => u.id !== crState.creator_id);
        assert.ok(invitee, "the CloudRoom fake has a second user");
        await s.click("agenda-book");
        await waitFor("the booking form", () => s.exists("booking-form"));
        await pickAccount(s, crVendor);
        await waitFor("the meeting password field", () => s.exists("book-password"));
        assert.equal(await s.exec(`return document.querySelector('[data-testid="book-password"]').inputMode;`), "numeric");
        assert.match(await s.text("booking-form"), lang === "zh" ? /4–6 位数字/ : /4–6 digits/, "the password's digits are in its hint");
        assert.match(await s.text("book-needs-account"), lang === "zh" ? /云屋用户 ID/ : /CloudRoom user ID/, "how CloudRoom invites people is explained");
        assert.equal(await s.exists("book-feishu-people"), false, "Feishu's note went with Feishu");
        assert.equal(await s.value("book-password"), "", "no password until one is typed");
        await s.fill("book-subject", csubject);
        await s.fill("book-date", date);
        await s.fill("book-start", "16:00");
        await s.fill("book-end", "17:00");
        await s.fill("zone-input", zone);
        await s.keys("zone-input", Keys.Escape);
        await s.click("add-attendee");
        await s.fill("att-0-name", invitee.name);
        await s.fill("book-password", "12a4");
        await s.click("book-submit");
        await waitFor("the password error", () => s.exists("field-error-password"));
        assert.match(await s.text("field-error-password"), lang === "zh" ? /4–6 位数字/ : /4 to 6 digits/);
        await waitFor("the invitee's missing user id", () => s.exists("field-error-attendees.0.account"));
        assert.match(await s.text("field-error-attendees.0.account"), lang === "zh" ? /用户 ID/ : /user ID/);
        assert.equal(await s.exec(`return document.querySelector('[data-testid="book-password"]').getAttribute("aria-invalid");`), "true");
        assert.equal(await s.value("book-subject"), csubject, "the subject survives the errors");
        assert.equal(Object.keys(JSON.parse(await readFile(crStateFile, "utf8")).meetings).length, 0, "nothing was sent to CloudRoom");
        await s.exec(`document.querySelector('[data-testid="book-password"]').scrollIntoView({ block: "center" });`);
        await shot("cloudroom-book-errors");
        await s.fill("att-0-account", String(invitee.id));
        await s.fill("book-password", "0482");
        for (const f of ["password", "attendees.0.account", "attendees.0"]) {
          assert.equal(await s.exists(`field-error-${f}`), false, `the ${f} error went once it was retyped`);
        }
        // From the account chosen down to the invitee (the window scrolls under the sticky header).
        await s.exec(`const a = document.querySelector('[data-testid="book-account"]'); window.scrollTo(0, a.getBoundingClientRect().top + window.scrollY - 100);`);
        await shot("cloudroom-book-filled");
        await s.click("book-submit");
        await waitFor("the booked CloudRoom meeting", async () => (await s.exists("meeting-subject")) && (await s.text("meeting-subject")) === csubject, { timeout: 30000 });
        assert.equal(await s.exists("book-error"), false);
        const number = await s.exec(`return document.querySelector('[data-testid="meeting-number"]').dataset.number;`);
        const booked = Object.values(JSON.parse(await readFile(crStateFile, "utf8")).meetings).find((m) => String(m.conf_id) === number);
        assert.ok(booked, `CloudRoom holds meeting ${number}`);
        assert.deepEqual(booked.invitee_ids, [invitee.id], "the invitee, by CloudRoom user id");
        assert.equal(booked.password, "0482", "the password, leading zero kept");
        seen.push(["CloudRoom host link", `www.cloudroom.com/${booked.host_code}`]);
        assert.equal(await s.text("meeting-guest-password"), "0482");
        assert.ok((await s.text("meeting-attendees")).includes(invitee.name), "the invitee is listed");
        assert.ok(await s.exists("sandbox-badge"), "the meeting is labelled sandbox");
        assert.match(await s.text("attendee-link-url"), /^https?:\/\//, "the web link");
        await waitFor("the CloudRoom app block", () => s.exists("app-join"));
        assert.match(await s.text("app-join"), lang === "zh" ? /云屋客户端/ : /CloudRoom app/);
        assert.match(await s.text("app-join-hint"), lang === "zh" ? /浏览器地址栏/ : /browser's address bar/);
        assert.equal(await s.text("copy-join-string"), lang === "zh" ? "复制入会串" : "Copy join string");
        assert.equal(await s.exists("app-link"), false, "no app link URL is shown for CloudRoom");
        await waitFor("the previous notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
        await shot("cloudroom-meeting");

        // Join in the app: a fresh CRMT string on the clipboard for each click, none in the page.
        await requireXclip();
        const before = await clipboardText().catch(() => "");
        assert.ok(!before.startsWith("CRMT:"), "no join string on the clipboard yet");
        const joinStrings = [];
        for (let i = 0; i < 2; i++) {
          await waitFor("the previous notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
          await s.click("copy-join-string");
          await waitFor("the copied notice", () => s.exists("toast"), { timeout: 30000 });
          assert.equal(await s.exists("meeting-action-error"), false, await s.text("meeting-action-error"));
          assert.match(await s.text("toast"), lang === "zh" ? /入会串已复制/ : /Join string copied/);
          const crmt = await waitFor("a CRMT string on the clipboard", async () => {
            const c = await clipboardText();
            return c.startsWith("CRMT:") && !joinStrings.includes(c) ? c : null;
          }, { timeout: 10000 });
          joinStrings.push(crmt);
          seen.push(["CloudRoom join string", crmt]);
          const payload = Buffer.from(crmt.slice("CRMT:".length), "base64").toString("utf8");
          assert.match(payload, new RegExp(`-CONFID=${number}\\b`), `the join string is for this meeting: ${payload.replace(/MGRACNT=[^\n]*/, "MGRACNT=…")}`);
          const html = await s.exec("return document.documentElement.outerHTML;");
          assert.ok(!html.includes("CRMT") && !html.includes(crmt.slice(5, 40)), "the join string never reaches the page");
        }
        assert.notEqual(joinStrings[0], joinStrings[1], "each click mints a new join string (never cached)");
        await shot("cloudroom-join-copied");

        await s.click("meeting-back");
        await waitFor("the CloudRoom meeting in the agenda", async () => {
          const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="agenda-row"]')].map((e) => e.innerText);`);
          return rows.some((r) => r.includes(csubject) && r.includes(crVendor));
        }, { timeout: 30000 });
        await waitFor("the refresh to finish", async () => !(await s.exec(`return document.querySelector('[data-testid="agenda-refresh"]').disabled;`)));
        await openFromAgenda(s, csubject);
        assert.equal(await s.text("meeting-guest-password"), "0482");
        assert.ok(await s.exists("copy-join-string"), "the join button again when opened from the agenda");
        // The edit form comes back with the password.
        await s.click("meeting-edit");
        await waitFor("the prefilled edit form", async () => (await s.value("book-subject")) === csubject);
        await waitFor("the password prefilled", async () => (await s.value("book-password")) === "0482");
        const accountsInForm = await s.exec(`return [...document.querySelectorAll('[data-testid$="-account"][id^="att-"]')].map((e) => e.value);`);
        assert.ok(accountsInForm.includes(String(invitee.id)), `the invitee's user id in the edit form: ${accountsInForm}`);
        await s.click("book-cancel");
        await waitFor("the meeting page again", async () => (await s.exists("meeting-subject")) && (await s.text("meeting-subject")) === csubject, { timeout: 30000 });
        await cancelOpenMeeting(s, csubject);
        const after = JSON.parse(await readFile(crStateFile, "utf8"));
        assert.equal(Object.values(after.meetings).some((m) => String(m.conf_id) === number), false, "deleted at CloudRoom");
      }

      // 9. Accounts: the sandbox account is labelled; the add form is there for a real one.
      await s.click("nav-accounts");
      await waitFor("the account list", () => s.exists("account-row"));
      assert.match(await s.text("account-row"), lang === "zh" ? /沙盒/ : /Sandbox/);
      // The Feishu sandbox account says where its user's authorization stands.
      await waitFor("the Feishu user's state", () => s.exists("feishu-user-state"));
      assert.equal(await s.text("feishu-user-state"), lang === "zh" ? "未连接" : "Not connected");
      assert.equal(await s.exists("feishu-redirect-uri"), false, "no redirect URL to register for the sandbox");
      assert.ok(await s.exists("feishu-connect"), "the user can be connected");
      assert.match(await s.text("feishu-user-purpose"), /ou_/, "the row says whom the app books for");
      // The meeting's cancellation notice would otherwise sit in the pictures of this part.
      await waitFor("the previous notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
      await s.exec(`document.querySelector('[data-testid="feishu-user"]').closest('li').scrollIntoView({ block: "center" });`);
      await shot("accounts-feishu-user");
      await s.exec("window.scrollTo(0, 0);");

      if (lang === "en") {
        // 9a. Connect the Feishu sandbox user from the window: Rust opens the authorization page
        // in "the browser" (the fake one above); the row waits with Open again / Copy link /
        // Cancel; a cancelled connection leaves it not connected, without an error; an approved
        // one connects it; Disconnect (after a confirmation) forgets it.
        const browser = await fakeBrowser();
        try {
          await s.click("feishu-connect");
          await waitFor("the waiting state", () => s.exists("feishu-user-waiting"));
          await waitFor("the authorization page to be opened", async () => (await browser.opened()).length === 1, { timeout: 15000 });
          assert.match((await browser.opened())[0], /^http:\/\/127\.0\.0\.1:\d+\/open-apis\/authen\/v1\/authorize\?/);
          assert.match(await s.text("feishu-user-waiting"), /Waiting for your approval in the browser/);
          for (const b of ["feishu-open-again", "feishu-copy-link", "feishu-cancel-connect"]) assert.ok(await s.exists(b), b);
          await shot("accounts-feishu-waiting");
          await s.click("feishu-cancel-connect");
          await waitFor("the wait to end", async () => !(await s.exists("feishu-user-waiting")), { timeout: 15000 });
          assert.equal(await s.text("feishu-user-state"), "Not connected");
          assert.equal(await s.exists("feishu-connect-error"), false, "cancelling is not an error");

          await s.click("feishu-connect");
          await waitFor("the waiting state again", () => s.exists("feishu-user-waiting"));
          await waitFor("the page opened again", async () => (await browser.opened()).length === 2, { timeout: 15000 });
          await browser.approve();
          await waitFor("the user connected", async () => (await s.text("feishu-user-state")) === "Connected", { timeout: 30000 });
          assert.ok((await browser.answered()).includes("200"), `Huiyi's loopback answered the browser: ${await browser.answered()}`);
          assert.match(await s.text("feishu-user-until"), /renewable until/);
          assert.equal(await s.exists("feishu-connect-error"), false);
          await waitFor("the connected notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
          await s.exec(`document.querySelector('[data-testid="feishu-user"]').closest('li').scrollIntoView({ block: "center" });`);
          await shot("accounts-feishu-connected");

          const disconnectOpen = () => s.exec(`return document.querySelector('[data-testid="feishu-disconnect-dialog"]').open;`);
          await s.click("feishu-disconnect");
          await waitFor("the disconnect confirmation", disconnectOpen);
          assert.equal(await s.exec("return document.activeElement.dataset.testid;"), "feishu-disconnect-dialog-keep");
          await s.keys("feishu-disconnect-dialog-keep", Keys.Escape);
          await waitFor("the dialog to close", async () => !(await disconnectOpen()));
          assert.equal(await s.text("feishu-user-state"), "Connected", "Esc disconnects nothing");
          await s.click("feishu-disconnect");
          await waitFor("the disconnect confirmation again", disconnectOpen);
          await s.click("feishu-disconnect-dialog-ok");
          await waitFor("the user disconnected", async () => (await s.text("feishu-user-state")) === "Not connected", { timeout: 15000 });
          await s.exec("window.scrollTo(0, 0);");
        } finally {
          await browser.remove();
        }
      }
      await s.click("accounts-add");
      await waitFor("the add-account form", () => s.exists("add-account-form"));
      await s.fill("acct-app-id", "   ");
      await s.click("acct-submit");
      for (const field of ["label", "app_id", "app_key"]) {
        await waitFor(`the ${field} error`, () => s.exists(`field-error-${field}`));
      }
      assert.equal(await s.exists("field-error-base_url"), false, "an empty server address means the official one");
      await shot("accounts-add-errors");
      // The Tencent fields, with their own errors (the SDK ID may stay empty).
      await s.click("acct-vendor-tencent");
      await waitFor("the Tencent fields", () => s.exists("acct-tc-secret-id"));
      assert.equal(await s.exists("field-error-app_key"), false, "Huawei's errors went with Huawei's fields");
      assert.equal(await s.exec(`return document.querySelector('[data-testid="acct-tc-secret-key"]').type;`), "password");
      await s.fill("acct-label", lang === "zh" ? "深圳办公室" : "Shenzhen office");
      await s.click("acct-submit");
      for (const field of ["app_id", "secret_id", "secret_key", "operator"]) {
        await waitFor(`the Tencent ${field} error`, () => s.exists(`field-error-${field}`));
      }
      assert.equal(await s.exists("field-error-sdk_id"), false, "the SDK ID is optional");
      assert.equal(await s.exists("field-error-label"), false, "the label was given");
      await shot("accounts-add-tencent-errors");
      // CloudRoom: Secret ID and Secret Key (a password field); the host user id is optional.
      await s.click("acct-vendor-cloudroom");
      await waitFor("the CloudRoom fields", () => s.exists("acct-cr-secret-id"));
      assert.equal(await s.exists("field-error-operator"), false, "Tencent's errors went with Tencent's fields");
      assert.equal(await s.exec(`return document.querySelector('[data-testid="acct-cr-secret-key"]').type;`), "password");
      assert.equal(await s.exec(`return document.querySelector('[data-testid="acct-cr-user-id"]').inputMode;`), "numeric");
      assert.equal(
        await s.exec(`return document.querySelector('[data-testid="acct-base-url"]').placeholder;`),
        "https://www.cloudroom.com/CLOUDROOM-SERVER",
      );
      // The user id is optional, but a number when given.
      await s.fill("acct-cr-user-id", "zhang3");
      await s.click("acct-submit");
      for (const field of ["secret_id", "secret_key", "user_id"]) {
        await waitFor(`the CloudRoom ${field} error`, () => s.exists(`field-error-${field}`));
      }
      assert.match(await s.text("field-error-user_id"), lang === "zh" ? /只能填写数字/ : /Only digits/);
      assert.equal(await s.exists("field-error-label"), false, "the label was given");
      assert.match(await s.text("add-account-form"), lang === "zh" ? /企业中心/ : /Company centre/, "where the key pair is found");
      await waitFor("the previous notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
      const toForm = `const f = document.querySelector('[data-testid="add-account-form"]'); window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 70);`;
      await s.exec(toForm);
      await shot("accounts-add-cloudroom-errors");
      // Filled in as a person would (not submitted: it would go to the real CloudRoom).
      await s.fill("acct-label", lang === "zh" ? "云屋 · 总部" : "CloudRoom HQ");
      await s.fill("acct-cr-secret-id", "6mioUaDlFdf3Bagt3s");
      await s.fill("acct-cr-secret-key", "t02npiEZn82WqRl26Nfb0stD89bZkwTT");
      await s.fill("acct-cr-user-id", "1000141441");
      for (const field of ["secret_id", "secret_key", "user_id"]) {
        assert.equal(await s.exists(`field-error-${field}`), false, `the ${field} error went once it was typed in`);
      }
      await s.exec(toForm);
      await shot("accounts-add-cloudroom");
      await s.exec("window.scrollTo(0, 0);");
      // Feishu: App ID and App Secret (a password field), the cloud, an optional owner.
      await s.click("acct-vendor-feishu");
      await waitFor("the Feishu fields", () => s.exists("acct-fs-app-id"));
      assert.equal(await s.exists("field-error-secret_key"), false, "CloudRoom's errors went with CloudRoom's fields");
      assert.equal(await s.exec(`return document.querySelector('[data-testid="acct-fs-app-secret"]').type;`), "password");
      assert.equal(await s.exec(`return document.querySelector('[data-testid="acct-base-url"]').placeholder;`), "https://open.feishu.cn");
      await s.click("acct-fs-region-lark");
      await waitFor("the Lark server", async () =>
        (await s.exec(`return document.querySelector('[data-testid="acct-base-url"]').placeholder;`)) === "https://open.larksuite.com",
      );
      await s.click("acct-fs-region-feishu");
      await s.click("acct-submit");
      for (const field of ["app_id", "app_secret"]) {
        await waitFor(`the Feishu ${field} error`, () => s.exists(`field-error-${field}`));
      }
      assert.equal(await s.exists("field-error-owner"), false, "the owner is optional");
      assert.equal(await s.exists("field-error-label"), false, "the label was given");
      assert.match(await s.text("add-account-form"), /ou_/, "the owner hint names the open_id");
      await waitFor("the previous notice to go", async () => !(await s.exists("toast")), { timeout: 10000 });
      // The form from its title (the window scrolls under the sticky header).
      await s.exec(`const f = document.querySelector('[data-testid="add-account-form"]'); window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 70);`);
      await shot("accounts-add-feishu-errors");
      await s.exec("window.scrollTo(0, 0);");
      const rowCount = () => s.exec(`return document.querySelectorAll('[data-testid="account-row"]').length;`);
      let accountsLeft = 5;

      if (lang === "en") {
        // 9b. A Feishu account that is not the sandbox's (the fake Feishu's own app, added like
        // a real one, with no owner): its row shows the redirect URL to register, and the
        // booking form says, before submitting, that it needs a connected user.
        const fsSandbox = (await s.execAsync(
          "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('accounts').then(done, (e) => done({ error: e }));",
        )).find((a) => a.vendor === "feishu");
        const fake = JSON.parse(await readFile(join(app.dataDir, "sandbox", "feishu.json"), "utf8"));
        await s.fill("acct-label", "Feishu HQ");
        await s.fill("acct-fs-app-id", fake.app.app_id);
        await s.fill("acct-fs-app-secret", fake.app.app_secret);
        await s.fill("acct-base-url", fsSandbox.base_url);
        await s.click("acct-submit");
        await waitFor("the new Feishu account", async () => (await rowCount()) === 6, { timeout: 30000 });
        accountsLeft = 6;
        const hq = await s.exec(
          `const row = [...document.querySelectorAll('[data-testid="account-row"]')].find((r) => r.innerText.includes("Feishu HQ"));
           row.scrollIntoView({ block: "center" });
           const q = (id) => row.querySelector('[data-testid="' + id + '"]');
           return { state: q("feishu-user-state").innerText, redirect: q("feishu-redirect-uri")?.value ?? null, purpose: q("feishu-user-purpose").innerText };`,
        );
        assert.equal(hq.state, "Not connected");
        assert.match(hq.redirect ?? "", /^http:\/\/(127\.0\.0\.1|localhost):\d+\//, `the redirect URL to register: ${hq.redirect}`);
        assert.match(hq.purpose, /booked as the connected user/);
        await waitFor("the notices to go", async () => !(await s.exists("toast")), { timeout: 10000 });
        await shot("accounts-feishu-redirect");
        await s.exec("window.scrollTo(0, 0);");
        await s.click("nav-book");
        await waitFor("the booking form", () => s.exists("booking-form"));
        await pickAccount(s, "Feishu HQ");
        await waitFor("the note that a user must be connected", () => s.exists("book-feishu-needs-user"));
        await s.click("book-go-accounts");
        await waitFor("the accounts", () => s.exists("account-list"));
      }

      // 10. The language switch in the header.
      await s.click("lang-switch");
      const other = lang === "zh" ? "Accounts" : "账号";
      await waitFor("the other language", async () => (await s.text("nav-accounts")) === other);
      // Sandbox account names come from Rust, in the new language too.
      await waitFor("the account in the other language", async () =>
        (await s.text("account-row")).includes(lang === "zh" ? "Sandbox" : "沙盒"),
      );
      await shot("accounts-switched-language");

      // 11. Removing the accounts (each after a confirmation); the last one brings back the welcome.
      assert.equal(await rowCount(), accountsLeft, "five sandbox accounts: Huawei, Tencent, BizConf, Feishu and CloudRoom (and Feishu HQ in English)");
      for (let left = accountsLeft; left > 0; left--) {
        // The list sits at the top; under the sticky header a scrolled-to button is not clickable.
        await s.exec("window.scrollTo(0, 0);");
        await s.click("account-remove");
        await waitFor("the remove confirmation", () => s.exec(`return document.querySelector('[data-testid="remove-dialog"]').open;`));
        if (left === 1) await shot("remove-account-confirm");
        await s.click("remove-dialog-ok");
        if (left > 1) {
          await waitFor("one account fewer", async () => (await rowCount()) === left - 1, { timeout: 30000 });
          await waitFor("the dialog to close", async () =>
            !(await s.exec(`return document.querySelector('[data-testid="remove-dialog"]').open;`)),
          );
        }
      }
      await waitFor("the welcome again", () => s.exists("sandbox-offer"), { timeout: 30000 });
      assert.equal(await s.exists("nav-agenda"), false, "no navigation without accounts");
      ok = true;
    } finally {
      if (!ok) await shot("failure").catch(() => {});
      await app.close();
    }
    assert.deepEqual(await secretsLeakedInto(app.dataDir, seen), [], "no secret in any file Huiyi wrote");
    await rm(app.dataDir, { recursive: true, force: true });
  });
}

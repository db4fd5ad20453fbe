// A small W3C WebDriver client over fetch, for WebKitWebDriver driving the real Huiyi window.
// No browser download, no dependencies: Node's fetch and child_process only.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const DEBUG = !!process.env.HUIYI_E2E_DEBUG;
const debug = (...a) => {
  if (DEBUG) console.error("[e2e]", ...a);
};

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a truthy value; fails with `what` and the last error. */
export async function waitFor(what, check, { timeout = 20000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Starts WebKitWebDriver on a free port with `env` (inherited by the app it launches). */
export async function startDriver({ env, log }) {
  const port = await freePort();
  const bin = process.env.WEBKIT_WEBDRIVER ?? "WebKitWebDriver";
  // Its own process group: the app it launches joins it, so stopping the group leaves no window
  // (or pipe holder) behind even if the app outlives its session.
  const child = spawn(bin, [`--port=${port}`], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const lines = [];
  const keep = (d) => {
    lines.push(String(d));
    if (log) log(String(d));
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  await waitFor("WebKitWebDriver to listen", async () => {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited: ${lines.join("")}`);
    const r = await fetch(`${base}/status`);
    return r.ok;
  });
  const signalGroup = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    base,
    output: () => lines.join(""),
    stop: async () => {
      signalGroup("SIGTERM");
      await waitFor("the driver and the app to exit", () => !groupAlive(), { timeout: 5000 }).catch(() => signalGroup("SIGKILL"));
      child.stdout.destroy();
      child.stderr.destroy();
    },
  };
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, binary) {
    debug("new session", binary);
    const body = { capabilities: { alwaysMatch: { "webkitgtk:browserOptions": { binary, args: [] } } } };
    const r = await fetch(`${base}/session`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
    const j = await r.json();
    if (!r.ok) throw new Error(`new session failed: ${JSON.stringify(j.value)}`);
    return new Session(base, j.value.sessionId);
  }

  async cmd(method, path, body) {
    debug(method, path, body === undefined ? "" : JSON.stringify(body).slice(0, 160));
    const r = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? undefined : { "content-type": "application/json" },
    });
    const j = await r.json().catch(() => ({ value: null }));
    if (!r.ok) {
      const v = j.value ?? {};
      const e = new Error(`${method} ${path}: ${v.error ?? r.status}: ${v.message ?? ""}`);
      e.webdriver = v.error;
      throw e;
    }
    return j.value;
  }

  async close() {
    await this.cmd("DELETE", "").catch(() => {});
  }

  exec(script, ...args) {
    return this.cmd("POST", "/execute/sync", { script, args });
  }

  execAsync(script, ...args) {
    return this.cmd("POST", "/execute/async", { script, args });
  }

  /** The element with this data-testid (the first one), or an error. */
  async el(testid) {
    const v = await this.cmd("POST", "/element", { using: "css selector", value: `[data-testid="${testid}"]` });
    return v[ELEMENT];
  }

  async exists(testid) {
    return this.exec(`return document.querySelector('[data-testid="${testid}"]') !== null;`);
  }

  async text(testid) {
    return this.exec(`const e = document.querySelector('[data-testid="${testid}"]'); return e ? e.innerText : null;`);
  }

  async value(testid) {
    return this.exec(`const e = document.querySelector('[data-testid="${testid}"]'); return e ? e.value : null;`);
  }

  /** Waits until the element is there, then clicks it like a person would. */
  async click(testid) {
    const id = await waitFor(`[data-testid=${testid}]`, () => this.el(testid));
    await waitFor(`${testid} to be clickable`, async () => {
      await this.cmd("POST", `/element/${id}/click`, {});
      return true;
    }, { timeout: 5000 });
  }

  /** Replaces the input's text by typing, so the page sees real key events. */
  async fill(testid, text) {
    const id = await waitFor(`[data-testid=${testid}]`, () => this.el(testid));
    // Empty it the way the page notices (an input event), then type.
    await this.exec(
      `const e = document.querySelector('[data-testid="${testid}"]'); e.focus(); e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true }));`,
    );
    await this.cmd("POST", `/element/${id}/value`, { text });
  }

  async keys(testid, text) {
    const id = await this.el(testid);
    await this.cmd("POST", `/element/${id}/value`, { text });
  }

  /** Screenshot after two animation frames, so the picture shows the current DOM. */
  async screenshot(dir, name) {
    await this.execAsync("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
    const b64 = await this.cmd("GET", "/screenshot");
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${name}.png`);
    await writeFile(path, Buffer.from(b64, "base64"));
    return path;
  }

  source() {
    return this.cmd("GET", "/source");
  }
}

export const Keys = { Enter: "\uE007", Escape: "\uE00C", Tab: "\uE004" };

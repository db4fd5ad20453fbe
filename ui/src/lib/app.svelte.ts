// Application-wide state: settings, the current screen and a short-lived notice. Screens are
// plain state (no URL routing): the window has one page and no address bar.
import { api } from "./api";
import { i18n } from "./i18n.svelte";
import type { AccountView, Lang, MeetingId, Settings, UiError } from "./types";

export type Route =
  | { name: "loading" }
  | { name: "welcome" }
  | { name: "agenda" }
  | { name: "accounts"; adding?: boolean }
  | { name: "book" }
  | { name: "edit"; id: MeetingId }
  /** `roomError`: the meeting was just booked but the rooms chosen with it were not. */
  | { name: "meeting"; id: MeetingId; roomError?: UiError };

class AppState {
  settings = $state<Settings | null>(null);
  accounts = $state<AccountView[]>([]);
  route = $state<Route>({ name: "loading" });
  startupError = $state<UiError | null>(null);
  notice = $state<string | null>(null);
  #noticeTimer: ReturnType<typeof setTimeout> | undefined;

  get localZone(): string {
    return this.settings?.local_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
  }

  go(route: Route) {
    this.route = route;
    // A new screen starts at its top, as a new page would (the window scrolls as one).
    window.scrollTo(0, 0);
  }

  flash(message: string) {
    this.notice = message;
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => (this.notice = null), 4000);
  }

  async reloadAccounts(): Promise<AccountView[]> {
    this.accounts = await api.accounts();
    return this.accounts;
  }

  async start() {
    this.startupError = null;
    this.route = { name: "loading" };
    try {
      this.settings = await api.settings();
      i18n.lang = this.settings.lang;
      document.documentElement.lang = this.settings.lang === "zh" ? "zh-CN" : "en";
      const accounts = await this.reloadAccounts();
      this.route = accounts.length === 0 ? { name: "welcome" } : { name: "agenda" };
    } catch (e) {
      this.startupError = e as UiError;
    }
  }

  async setLang(lang: Lang) {
    // A notice written in the old language would now read wrong.
    this.notice = null;
    i18n.lang = lang;
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    try {
      this.settings = await api.setLang(lang);
      // Vendor names in account rows come from Rust in the UI language.
      await this.reloadAccounts();
    } catch (e) {
      this.flash((e as UiError).message);
    }
  }
}

export const app = new AppState();

// "Connect my Feishu user" outlives the Accounts screen: the command waits (up to minutes) for
// the browser, so its promise is held here, not in a component, and its outcome is still shown
// after the person navigated away and back.
import { api } from "./api";
import { app } from "./app.svelte";
import { t } from "./i18n.svelte";
import type { AccountId, UiError } from "./types";

class FeishuConnects {
  /** Accounts whose connection this window is waiting for. */
  waiting = $state<Record<AccountId, true>>({});
  /** The last failed connection per account (cancelled ones are not failures). */
  errors = $state<Record<AccountId, UiError>>({});

  async connect(account: AccountId) {
    if (this.waiting[account]) return;
    this.waiting = { ...this.waiting, [account]: true };
    this.clearError(account);
    // The row shows "waiting" from the back end's own state as well (`connecting`).
    app.reloadAccounts().catch(() => {});
    try {
      await api.connectFeishuUser(account);
      app.flash(t("fsConnected"));
    } catch (e) {
      const err = e as UiError;
      if (err.code !== "cancelled") this.errors = { ...this.errors, [account]: err };
    } finally {
      const { [account]: _, ...rest } = this.waiting;
      this.waiting = rest;
      await app.reloadAccounts().catch(() => {});
    }
  }

  clearError(account: AccountId) {
    if (!this.errors[account]) return;
    const { [account]: _, ...rest } = this.errors;
    this.errors = rest;
  }
}

export const feishuConnects = new FeishuConnects();

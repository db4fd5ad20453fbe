// One typed function per Tauri command. Every command resolves with its value or rejects with
// a UiError; anything else (the shell missing, a panic) is turned into a UiError here so screens
// only ever handle one error shape.
import { invoke } from "@tauri-apps/api/core";
import { t } from "./i18n.svelte";
import type {
  AccountId,
  AccountView,
  Agenda,
  BookingCheck,
  BookingForm,
  Capabilities,
  JoinPreferences,
  Lang,
  LinkKind,
  LinkRole,
  MeetingId,
  MeetingView,
  NewAccount,
  RegistrantInput,
  RegistrantView,
  SandboxStatus,
  Settings,
  UiError,
  VendorRoom,
} from "./types";

export function isUiError(e: unknown): e is UiError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

export function toUiError(e: unknown): UiError {
  if (isUiError(e)) return { ...e, fields: e.fields ?? [] };
  if (!("__TAURI_INTERNALS__" in window)) {
    // Opened in a plain browser (e.g. the Vite dev server without `tauri dev`).
    return { code: "no_shell", message: t("notInApp"), vendor: null, vendor_code: null, retryable: false, fields: [] };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: "internal", message, vendor: null, vendor_code: null, retryable: false, fields: [] };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toUiError(e);
  }
}

export const api = {
  settings: () => call<Settings>("settings"),
  setLang: (lang: Lang) => call<Settings>("set_lang", { lang }),
  saveJoinPreferences: (join: JoinPreferences) => call<Settings>("save_join_preferences", { join }),
  accounts: () => call<AccountView[]>("accounts"),
  addAccount: (account: NewAccount) => call<AccountView>("add_account", { account }),
  removeAccount: (id: AccountId) => call<void>("remove_account", { id }),
  sandboxStatus: () => call<SandboxStatus>("sandbox_status"),
  startSandbox: () => call<SandboxStatus>("start_sandbox"),
  cachedAgenda: () => call<Agenda>("cached_agenda"),
  agenda: () => call<Agenda>("agenda"),
  capabilities: (account: AccountId) => call<Capabilities>("capabilities", { account }),
  book: (account: AccountId, form: BookingForm) => call<MeetingView>("book", { account, form }),
  bookingCheck: (account: AccountId, form: BookingForm, editing: MeetingId | null) =>
    call<BookingCheck>("booking_check", { account, form, editing }),
  editForm: (id: MeetingId) => call<BookingForm>("edit_form", { id }),
  edit: (id: MeetingId, form: BookingForm) => call<MeetingView>("edit", { id, form }),
  cancel: (id: MeetingId) => call<void>("cancel", { id }),
  endMeeting: (id: MeetingId) => call<MeetingView>("end_meeting", { id }),
  meeting: (id: MeetingId) => call<MeetingView>("meeting", { id }),
  vendorRooms: (account: AccountId) => call<VendorRoom[]>("vendor_rooms", { account }),
  bookRooms: (id: MeetingId, roomIds: string[]) => call<MeetingView>("book_rooms", { id, roomIds }),
  releaseRoom: (id: MeetingId, roomId: string) => call<MeetingView>("release_room", { id, roomId }),
  zones: () => call<string[]>("zones"),
  /** Opens the meeting's web link for `role`, or its link of `kind` (an https app link). */
  openLink: (meetingId: MeetingId, role: LinkRole, kind: LinkKind | null = null) =>
    call<void>("open_link", { meetingId, role, kind }),
  copyLink: (meetingId: MeetingId, role: LinkRole, kind: LinkKind | null = null) =>
    call<void>("copy_link", { meetingId, role, kind }),
  copyHostPassword: (meetingId: MeetingId) => call<void>("copy_host_password", { meetingId }),
  // A Feishu account's user: connecting waits (minutes) until the browser comes back.
  connectFeishuUser: (account: AccountId) => call<AccountView>("connect_feishu_user", { account }),
  openFeishuConnectLink: (account: AccountId) => call<void>("open_feishu_connect_link", { account }),
  copyFeishuConnectLink: (account: AccountId) => call<void>("copy_feishu_connect_link", { account }),
  cancelFeishuConnect: (account: AccountId) => call<boolean>("cancel_feishu_connect", { account }),
  disconnectFeishuUser: (account: AccountId) => call<AccountView>("disconnect_feishu_user", { account }),
  registrants: (id: MeetingId) => call<RegistrantView[]>("registrants", { id }),
  addRegistrant: (id: MeetingId, person: RegistrantInput) => call<RegistrantView>("add_registrant", { id, person }),
  copyRegistrantLink: (meetingId: MeetingId, registrantId: string) =>
    call<void>("copy_registrant_link", { meetingId, registrantId }),
};

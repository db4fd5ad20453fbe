// IPC types, written by hand from crates/desk/src/api.rs and crates/core until the ts-rs
// bindings (./bindings.ts) land; then this file only re-exports them.

export type Lang = "zh" | "en";
export type AccountId = string;
export type MeetingId = string;
export type VendorKind = "huawei" | "tencent" | "bizconf" | "feishu" | "cloudroom";
export type MeetingState = "scheduled" | "in_progress" | "ended" | "cancelled";
export type LinkKind = "web" | "protocol";
export type LinkRole = "host" | "attendee";
export type AttendeeRole = "host" | "participant";

export type AccountAuth =
  | { method: "huawei_app_id"; app_id: string; user_id: string | null }
  | { method: "huawei_password"; account: string };

export type AccountView = {
  id: AccountId;
  vendor: VendorKind;
  vendor_name: string;
  label: string;
  base_url: string;
  principal: string;
  auth: AccountAuth;
  sandbox: boolean;
  created_at: string;
};

export type NewAccount = {
  label: string;
  base_url?: string | null;
  auth: AccountAuth;
  secret: string;
};

export type MeetingSummary = {
  id: MeetingId;
  account_id: AccountId;
  account_label: string;
  vendor: VendorKind;
  sandbox: boolean;
  subject: string;
  start: string;
  end: string;
  zone: string;
  state: MeetingState;
  meeting_number: string;
};

export type Attendee = {
  name: string;
  email: string | null;
  phone: string | null;
  account: string | null;
  role: AttendeeRole;
};

export type Notifications = { email: boolean; sms: boolean; calendar: boolean };

export type LinkView = { kind: LinkKind; role: LinkRole; url: string | null };

export type MeetingView = {
  summary: MeetingSummary;
  organizer: string | null;
  attendees: Array<Attendee>;
  guest_password: string | null;
  has_host_password: boolean;
  dial_in: string | null;
  links: Array<LinkView>;
  notify: Notifications | null;
  fetched_at: string;
};

export type FieldErrorCode =
  | { kind: "required" }
  | { kind: "too_long"; max: number }
  | { kind: "bad_date_time" }
  | { kind: "start_in_past" }
  | { kind: "end_not_after_start" }
  | { kind: "duration_out_of_range"; min: number; max: number }
  | { kind: "unknown_zone" }
  | { kind: "nonexistent_local_time" }
  | { kind: "attendee_unreachable" }
  | { kind: "attendee_needs_phone" }
  | { kind: "bad_email" }
  | { kind: "bad_phone" }
  | { kind: "too_many_attendees"; max: number }
  | { kind: "bad_url" };

export type FieldErrorView = { field: string; code: FieldErrorCode; message: string };

export type UiError = {
  code: string;
  message: string;
  vendor: VendorKind | null;
  vendor_code: string | null;
  retryable: boolean;
  fields: Array<FieldErrorView>;
};

export type AccountProblem = { account_id: AccountId; account_label: string; error: UiError };

export type Agenda = {
  meetings: Array<MeetingSummary>;
  problems: Array<AccountProblem>;
  refreshed_at: string | null;
};

export type SandboxStatus = { running: boolean; accounts: Array<AccountView> };

export type Settings = { lang: Lang; data_dir: string; local_zone: string };

export type Capabilities = {
  max_subject_chars: number;
  min_duration_minutes: number;
  max_duration_minutes: number;
  max_attendees: number;
  attendee_needs_phone: boolean;
  notify_email: boolean;
  notify_sms: boolean;
  notify_calendar: boolean;
  edit: boolean;
  host_links: boolean;
};

export type AttendeeInput = { name: string; email: string; phone: string; account: string; host: boolean };

export type BookingForm = {
  subject: string;
  start: string;
  end?: string | null;
  duration_minutes?: number | null;
  zone: string;
  attendees: Array<AttendeeInput>;
  notify: Notifications;
};

// Display of instants (UTC ISO strings from Rust) in a given IANA zone. All arithmetic on time
// zones happens in Rust; the UI only formats.

function parts(iso: string, zone: string, opts: Intl.DateTimeFormatOptions, locale = "en-US") {
  const f = new Intl.DateTimeFormat(locale, { timeZone: zone, ...opts });
  return f.formatToParts(new Date(iso));
}

/** `YYYY-MM-DD` of the instant as seen in `zone` (for grouping by day). */
export function dayKey(iso: string, zone: string): string {
  const p = parts(iso, zone, { year: "numeric", month: "2-digit", day: "2-digit" });
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** `HH:MM` (24-hour) in `zone`. */
export function clock(iso: string, zone: string): string {
  const p = parts(iso, zone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const get = (t: string) => p.find((x) => x.type === t)?.value ?? "";
  return `${get("hour")}:${get("minute")}`;
}

/** A short zone label at that instant: "GMT+8", "CET", "EST". */
export function zoneAbbr(iso: string, zone: string): string {
  const p = parts(iso, zone, { timeZoneName: "short" });
  return p.find((x) => x.type === "timeZoneName")?.value ?? zone;
}

/** Minutes east of UTC of `zone` at the instant. */
export function offsetMinutes(iso: string, zone: string): number {
  const p = parts(iso, zone, {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  const get = (t: string) => Number(p.find((x) => x.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const d = new Date(iso);
  d.setUTCMilliseconds(0);
  return Math.round((asUtc - d.getTime()) / 60000);
}

/** True when the two zones show a different wall-clock time at the instant. */
export function zonesDiffer(iso: string, a: string, b: string): boolean {
  if (a === b) return false;
  try {
    return offsetMinutes(iso, a) !== offsetMinutes(iso, b);
  } catch {
    return true;
  }
}

/** "Tuesday 24 November" / "11月24日 星期二" for a day key, formatted in the UI locale. */
export function dayHeading(key: string, locale: string): string {
  const [y, m, d] = key.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d, 12));
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "long", month: "long", day: "numeric" }).format(date);
}

/** Date and weekday of the instant in `zone`, short: "Tue 24 Nov" / "11月24日周二". */
export function shortDate(iso: string, zone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: "short", month: "short", day: "numeric" }).format(new Date(iso));
}

/** Local time of day plus date, for "updated at" notes. */
export function stamp(iso: string, zone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(iso));
}

/** Today's `YYYY-MM-DD` in `zone`, shifted by `days`. */
export function todayIn(zone: string, days = 0): string {
  const key = dayKey(new Date().toISOString(), zone);
  const [y, m, d] = key.split("-").map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d + days));
  return dt.toISOString().slice(0, 10);
}

/** Whole minutes between two `HH:MM` strings on the same day; null if either is malformed. */
export function minutesBetween(a: string, b: string): number | null {
  const re = /^(\d{1,2}):(\d{2})$/;
  const ma = re.exec(a.trim());
  const mb = re.exec(b.trim());
  if (!ma || !mb) return null;
  return Number(mb[1]) * 60 + Number(mb[2]) - (Number(ma[1]) * 60 + Number(ma[2]));
}

/** `HH:MM` plus minutes, wrapping at midnight (for proposing an end time). */
export function addMinutes(hhmm: string, minutes: number): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return hhmm;
  const total = (((Number(m[1]) * 60 + Number(m[2]) + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}

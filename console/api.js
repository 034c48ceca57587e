// The HTTP API, as any client calls it: a bearer token, `If-Match` from the version the
// screen shows, an `Idempotency-Key` for what must happen once. The token lives in
// memory only, so closing the tab signs out.
import { h, say } from "./dom.js";
import { t } from "./i18n.js";

export const session = { token: null, sub: null, groups: [], timer: null };

export const isSupervisor = () => session.groups.includes("supervisors");
export const isOfficer = () => session.groups.includes("officers");

export class Refused extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? String(status));
    this.status = status;
    this.problem = problem;
  }
}

export async function api(method, path, { body, version, key } = {}) {
  const headers = { authorization: `Bearer ${session.token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (version !== undefined) headers["if-match"] = `"${version}"`;
  if (key !== undefined) headers["idempotency-key"] = key;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  // A problem or a result is JSON; anything else (a proxy's error page) is only its status.
  const json = (response.headers.get("content-type") ?? "").includes("json");
  const text = await response.text();
  const data = json && text ? JSON.parse(text) : null;
  if (!response.ok) throw new Refused(response.status, data);
  return { data, etag: response.headers.get("etag") };
}

/// The version an `ETag` names.
export function versionOf(etag) {
  const version = Number((etag ?? "").replace(/^W\//, "").replaceAll('"', ""));
  if (!Number.isInteger(version) || version < 1) throw new Error(`no version in ETag ${etag}`);
  return version;
}

/// The input a problem's field path belongs to: `languages[2]` to `languages`,
/// `child` to nothing when only its parts have inputs.
function inputFor(form, path) {
  for (let at = path; at; at = at.replace(/(\[\d+\]|\.[^.[]+)$/, "")) {
    if (form[at]) return form[at];
    if (!/[.[]/.test(at)) break;
  }
  return null;
}

/// A refusal said plainly: a stale version asks for a reload; each field's problem goes
/// beside its field (`form` maps a field path to its input); the rest to the status.
export function refused(error, form = {}) {
  if (error.status === 412) {
    say(t("stale"));
    return;
  }
  const elsewhere = [];
  for (const { field, message } of error.problem?.errors ?? []) {
    const input = inputFor(form, field);
    if (!input) {
      elsewhere.push(`${field}: ${message}`);
      continue;
    }
    const note = h("span", { class: "field-error", id: `${input.id}-error` }, message);
    if (["INPUT", "SELECT", "TEXTAREA"].includes(input.tagName)) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
    }
    if (!document.getElementById(note.id)) input.after(note);
  }
  say([`${t("failed")}: ${error.message}`, ...elsewhere].join(" · "));
}

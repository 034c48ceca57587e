// The operator console: a client of the HTTP API like any other. Tokens live in memory
// only; every text from the API is put in the page as text, never as markup.
import { LANGUAGES, choose, language, t } from "./i18n.js";

const session = { token: null, sub: null, group: null };

/// An element with attributes and children; strings become text nodes.
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function say(text) {
  document.getElementById("status").textContent = text;
}

class Refused extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? String(status));
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, path, { body, version } = {}) {
  const headers = { authorization: `Bearer ${session.token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (version !== undefined) headers["if-match"] = `"${version}"`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Refused(response.status, data);
  return { data, etag: response.headers.get("etag") };
}

/// A refusal said plainly: a stale version asks for a reload; field errors go beside
/// their fields (`form` maps a field name to its input).
function refused(error, form = {}) {
  if (error.status === 412) {
    say(t("stale"));
    return;
  }
  for (const { field, message } of error.problem?.errors ?? []) {
    const input = form[field];
    if (input) {
      const note = h("span", { class: "field-error", id: `${input.id}-error` }, message);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
      input.after(note);
    }
  }
  say(`${t("failed")}: ${error.message}`);
}

function minutesSince(iso) {
  return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
}

function duration(minutes) {
  return minutes >= 120 ? `${Math.floor(minutes / 60)} ${t("hours")}` : `${minutes} ${t("minutes")}`;
}

function show(...content) {
  const main = document.getElementById("app");
  main.replaceChildren(...content.flat());
  main.focus();
}

function navigation() {
  const nav = document.getElementById("nav");
  if (!session.token) {
    nav.replaceChildren();
    return;
  }
  nav.replaceChildren(
    h("a", { href: "#/queue" }, t("queue")),
    h("a", { href: "#/active" }, t("active")),
    h("span", { class: "who" }, `${session.sub} (${t(session.group)})`),
    h("button", { type: "button", onclick: () => { Object.assign(session, { token: null, sub: null, group: null }); location.hash = "#/signin"; } }, t("signout")),
  );
}

async function signin() {
  const config = await (await fetch("config.json")).json();
  const choices = config.identities.map(({ sub, group }) =>
    h("li", {}, h("button", {
      type: "button",
      onclick: async () => {
        const response = await fetch("/dev/token", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sub, groups: [group] }),
        });
        const { token } = await response.json();
        Object.assign(session, { token, sub, group });
        location.hash = "#/queue";
      },
    }, `${t("signin_as")} ${sub} (${t(group)})`)));
  return [h("h1", {}, t("signin")), h("p", {}, t("demo_identities")), h("ul", { class: "identities" }, choices)];
}

async function queue() {
  const { data } = await api("GET", "/reports?status=pending_review&limit=100");
  const rows = data.items.map((report) => h("li", { class: "card" },
    h("a", { href: `#/report/${report.id}` }, `${report.child.name}, ${report.child.age}`),
    h("span", {}, ` ${report.last_seen.place ?? report.last_seen.region} · `),
    h("span", { class: "waiting" }, `${t("waiting")} ${duration(minutesSince(report.created_at))}`)));
  return [h("h1", {}, t("queue")), rows.length ? h("ul", { class: "list" }, rows) : h("p", {}, t("empty_queue"))];
}

async function active() {
  const { data } = await api("GET", "/reports?status=active&limit=100");
  const rows = data.items.map((report) => {
    const left = Math.max(0, Math.round((Date.parse(report.alert.expires_at) - Date.now()) / 60000));
    return h("li", { class: "card" },
      h("a", { href: `#/report/${report.id}` }, report.child.name),
      h("span", {}, ` · ${t("time_left")} ${duration(left)} · ${t("radius_now")} ${report.alert.area.radius_km} km`));
  });
  return [h("h1", {}, t("active")), rows.length ? h("ul", { class: "list" }, rows) : h("p", {}, t("empty_active"))];
}

function field(id, label, control) {
  control.id = id;
  return h("p", { class: "field" }, h("label", { for: id }, label), control);
}

/// A form that posts one action with one text field, with `If-Match` of the version the
/// screen shows; its problems go beside the field. `then` is where to go once done
/// (`null`: show the report again).
function actionForm({ id, version, action: { name, field: fieldName, label, button, extra = {}, optional = false }, then }) {
  const input = h("textarea", { rows: 2 });
  return h("form", { class: "action", onsubmit: async (event) => {
    event.preventDefault();
    event.target.querySelectorAll(".field-error").forEach((note) => note.remove());
    input.removeAttribute("aria-invalid");
    const body = { ...extra };
    if (input.value || !optional) body[fieldName] = input.value;
    try {
      await api("POST", `/reports/${id}/${name}`, { body, version });
      say(t("done"));
      if (then) location.hash = then;
      else await route();
    } catch (error) { refused(error, { [fieldName]: input }); }
  } }, field(`${name}-${fieldName}`, label, input), h("button", { type: "submit" }, button));
}

async function report(id) {
  const { data, etag } = await api("GET", `/reports/${id}`);
  const version = Number(etag.replaceAll('"', ""));
  const details = h("dl", { class: "details" },
    h("dt", {}, t("child")), h("dd", {}, `${data.child.name}, ${data.child.age}`),
    h("dt", {}, t("last_seen")), h("dd", {}, `${data.last_seen.place ?? ""} (${data.last_seen.region})`),
    h("dt", {}, t("status")), h("dd", {}, data.status),
    h("dt", {}, t("version")), h("dd", {}, String(version)));
  const history = h("ol", { class: "history" }, data.history.map((line) =>
    h("li", {}, `${line.at} · ${line.actor} · ${line.action}${line.reason ? ` · ${line.reason}` : ""}`)));
  const act = (action, then) => actionForm({ id, version, action, then });
  const actions = [];
  if (data.status === "pending_review" && session.group === "supervisors") {
    actions.push(h("a", { class: "button", href: `#/preview/${id}` }, t("preview")));
    actions.push(act({ name: "reject", field: "reason", label: t("reason"), button: t("reject") }, "#/queue"));
  }
  if (data.status === "active") {
    actions.push(act({ name: "update", field: "message", label: t("message"), button: t("update") }, null));
    actions.push(act({ name: "resolve", field: "note", label: t("note"), button: t("resolve"),
      extra: { outcome: "found" }, optional: true }, "#/active"));
  }
  return [h("h1", {}, data.child.name), details, h("div", { class: "actions" }, actions),
    h("h2", {}, t("history")), history, h("p", {}, h("button", { type: "button", onclick: () => route() }, t("reload")))];
}

async function preview(id) {
  const { data, etag } = await api("GET", `/reports/${id}/preview`);
  const version = Number(etag.replaceAll('"', ""));
  const texts = Object.entries(data.texts).map(([code, text]) => h("section", { class: "texts", lang: code, dir: LANGUAGES[code] ?? "ltr" },
    h("h3", {}, code),
    h("p", {}, h("strong", {}, `${t("short_text")}: `), text.short),
    h("p", { class: "sms" }, `${t("sms")}: ${text.short_sms.units} ${text.short_sms.encoding} · ${t("segments")}: ${text.short_sms.segments}`),
    h("p", {}, h("strong", {}, `${t("long_text")}: `), text.long)));
  const override = h("textarea", { rows: 2 });
  const approve = h("form", { class: "action", onsubmit: async (event) => {
    event.preventDefault();
    const body = data.criteria_unmet.length ? { override_reason: override.value } : {};
    try {
      await api("POST", `/reports/${id}/approve`, { body, version });
      say(t("done"));
      location.hash = "#/active";
    } catch (error) { refused(error, { override_reason: override }); }
  } },
  data.criteria_unmet.length ? [h("p", { class: "warning" }, `${t("criteria_unmet")}: ${data.criteria_unmet.join(", ")}`), field("override-reason", t("override_reason"), override)] : [],
  h("button", { type: "submit" }, t("approve")));
  return [h("h1", {}, t("preview")),
    h("p", {}, `${t("identifier")}: ${data.identifier}`),
    h("p", {}, `${t("circle")}: ${data.area.radius_km} km (${t("radius_max")} ${data.area.max_radius_km} km) · ${data.regions.join(", ")}`),
    h("p", {}, `${t("expires")}: ${data.expires_at}`),
    texts,
    h("details", {}, h("summary", {}, t("cap")), h("pre", {}, data.cap)),
    approve,
    h("p", {}, h("a", { href: `#/report/${id}` }, t("back")))];
}

/// Each navigation is numbered: a screen whose data arrives after a later navigation
/// started is not shown over it.
let navigations = 0;

async function route() {
  const mine = ++navigations;
  document.documentElement.lang = language();
  document.documentElement.dir = LANGUAGES[language()];
  document.getElementById("language-label").textContent = t("language");
  navigation();
  const [, screen, id] = location.hash.split("/");
  let content;
  try {
    if (!session.token) content = await signin();
    else if (screen === "report" && id) content = await report(id);
    else if (screen === "preview" && id) content = await preview(id);
    else if (screen === "active") content = await active();
    else content = await queue();
  } catch (error) {
    if (error.status === 401) {
      session.token = null;
      content = await signin();
    } else {
      refused(error);
      return;
    }
  }
  if (mine === navigations) show(...content);
}

addEventListener("hashchange", route);
addEventListener("DOMContentLoaded", () => {
  const picker = document.getElementById("language");
  picker.value = language();
  picker.addEventListener("change", () => { choose(picker.value); route(); });
  route();
});

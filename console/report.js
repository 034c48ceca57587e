// A report: what it says, its history, and the actions its reader may take, each sent
// with `If-Match` of the version shown, so that nobody acts on a report someone else
// has changed meanwhile.
import { api, isSupervisor, refused, versionOf } from "./api.js";
import { clearProblems, field, h, say } from "./dom.js";
import { t, when } from "./i18n.js";
import { paged } from "./lists.js";
import { photoSection } from "./photo.js";

/// One action's form: its fields (`{name, label, kind, optional}`), problems beside
/// them; `then` is where to go once done (`null`: this report again, reloaded).
function actionForm({ id, version, name, button, fields, extra = {}, then, reload }) {
  const inputs = {};
  const controls = fields.map(({ name: key, label, kind = "textarea" }) => {
    inputs[key] = kind === "textarea" ? h("textarea", { rows: 2 }) : h("input", { type: kind });
    return field(`${name}-${key}`, label, inputs[key]);
  });
  return h("form", { class: "action", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const button = event.target.querySelector("button[type=submit]");
    if (button.disabled) return;
    button.disabled = true;
    clearProblems(event.target);
    const body = { ...extra };
    for (const { name: key, kind, optional } of fields) {
      const value = inputs[key].value;
      if (value === "" && optional) continue;
      body[key] = kind === "number" && value !== "" ? Number(value) : value;
    }
    try {
      await api("POST", `/reports/${id}/${name}`, { body, version });
      say(t("done"));
      if (then) location.hash = then;
      else await reload();
    } catch (error) { refused(error, inputs); } finally { button.disabled = false; }
  } }, h("h3", {}, button), controls, h("button", { type: "submit" }, button));
}

function historyLine(line) {
  const said = line.reason ?? line.override_reason;
  return h("li", {}, [when(line.at), line.actor, t(`did_${line.action}`),
    line.assigned ? `→ ${line.assigned}` : null, said ?? null].filter(Boolean).join(" · "));
}

/// What a witness sent: when and where they saw the child, what, and how to reach them.
function sightingLine(sighting) {
  const point = sighting.lat === undefined ? null : `${sighting.lat.toFixed(4)}, ${sighting.lon.toFixed(4)}`;
  const where = [sighting.place, point].filter(Boolean).join(" · ");
  return h("li", { class: "card sighting" },
    h("p", {}, h("strong", {}, when(sighting.seen_at)), ` · ${where}`),
    h("p", {}, sighting.description),
    sighting.contact ? h("p", {}, `${t("contact")}: `, h("bdi", {}, sighting.contact)) : null,
    h("p", { class: "muted" }, `${t("received")} ${when(sighting.received_at)}`));
}

export async function report(id, reload) {
  const { data, etag } = await api("GET", `/reports/${id}`);
  const version = versionOf(etag);
  const row = (term, value) => value === undefined || value === null ? [] : [h("dt", {}, term), h("dd", {}, value)];
  const details = h("dl", { class: "details" },
    row(t("child"), `${data.child.name}, ${data.child.age} · ${t(data.child.sex)}`),
    row(t("description"), data.child.description),
    row(t("last_seen"), `${data.last_seen.place} (${data.last_seen.region}) · ${when(data.last_seen.at)}`),
    row(t("narrative"), data.circumstances?.narrative),
    row(t("vehicle"), data.circumstances?.vehicle),
    row(t("suspect"), data.circumstances?.suspect),
    row(t("tip_line"), data.tip_line),
    row(t("status"), t(`status_${data.status}`)),
    row(t("reported_by"), data.reported_by),
    row(t("assigned"), data.assigned?.join(", ")),
    row(t("version"), String(version)));
  const act = (action) => actionForm({ id, version, reload, ...action });
  const actions = [];
  const supervisor = isSupervisor();
  if (data.status === "pending_review" && supervisor) {
    actions.push(h("a", { class: "button", href: `#/preview/${id}` }, t("preview")));
    actions.push(act({ name: "reject", button: t("reject"), fields: [{ name: "reason", label: t("reason") }], then: "#/queue" }));
  }
  if (data.status === "active") {
    actions.push(act({ name: "update", button: t("update"), fields: [{ name: "message", label: t("message") }] }));
    actions.push(act({ name: "resolve", button: t("resolve"), extra: { outcome: "found" },
      fields: [{ name: "note", label: t("note"), optional: true }], then: "#/active" }));
    if (supervisor) {
      actions.push(act({ name: "extend", button: t("extend"), fields: [{ name: "hours", label: t("hours_more"), kind: "number" }] }));
      actions.push(act({ name: "cancel", button: t("cancel"), fields: [{ name: "reason", label: t("reason") }], then: "#/active" }));
    }
  }
  if (["pending_review", "active"].includes(data.status) && supervisor) {
    actions.push(act({ name: "assign", button: t("assign"), fields: [{ name: "officer", label: t("officer"), kind: "text" }] }));
  }
  return [h("h1", {}, data.child.name),
    data.exercise ? h("p", { class: "drill" }, t("exercise")) : null,
    details, photoSection(id, data, reload), h("div", { class: "actions" }, actions),
    h("h2", {}, t("sightings")),
    await paged(`/reports/${id}/sightings`, {}, sightingLine, t("no_sightings")),
    h("h2", {}, t("history")), h("ol", { class: "history" }, data.history.map(historyLine)),
    h("p", {}, h("button", { type: "button", onclick: () => reload() }, t("reload")))];
}

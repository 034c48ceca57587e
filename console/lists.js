// The two lists an officer starts from: reports waiting for review (newest first, with
// how long each has waited) and the active alerts (time left, radius now and next).
import { api, isOfficer, refused } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

const minutes = (from, to) => Math.max(0, Math.round((to - from) / 60000));

export function duration(count) {
  return count >= 120 ? `${Math.floor(count / 60)} ${t("hours")}` : `${count} ${t("minutes")}`;
}

const km = (value) => `${Math.round(value * 10) / 10} km`;

/// The radius the area grows to at its next step, and when; `null` at its ceiling.
export function nextWidening(area) {
  if (area.widen_km_per_hour <= 0 || area.radius_km >= area.max_radius_km) return null;
  const every = Math.max(1, area.widen_every_minutes);
  const steps = area.widen_steps + 1;
  const radius = Math.min(area.max_radius_km, area.start_radius_km + (area.widen_km_per_hour * steps * every) / 60);
  return { radius, at: Date.parse(area.widen_from) + steps * every * 60000 };
}

const PAGE = 50;

/// A listing of the API (`path`, with `params`), a page at a time: "show more" asks for
/// the next page with the cursor the last one gave.
export async function paged(path, params, row, empty) {
  const list = h("ul", { class: "list" });
  const more = h("button", { type: "button", class: "more" }, t("show_more"));
  let cursor = null;
  const next = async () => {
    const query = new URLSearchParams({ ...params, limit: PAGE, ...(cursor ? { cursor } : {}) });
    const { data } = await api("GET", `${path}?${query}`);
    list.append(...data.items.map(row));
    cursor = data.next_cursor;
    more.hidden = !cursor;
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    try { await next(); } catch (error) { refused(error); } finally { more.disabled = false; }
  });
  await next();
  return list.childElementCount ? [list, more] : [h("p", {}, empty)];
}

export async function queue() {
  const row = (report) => h("li", { class: "card" },
    h("a", { href: `#/report/${report.id}` }, `${report.child.name}, ${report.child.age}`),
    h("span", {}, ` ${report.last_seen.place} (${report.last_seen.region}) · `),
    h("span", { class: "waiting" }, `${t("waiting")} ${duration(minutes(Date.parse(report.created_at), Date.now()))}`),
    report.exercise ? h("span", { class: "drill" }, t("exercise_short")) : null);
  return [h("h1", {}, t("queue")),
    isOfficer() ? h("p", {}, h("a", { class: "button", href: "#/file" }, t("file_report"))) : null,
    await paged("/reports", { status: "pending_review" }, row, t("empty_queue"))];
}

export async function active() {
  const row = (report) => {
    const { area, expires_at } = report.alert;
    const next = nextWidening(area);
    return h("li", { class: "card" },
      h("a", { href: `#/report/${report.id}` }, report.child.name),
      h("span", {}, ` · ${report.last_seen.place} (${report.last_seen.region})`),
      h("span", {}, ` · ${t("time_left")} ${duration(minutes(Date.now(), Date.parse(expires_at)))}`),
      h("span", {}, ` · ${t("radius_now")} ${km(area.radius_km)}`),
      h("span", {}, next
        ? ` · ${t("radius_next")} ${km(next.radius)} ${t("in")} ${duration(minutes(Date.now(), next.at))}`
        : ` · ${t("radius_ceiling")}`),
      report.exercise ? h("span", { class: "drill" }, t("exercise_short")) : null);
  };
  return [h("h1", {}, t("active")), await paged("/reports", { status: "active" }, row, t("empty_active"))];
}

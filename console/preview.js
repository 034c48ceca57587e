// What approval would send, exactly: the CAP message, every text with its SMS counter,
// the circle on the map, and the criteria not met (approving then needs a reason).
import { api, refused, versionOf } from "./api.js";
import { clearProblems, field, h, say } from "./dom.js";
import { LANGUAGES, t, when } from "./i18n.js";
import { drawMap, regions } from "./map.js";

function sms(count) {
  return `${t("sms")}: ${count.units} ${count.encoding} · ${t("segments")}: ${count.segments}`;
}

export async function preview(id) {
  const [{ data, etag }, all] = await Promise.all([api("GET", `/reports/${id}/preview`), regions()]);
  const version = versionOf(etag);
  const texts = Object.entries(data.texts).map(([code, text]) =>
    h("section", { class: "texts", lang: code, dir: LANGUAGES[code] ?? "ltr" },
      h("h3", {}, code),
      h("p", {}, h("strong", {}, `${t("short_text")}: `), text.short),
      h("p", { class: "sms" }, sms(text.short_sms)),
      h("p", {}, h("strong", {}, `${t("long_text")}: `), text.long)));
  const { area } = data;
  const map = await drawMap(all, { label: `${t("circle")}: ${area.radius_km} km, ${t("radius_max")} ${area.max_radius_km} km` });
  map.frame(area.lat, area.lon, area.max_radius_km);
  map.mark(area.lat, area.lon, [area.radius_km, area.max_radius_km]);
  map.select(...data.regions);

  const override = h("textarea", { rows: 2 });
  const unmet = data.criteria_unmet.length > 0;
  const approve = h("form", { class: "action", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const button = event.target.querySelector("button[type=submit]");
    if (button.disabled) return;
    button.disabled = true;
    clearProblems(event.target);
    try {
      await api("POST", `/reports/${id}/approve`, { body: unmet ? { override_reason: override.value } : {}, version });
      say(t("done"));
      location.hash = "#/active";
    } catch (error) { refused(error, { override_reason: override }); } finally { button.disabled = false; }
  } },
  unmet ? [h("p", { class: "warning" }, `${t("criteria_unmet")}: ${data.criteria_unmet.map((c) => t(c)).join(", ")}`),
    field("override-reason", t("override_reason"), override)] : [],
  h("button", { type: "submit" }, t("approve")));

  return [h("h1", {}, t("preview")),
    data.status === "Exercise" ? h("p", { class: "drill" }, t("exercise")) : null,
    h("p", {}, `${t("identifier")}: ${data.identifier}`),
    h("p", {}, `${t("circle")}: ${area.radius_km} km (${t("radius_max")} ${area.max_radius_km} km, +${area.widen_km_per_hour} km/h) · ${data.regions.join(", ")}`),
    h("div", { class: "map-frame" }, map.element),
    h("p", {}, `${t("expires")}: ${when(data.expires_at)}`),
    h("section", { class: "texts" }, h("h3", {}, t("sms")), h("p", {}, data.sms.short), h("p", { class: "sms" }, sms(data.sms.short_sms))),
    texts,
    h("details", {}, h("summary", {}, t("cap")), h("pre", {}, data.cap)),
    approve,
    h("p", {}, h("a", { href: `#/report/${id}` }, t("back")))];
}

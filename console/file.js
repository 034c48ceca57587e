// Filing a report: every field of the contract, the last sighting placed on the map
// (the region follows from the point), the API's problems beside their fields. One
// `Idempotency-Key` per submission: a double click, or a retry after the network
// dropped the answer, files one report.
import { api, refused } from "./api.js";
import { checkbox, clearProblems, field, h, say } from "./dom.js";
import { t } from "./i18n.js";
import { drawMap, regionOf, regions } from "./map.js";

const CRITERIA = ["abduction_suspected", "risk_of_serious_harm", "sufficient_description", "registered_in_national_database"];
const LANGUAGE_NAMES = { ar: "العربية", fr: "Français", zgh: "ⵜⴰⵎⴰⵣⵉⵖⵜ", en: "English" };

/// A `datetime-local` value (the browser's time zone) as RFC 3339.
function instant(local) {
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? local : at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function now() {
  const at = new Date(Date.now() - new Date().getTimezoneOffset() * 60000);
  return at.toISOString().slice(0, 16);
}

const number = (value) => (value.trim() === "" || Number.isNaN(Number(value)) ? value : Number(value));

export async function fileReport() {
  const all = await regions();
  const inputs = {};
  const text = (path, label, attributes = {}, tag = "input") => {
    inputs[path] = h(tag, tag === "textarea" ? { rows: 3, ...attributes } : { type: "text", ...attributes });
    return field(`file-${path.replace(".", "-")}`, label, inputs[path]);
  };
  const select = (path, label, options) => {
    inputs[path] = h("select", {}, options.map(([value, name]) => h("option", { value }, name)));
    return field(`file-${path.replace(".", "-")}`, label, inputs[path]);
  };
  const tick = (path, label, checked) => {
    const { box, element } = checkbox(`file-${path.replace(/[.[\]]/g, "-")}`, label, checked);
    inputs[path] = box;
    return element;
  };

  const place = (lat, lon) => {
    inputs["last_seen.lat"].value = lat;
    inputs["last_seen.lon"].value = lon;
    moved();
  };
  const map = await drawMap(all, { label: t("map_label"), onpick: place });
  const moved = () => {
    const [latText, lonText] = [inputs["last_seen.lat"].value, inputs["last_seen.lon"].value];
    if (latText.trim() === "" || lonText.trim() === "") return;
    const lat = Number(latText);
    const lon = Number(lonText);
    // Outside every outline (the sea, a border): no region is guessed; the officer
    // chooses one, or the API says which region the point is near.
    const code = regionOf(all, lat, lon);
    inputs["last_seen.region"].value = code ?? "";
    if (code) map.zoom(code);
    // After the zoom: the point is drawn at the size of the view it is seen in.
    map.mark(lat, lon);
    map.select(inputs["last_seen.region"].value);
    found.textContent = code ? `${t("region")}: ${code} ${all[code].name}` : t("no_region");
  };
  const found = h("p", { class: "found", "aria-live": "polite" });

  const languages = h("fieldset", { id: "file-languages" }, h("legend", {}, t("languages")),
    Object.entries(LANGUAGE_NAMES).map(([code, name]) => tick(`languages.${code}`, name, true)));
  const criteria = h("fieldset", { id: "file-criteria" }, h("legend", {}, t("criteria")),
    CRITERIA.map((name) => tick(`criteria.${name}`, t(name), false)));

  const form = h("form", { class: "file", novalidate: true },
    h("h2", {}, t("child")),
    text("child.name", t("name"), { autocomplete: "off" }),
    text("child.age", t("age"), { type: "number", min: 0, max: 17, inputmode: "numeric" }),
    select("child.sex", t("sex"), [["female", t("female")], ["male", t("male")], ["unknown", t("unknown")]]),
    text("child.description", t("description"), {}, "textarea"),
    text("child.photo_url", t("photo_url"), { type: "url", inputmode: "url" }),
    tick("child.photo_consent", t("photo_consent"), false),
    h("h2", {}, t("last_seen")),
    text("last_seen.at", t("when"), { type: "datetime-local", value: now() }),
    text("last_seen.place", t("place")),
    h("p", { class: "hint" }, t("map_hint")),
    h("div", { class: "map-frame" }, map.element,
      h("button", { type: "button", class: "whole", onclick: () => map.zoom(null) }, t("whole_map"))),
    found,
    h("div", { class: "pair" },
      text("last_seen.lat", t("latitude"), { type: "number", step: "any", inputmode: "decimal", onchange: () => moved() }),
      text("last_seen.lon", t("longitude"), { type: "number", step: "any", inputmode: "decimal", onchange: () => moved() })),
    select("last_seen.region", t("region"), [["", t("choose_region")], ...Object.entries(all).map(([code, { name }]) => [code, `${code} ${name}`])]),
    h("h2", {}, t("circumstances")),
    text("circumstances.narrative", t("narrative"), {}, "textarea"),
    text("circumstances.vehicle", t("vehicle")),
    text("circumstances.suspect", t("suspect")),
    criteria,
    h("h2", {}, t("the_alert")),
    text("tip_line", t("tip_line"), { type: "tel", inputmode: "tel", placeholder: "+212…" }),
    languages,
    tick("exercise", t("exercise"), false),
    h("button", { type: "submit" }, t("file")));
  inputs.criteria = criteria;
  inputs.languages = languages;
  inputs["last_seen.region"].addEventListener("change", () => map.select(inputs["last_seen.region"].value));
  map.select(inputs["last_seen.region"].value);

  // Kept while the same submission is retried; a new one once the API refused it.
  let key = crypto.randomUUID();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    clearProblems(form);
    const value = (path) => inputs[path].value;
    const optional = (path) => (value(path).trim() === "" ? undefined : value(path));
    const body = {
      child: {
        name: value("child.name"),
        age: value("child.age") === "" ? undefined : number(value("child.age")),
        sex: value("child.sex"),
        description: value("child.description"),
        photo_url: optional("child.photo_url"),
        photo_consent: inputs["child.photo_consent"].checked,
      },
      last_seen: {
        at: instant(value("last_seen.at")),
        lat: number(value("last_seen.lat")),
        lon: number(value("last_seen.lon")),
        place: value("last_seen.place"),
        region: value("last_seen.region"),
      },
      circumstances: {
        narrative: value("circumstances.narrative"),
        vehicle: optional("circumstances.vehicle"),
        suspect: optional("circumstances.suspect"),
      },
      criteria: Object.fromEntries(CRITERIA.map((name) => [name, inputs[`criteria.${name}`].checked])),
      tip_line: value("tip_line"),
      languages: Object.keys(LANGUAGE_NAMES).filter((code) => inputs[`languages.${code}`].checked),
      exercise: inputs.exercise.checked,
    };
    try {
      const { data } = await api("POST", "/reports", { body, key });
      say(t("filed"));
      location.hash = `#/report/${data.id}`;
    } catch (error) {
      // Refused (4xx): the next try is another submission. A 5xx or no answer may have
      // filed it: the retry keeps the key, and the API answers with that report.
      if (error.status >= 400 && error.status < 500) key = crypto.randomUUID();
      refused(error, inputs);
    } finally {
      button.disabled = false;
    }
  });
  return [h("h1", {}, t("file_report")), form];
}

// The child's photo: shown once Tifli hosts it; uploaded, with the family's consent,
// straight from this browser to the bucket (a presigned form: no photo passes through
// the API), then read back from the report once the photo function has taken it or
// said why not.
import { api, refused } from "./api.js";
import { checkbox, clearProblems, field, h, say } from "./dom.js";
import { t } from "./i18n.js";

const TYPES = ["image/jpeg", "image/png", "image/webp"];
const WAIT_MS = 1000;
const TRIES = 30;

const pause = (ms) => new Promise((done) => setTimeout(done, ms));

/// What became of the upload of `key`: the report once it shows the photo, or the
/// history line that says why it was refused; `null` if neither came in time.
async function outcome(id, key, since) {
  for (let i = 0; i < TRIES; i++) {
    await pause(WAIT_MS);
    const { data } = await api("GET", `/reports/${id}`);
    if (data.photo?.original === key) return { hosted: data };
    const no = data.history.find((line) => line.action === "photo_refused" && line.version > since);
    if (no) return { refused: no.reason };
  }
  return null;
}

export function photoSection(id, data, reload) {
  const page = data.photo?.renditions?.find((r) => r.kind === "page");
  // Served by this site at /p/...: the path, so the console's own origin serves it.
  const shown = page
    ? h("img", { class: "photo", src: new URL(page.url).pathname, alt: `${t("photo_of")} ${data.child.name}`, width: page.width, height: page.height })
    : null;
  if (!["pending_review", "active"].includes(data.status)) return shown;
  const file = h("input", { type: "file", accept: TYPES.join(",") });
  const consent = checkbox("photo-consent", t("photo_upload_consent"));
  const status = h("p", { class: "muted", role: "status", id: "photo-status" });
  const inputs = { consent: consent.box, content_type: file };
  const form = h("form", { class: "action", novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const button = event.target.querySelector("button[type=submit]");
    if (button.disabled) return;
    clearProblems(event.target);
    const chosen = file.files[0];
    if (!chosen || !TYPES.includes(chosen.type)) {
      status.textContent = t("photo_type");
      return;
    }
    button.disabled = true;
    try {
      const body = { consent: consent.box.checked, content_type: chosen.type };
      const { data: upload } = await api("POST", `/reports/${id}/photo`, { body });
      const form = new FormData();
      for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
      form.append("file", chosen);
      status.textContent = t("photo_sending");
      // The bucket answers another origin: the answer is opaque to this page, and the
      // report says what came of the file.
      await fetch(upload.url, { method: "POST", body: form, mode: "no-cors" });
      status.textContent = t("photo_processing");
      const done = await outcome(id, upload.fields.key, data.version);
      if (done?.hosted) {
        say(t("photo_published"));
        await reload();
      } else if (done?.refused) {
        status.textContent = `${t("photo_refused")}: ${done.refused}`;
      } else {
        status.textContent = t("photo_slow");
      }
    } catch (error) { refused(error, inputs); } finally { button.disabled = false; }
  } }, h("h3", {}, t("photo_upload")), field("photo-file", t("photo_file"), file), consent.element,
  h("button", { type: "submit" }, t("photo_upload")), status);
  return [shown, form];
}

// The operator console: a client of the HTTP API like any other, one screen per
// address (`#/queue`, `#/report/{id}`, …).
import { isOfficer, refused, session } from "./api.js";
import { h, say, show } from "./dom.js";
import { fileReport } from "./file.js";
import { LANGUAGES, choose, language, t } from "./i18n.js";
import { active, queue } from "./lists.js";
import { preview } from "./preview.js";
import { report } from "./report.js";
import { returning, signOut, signinScreen } from "./signin.js";

function navigation() {
  const nav = document.getElementById("nav");
  if (!session.token) {
    nav.replaceChildren();
    return;
  }
  nav.replaceChildren(...[
    h("a", { href: "#/queue" }, t("queue")),
    h("a", { href: "#/active" }, t("active")),
    isOfficer() ? h("a", { href: "#/file" }, t("file_report")) : null,
    h("span", { class: "who" }, `${session.sub} (${session.groups.map((group) => t(group)).join(", ")})`),
    h("button", { type: "button", onclick: () => signOut() }, t("signout")),
  ].filter(Boolean));
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
    if (!session.token) content = await signinScreen();
    else if (screen === "report" && id) content = await report(id, route);
    else if (screen === "preview" && id) content = await preview(id);
    else if (screen === "file") content = await fileReport();
    else if (screen === "active") content = await active();
    else content = await queue();
  } catch (error) {
    if (error.status === 401) {
      signOut(false);
      return;
    }
    refused(error);
    return;
  }
  if (mine === navigations) show(...content);
}

addEventListener("hashchange", route);
addEventListener("DOMContentLoaded", async () => {
  const picker = document.getElementById("language");
  picker.value = language();
  // The screen is drawn again in the new language; what was typed in it stays.
  picker.addEventListener("change", async () => {
    choose(picker.value);
    const typed = [...document.querySelectorAll("#app [id]")]
      .filter((input) => ["INPUT", "SELECT", "TEXTAREA"].includes(input.tagName))
      .map((input) => [input.id, input.type === "checkbox" ? input.checked : input.value]);
    await route();
    for (const [id, value] of typed) {
      const input = document.getElementById(id);
      if (!input) continue;
      if (input.type === "checkbox") input.checked = value;
      else input.value = value;
    }
  });
  try {
    await returning();
  } catch {
    say(t("signin_failed"));
  }
  route();
});

// Signing in. Locally the runner's `/dev/token` gives a token for a demo identity. In
// production, Cognito managed login: the authorization code flow with PKCE (RFC 7636),
// no client secret, the tokens kept in memory and dropped when they expire.
import { session } from "./api.js";
import { h, say } from "./dom.js";
import { settings } from "./config.js";
import { t } from "./i18n.js";

let config = null;

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/// The S256 code challenge of a verifier.
export async function challenge(verifier) {
  return base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
}

function claims(token) {
  const payload = token.split(".")[1].replaceAll("-", "+").replaceAll("_", "/");
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
}

/// Keeps a token, and signs out the moment it expires rather than on a refused call.
function begin(token) {
  const { sub, exp, "cognito:groups": groups = [] } = claims(token);
  clearTimeout(session.timer);
  Object.assign(session, { token, sub, groups: Array.isArray(groups) ? groups : [groups] });
  session.timer = setTimeout(() => {
    signOut(false);
    say(t("expired"));
  }, Math.max(0, exp * 1000 - Date.now()));
}

export function signOut(leaveProvider = true) {
  clearTimeout(session.timer);
  Object.assign(session, { token: null, sub: null, groups: [], timer: null });
  if (leaveProvider && config?.signin === "cognito") {
    const query = new URLSearchParams({ client_id: config.client_id, logout_uri: config.redirect_uri });
    location.assign(`${config.authority}/logout?${query}`);
    return;
  }
  if (location.hash === "#/signin") dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = "#/signin";
}

async function demo(sub, groups) {
  const response = await fetch("/dev/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sub, groups }),
  });
  begin((await response.json()).token);
  location.hash = "#/queue";
}

async function managedLogin() {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  // Only for the round trip through the sign-in page; removed on the way back.
  sessionStorage.setItem("tifli-pkce", JSON.stringify({ verifier, state }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.client_id,
    redirect_uri: config.redirect_uri,
    scope: "openid",
    state,
    code_challenge: await challenge(verifier),
    code_challenge_method: "S256",
  });
  location.assign(`${config.authority}/oauth2/authorize?${query}`);
}

/// Back from the managed login with `?code=…&state=…`: the code for tokens.
export async function returning() {
  const query = new URLSearchParams(location.search);
  if (!query.has("code")) return;
  config = await settings();
  const pending = JSON.parse(sessionStorage.getItem("tifli-pkce") ?? "null");
  sessionStorage.removeItem("tifli-pkce");
  history.replaceState(null, "", location.pathname);
  if (!pending || pending.state !== query.get("state")) {
    say(t("signin_failed"));
    return;
  }
  const response = await fetch(`${config.authority}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.client_id,
      code: query.get("code"),
      redirect_uri: config.redirect_uri,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) {
    say(t("signin_failed"));
    return;
  }
  // The ID token: its audience is the app client, which the API's authorizer checks.
  begin((await response.json()).id_token);
  location.hash = "#/queue";
}

export async function signinScreen() {
  config = await settings();
  if (config.signin === "cognito") {
    return [h("h1", {}, t("signin")), h("button", { type: "button", onclick: managedLogin }, t("signin"))];
  }
  const choices = config.identities.map(({ sub, groups }) =>
    h("li", {}, h("button", { type: "button", onclick: () => demo(sub, groups) },
      `${t("signin_as")} ${sub} (${groups.map((group) => t(group)).join(", ")})`)));
  return [h("h1", {}, t("signin")), h("p", {}, t("demo_identities")), h("ul", { class: "identities" }, choices)];
}

"""The operator console as officers and supervisors use it, in Debian's Chromium, headless,
driven by Playwright: run by infra/tests/console.rs against a running local stack.

Usage: python tests/console/e2e.py BASE_URL STATE.json SCREENSHOTS_DIR
STATE.json names the reports the Rust test filed: {"plain", "hostile", "stale",
"hostile_name"}. Prints one line per check; exits non-zero on the first that fails.
"""

import json
import sys
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium reaches for Google's hosts at every start, which this closed
# network refuses.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def token(base, sub, group):
    request = urllib.request.Request(
        f"{base}/dev/token",
        data=json.dumps({"sub": sub, "groups": [group]}).encode(),
        headers={"content-type": "application/json"},
    )
    return json.load(urllib.request.urlopen(request))["token"]


def api(base, method, path, sub, group, body=None, version=None):
    headers = {"authorization": f"Bearer {token(base, sub, group)}", "content-type": "application/json"}
    if version is not None:
        headers["if-match"] = f'"{version}"'
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=data, headers=headers, method=method)
    return urllib.request.urlopen(request).status


def check(what):
    print(f"ok: {what}", flush=True)


# axe-core, pinned in package.json and installed by tests/run (`npm ci`).
AXE = (Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
AUDITED = []


def audit(page, screen):
    """The accessibility audit of what the page shows now: no serious or critical
    violation. Evaluated through the browser's debugging protocol, so the page's
    Content-Security-Policy needs no exception for it."""
    page.evaluate(AXE)
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")
    grave = [
        f"{v['id']} ({v['impact']}): {v['help']}, at {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not grave, f"{screen}: {grave}"
    AUDITED.append(screen)


def sign_in(page, base, sub):
    page.goto(f"{base}/console/")
    page.get_by_role("button", name=f"{sub} (", exact=False).click()
    expect(page.locator(".who")).to_contain_text(sub)


def main():
    base, state_path, shots = sys.argv[1], sys.argv[2], sys.argv[3]
    state = json.load(open(state_path, encoding="utf-8"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))

        # A supervisor signs in and finds the reports waiting, each with its time.
        page.goto(f"{base}/console/")
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        audit(page, "sign-in")
        sign_in(page, base, "supervisor-1")
        expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
        expect(page.locator(".card")).to_have_count(3)
        expect(page.locator(".waiting").first).to_contain_text("waiting")
        check("the queue lists the three reports waiting, with their time waiting")

        # Hostile text renders as text: no element, no script.
        hostile = page.locator(".card a", has_text=state["hostile_name"][:20])
        expect(hostile).to_have_count(1)
        assert page.locator(".card img").count() == 0, "markup from a name became an element"
        check("a hostile name is shown as text")
        audit(page, "review queue")
        page.screenshot(path=f"{shots}/console-queue.png", full_page=True)

        # The preview shows what will go out, and approving from it publishes.
        page.goto(f"{base}/console/#/preview/{state['plain']}")
        expect(page.locator("section.texts")).to_have_count(4)
        expect(page.locator("section.texts[lang=ar]")).to_have_attribute("dir", "rtl")
        expect(page.locator(".sms").first).to_contain_text("segments: 1")
        expect(page.get_by_text(f"Identifier: tifli-{state['plain']}-2")).to_be_visible()
        page.screenshot(path=f"{shots}/console-preview.png", full_page=True)
        audit(page, "preview")
        page.get_by_role("button", name="Approve").click()
        expect(page.get_by_role("heading", name="Active alerts")).to_be_visible()
        expect(page.locator(".card")).to_have_count(1)
        expect(page.locator(".card")).to_contain_text("time left")
        page.screenshot(path=f"{shots}/console-active.png", full_page=True)
        audit(page, "active alerts")
        check("a supervisor approves after reading the preview; the alert is active")

        # A report another supervisor changed meanwhile: the reload message, nothing done.
        page.goto(f"{base}/console/#/preview/{state['stale']}")
        expect(page.locator("section.texts").first).to_be_visible()
        api(base, "POST", f"/reports/{state['stale']}/reject", "supervisor-2", "supervisors",
            {"reason": "Duplicate of an earlier report"}, version=1)
        page.get_by_role("button", name="Approve").click()
        expect(page.locator("#status")).to_have_text("Someone changed this report: reload it before acting.")
        check("a stale version shows the reload message")

        # A field the API refuses shows its message beside the field, once per try.
        page.goto(f"{base}/console/#/report/{state['hostile']}")
        page.get_by_role("button", name="Reject").click()
        reason = page.get_by_label("Reason")
        expect(reason).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#reject-reason-error")).to_be_visible()
        page.get_by_role("button", name="Reject").click()
        expect(page.locator("#status")).to_contain_text("Refused")
        expect(page.locator(".field-error")).to_have_count(1)
        check("a refused field shows its message beside it")

        # The officer posts an update, then reports the child found; the list empties.
        page.get_by_role("button", name="Sign out").click()
        sign_in(page, base, "officer-1")
        page.goto(f"{base}/console/#/report/{state['plain']}")
        expect(page.get_by_label("Message")).to_be_visible()
        audit(page, "a report, with its actions")
        page.get_by_label("Message").fill("Seen near the station at noon")
        page.get_by_role("button", name="Publish an update").click()
        expect(page.locator(".history li")).to_have_count(3)
        page.get_by_role("button", name="Child found").click()
        expect(page.get_by_role("heading", name="Active alerts")).to_be_visible()
        expect(page.get_by_text("No alert is active.")).to_be_visible()
        check("the officer updates and resolves; the active list empties")

        # In Arabic: the page turns right to left, and the choice is remembered.
        page.get_by_label("Language").select_option("ar")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        expect(page.get_by_role("heading", name="الإنذارات النشطة")).to_be_visible()
        page.reload()
        sign_in(page, base, "officer-1")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", name="قائمة المراجعة")).to_be_visible()
        audit(page, "review queue, in Arabic")
        check("Arabic: right to left, remembered")

        assert not dialogs, f"a script ran: {dialogs}"
        assert not errors, f"errors in the page: {errors}"
        check("no script from the data ran, no error in the page")
        check(f"axe-core: no serious or critical violation on {len(AUDITED)} screens ({', '.join(AUDITED)})")
        browser.close()


if __name__ == "__main__":
    main()

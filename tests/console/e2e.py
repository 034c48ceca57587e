"""The operator console as officers and supervisors use it, in Debian's Chromium, headless,
driven by Playwright: run by infra/tests/console.rs against a running local stack.

Usage: python tests/console/e2e.py BASE_URL STATE.json SCREENSHOTS_DIR
STATE.json names what the Rust test prepared: {"stale": a report id, "hostile": the
hostile text, "sample": a report's body}. Prints one line per check; exits non-zero on the first that fails.
"""

import base64
import hashlib
import json
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

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
DESK = {"width": 1100, "height": 900}
PHONE = {"width": 390, "height": 844}
# Khémisset, in Rabat-Salé-Kénitra, far enough from its borders and the coast that a
# click at the country's scale lands in it.
KHEMISSET = (33.8242, -6.0658)

# The words the checks look for, in the two languages the full flow runs in.
WORDS = {
    "en": {"queue": "Review queue", "active": "Active alerts", "none_active": "No alert is active."},
    "ar": {"queue": "قائمة المراجعة", "active": "الإنذارات النشطة", "none_active": "لا يوجد إنذار نشط."},
}


def token(base, sub, groups):
    request = urllib.request.Request(
        f"{base}/dev/token",
        data=json.dumps({"sub": sub, "groups": groups}).encode(),
        headers={"content-type": "application/json"},
    )
    return json.load(urllib.request.urlopen(request))["token"]


def api(base, method, path, sub, groups, body=None, version=None):
    headers = {"authorization": f"Bearer {token(base, sub, groups)}", "content-type": "application/json"}
    if version is not None:
        headers["if-match"] = f'"{version}"'
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=data, headers=headers, method=method)
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


def delivered(base, alert, msg_type, subscriber="MA-04"):
    """Waits until the demo subscriber of the region (an SQS queue subscribed to the
    alerts topic with the region's filter) has received `msg_type` for `alert`."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base}/dev/deliveries") as response:
            deliveries = json.load(response)
        if any(d["alert_id"] == alert and d["msg_type"] == msg_type and d["subscriber"] == subscriber for d in deliveries):
            return
        time.sleep(0.2)
    raise AssertionError(f"no {msg_type} for {alert} reached the {subscriber} queue")


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


def fits(page, screen):
    """Nothing sticks out sideways: the layout holds at the page's width."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{screen}: {overflow} px wider than the screen"


def sign_in(page, base, sub):
    page.goto(f"{base}/console/")
    page.locator(".identities button", has_text=f" {sub} (").click()
    expect(page.locator(".who")).to_contain_text(sub)


def sign_out(page):
    page.locator("#nav button").click()
    expect(page.locator(".identities")).to_be_visible()


def click_map(page, lat, lon):
    """A click on the map where (lat, lon) is drawn, as a person places the sighting."""
    x, y = page.evaluate(
        """([lat, lon]) => {
            const svg = document.querySelector("svg.map");
            svg.scrollIntoView({ block: "center" });
            // Web Mercator, the world 256 × 2^6 units wide, as console/map.js draws it.
            const world = 256 * 2 ** 6;
            const phi = lat * Math.PI / 180;
            const x = (lon + 180) / 360 * world;
            const y = (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2 * world;
            const point = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM());
            return [point.x, point.y];
        }""",
        [lat, lon],
    )
    page.mouse.click(x, y)


CRITERIA = ("abduction_suspected", "risk_of_serious_harm", "sufficient_description", "registered_in_national_database")


def fill_report(page, text, *, age="7", tip_line="+212537000000", unmet=()):
    """Fills every field of the filing form, `text` in every free-text one."""
    page.locator("#file-child-name").fill(text["name"])
    page.locator("#file-child-age").fill(age)
    page.locator("#file-child-sex").select_option("female")
    page.locator("#file-child-description").fill(text["description"])
    page.locator("#file-last_seen-place").fill(text["place"])
    click_map(page, *KHEMISSET)  # places the point, zooms to its region
    click_map(page, *KHEMISSET)  # places it closely
    expect(page.locator("#file-last_seen-region")).to_have_value("MA-04")
    page.locator("#file-circumstances-narrative").fill(text["narrative"])
    page.locator("#file-circumstances-vehicle").fill(text["vehicle"])
    page.locator("#file-circumstances-suspect").fill(text["suspect"])
    for criterion in CRITERIA:
        if criterion not in unmet:
            page.locator(f"#file-criteria-{criterion}").check()
    page.locator("#file-tip_line").fill(tip_line)


def filed_id(page):
    expect(page).to_have_url(re.compile(r"#/report/[0-9A-Z]{26}$"))
    return page.url.rsplit("/", 1)[1]


PLAIN = {
    "name": "Amina",
    "description": "Red coat, black school bag, short hair",
    "place": "Khémisset, near the bus station",
    "narrative": "Left school at 16:00 and did not come home",
    "vehicle": "White van",
    "suspect": "Man in his forties, grey jacket",
}


def full_flow(page, base, lang, shots):
    """An officer files a report through the form; a second identity approves it after
    reading the preview; the region's queue receives it; the officer posts an update; a
    supervisor resolves it; the active list empties. All in `lang`."""
    words = WORDS[lang]
    page.goto(f"{base}/console/")
    page.locator("#language").select_option(lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    sign_in(page, base, "officer-1")
    page.locator("#nav a[href='#/file']").click()
    expect(page.locator("form.file")).to_be_visible()
    name = {"en": "Amina", "ar": "أمينة"}[lang]
    fill_report(page, {**PLAIN, "name": name})
    if lang == "en":
        audit(page, "file a report")
        page.screenshot(path=f"{shots}/console-file.png", full_page=True)
        # Two submissions of one form, as from a double click on a slow network: one
        # Idempotency-Key, one report.
        page.locator("form.file").evaluate("form => { form.requestSubmit(); form.requestSubmit(); }")
    else:
        page.locator("form.file button[type=submit]").click()
    report = filed_id(page)
    waiting = api(base, "GET", "/reports?status=pending_review&limit=100", "supervisor-2", ["supervisors"])
    mine = [r for r in waiting["items"] if r["child"]["name"] == name]
    assert len(mine) == 1, f"{len(mine)} reports filed for one form"
    assert mine[0]["last_seen"]["region"] == "MA-04", mine[0]["last_seen"]
    assert abs(mine[0]["last_seen"]["lat"] - KHEMISSET[0]) < 0.05 and abs(mine[0]["last_seen"]["lon"] - KHEMISSET[1]) < 0.05
    sign_out(page)

    sign_in(page, base, "supervisor-2")
    expect(page.get_by_role("heading", name=words["queue"])).to_be_visible()
    page.locator(".card a", has_text=name).click()
    page.locator(f"a[href='#/preview/{report}']").click()
    expect(page.locator("section.texts[lang]")).to_have_count(4)
    expect(page.locator("section.texts[lang=ar]")).to_have_attribute("dir", "rtl")
    expect(page.locator("svg.map .circle")).to_have_count(2)
    expect(page.locator("svg.map .region.selected").first).to_be_visible()
    if lang == "en":
        expect(page.locator(".sms").first).to_contain_text("segments: ")
        expect(page.get_by_text(f"Identifier: tifli-{report}-2")).to_be_visible()
        page.screenshot(path=f"{shots}/console-preview.png", full_page=True)
        audit(page, "preview")
    page.locator("form.action button[type=submit]").click()
    expect(page.get_by_role("heading", name=words["active"])).to_be_visible()
    card = page.locator(".card", has_text=name)
    expect(card).to_have_count(1)
    if lang == "en":
        expect(card).to_contain_text("time left")
        expect(card).to_contain_text("radius now 10 km")
        expect(card).to_contain_text("next")
        page.screenshot(path=f"{shots}/console-active.png", full_page=True)
        audit(page, "active alerts")
    delivered(base, report, "Alert")
    # Its public page, in another tab on a phone, as a person who follows a shared link.
    public = page.context.browser.new_page(viewport=PHONE)
    public.goto(f"{base}/a/{report}?lang={lang}")
    expect(public.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    expect(public.locator("h1")).to_contain_text(name)
    expect(public.locator("a.call")).to_have_attribute("href", "tel:+212537000000")
    fits(public, f"the public page in {lang}")
    audit(public, f"the public page in {lang}")
    public.screenshot(path=f"{shots}/page-{lang}.png", full_page=True)
    public.close()
    # A witness on a phone with JavaScript off sends what they saw from the page's form.
    witness = page.context.browser.new_context(viewport=PHONE, java_script_enabled=False)
    public = witness.new_page()
    public.goto(f"{base}/a/{report}?lang={lang}")
    seen = {"en": "A girl in a red coat at the bus station", "ar": "فتاة بمعطف أحمر في محطة الحافلات"}[lang]
    public.locator("#seen_ago").select_option("15")
    public.locator("#place").fill("Gare routière")
    public.locator("#description").fill(seen)
    public.locator("form button[type=submit]").click()
    thanks = {"en": "Thank you. The police received what you saw.", "ar": "شكرًا. توصلت الشرطة بما رأيتم."}[lang]
    expect(public.locator("p.notice")).to_have_text(thanks)
    expect(public.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
    if lang == "en":
        public.screenshot(path=f"{shots}/page-sighting-sent.png", full_page=True)
    witness.close()
    sightings = api(base, "GET", f"/reports/{report}/sightings", "officer-2", ["officers"])
    assert [s["description"] for s in sightings["items"]] == [seen], sightings
    sign_out(page)

    sign_in(page, base, "officer-1")
    page.goto(f"{base}/console/#/report/{report}")
    # The case's officers see it on the report.
    expect(page.locator(".sighting")).to_have_count(1)
    expect(page.locator(".sighting")).to_contain_text(seen)
    expect(page.locator(".sighting")).to_contain_text("Gare routière")
    page.locator("#update-message").fill("Seen near the station at noon")
    page.locator("#update-message").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    # The answer, then the report read again: on a busy machine, more than the default.
    expect(page.locator(".history li")).to_have_count(3, timeout=15_000)
    if lang == "en":
        audit(page, "a report, with its actions")
    delivered(base, report, "Update")
    sign_out(page)

    sign_in(page, base, "supervisor-2")
    page.goto(f"{base}/console/#/report/{report}")
    page.locator("#resolve-note").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.get_by_role("heading", name=words["active"])).to_be_visible()
    expect(page.get_by_text(words["none_active"])).to_be_visible()
    delivered(base, report, "Cancel")
    sign_out(page)
    check(f"{lang}: filed in the form, approved after the preview by another, received by the region's queue, a sighting sent from the page without JavaScript and read on the report, updated, resolved; the active list empties")


def photo(page, base, state, shots):
    """The reporting officer uploads the child's photo from the report: refused without
    the family's consent (the reason beside the box), then sent straight to the bucket,
    checked and published by the photo function; the report and the public page show it."""
    body = json.loads(json.dumps(state["sample"]))
    body["child"]["name"] = "Salma"
    report = api(base, "POST", "/reports", "officer-1", ["officers"], body)["id"]
    api(base, "POST", f"/reports/{report}/approve", "supervisor-2", ["supervisors"], {}, version=1)
    sign_in(page, base, "officer-1")
    page.goto(f"{base}/console/#/report/{report}")
    page.locator("#photo-file").set_input_files(state["photo"])
    upload = page.locator("#photo-file").locator("xpath=ancestor::form").locator("button[type=submit]")
    upload.click()
    expect(page.locator("#photo-consent-error")).to_be_visible()
    page.locator("#photo-consent").check()
    upload.click()
    expect(page.locator("img.photo")).to_be_visible(timeout=30_000)
    expect(page.locator(".history li").last).to_contain_text("added the photo")
    src = page.locator("img.photo").get_attribute("src")
    assert src.startswith("/p/") and src.endswith("/page.jpg"), src
    # Upright: the phone's orientation (turned a quarter) applied to its 900 × 1200.
    size = page.locator("img.photo").evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size == [1200, 900], size
    audit(page, "a report with its photo")
    page.screenshot(path=f"{shots}/console-photo.png", full_page=True)
    public = page.context.browser.new_page(viewport=PHONE)
    public.goto(f"{base}/a/{report}")
    expect(public.locator(f"img[src$='{src}']")).to_be_visible()
    public.screenshot(path=f"{shots}/page-photo.png", full_page=True)
    public.close()
    sign_out(page)
    # Found: the alert ends and its photo stops being served.
    api(base, "POST", f"/reports/{report}/resolve", "officer-1", ["officers"], {"outcome": "found"}, version=3)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}{src}")
        except urllib.error.HTTPError as gone:
            assert gone.code == 404, gone.code
            break
        assert time.monotonic() < deadline, "the photo is still served after the alert ended"
        time.sleep(0.2)
    check("a photo: refused without consent, then uploaded to the bucket, stripped, upright, shown on the report and the public page, gone once the child is found")


def refusals(page, base, state):
    """What the API refuses, the console says where it belongs."""
    # A field the API refuses: its message beside the field.
    sign_in(page, base, "officer-1")
    page.goto(f"{base}/console/#/file")
    fill_report(page, PLAIN, age="19", tip_line="12")
    page.locator("form.file button[type=submit]").click()
    expect(page.locator("#file-child-age")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#file-child-age-error")).to_be_visible()
    expect(page.locator("#file-tip_line-error")).to_be_visible()
    expect(page.locator("#status")).to_contain_text("Refused")
    # Fixed, the same form files.
    page.locator("#file-child-age").fill("9")
    page.locator("#file-tip_line").fill("+212537000000")
    page.locator("form.file button[type=submit]").click()
    filed_id(page)
    check("a refused field shows its message beside it; fixed, the form files")

    # The answer lost on the way back (the report filed, the browser told 503): the
    # retry carries the same Idempotency-Key and files nothing more.
    keys = []

    def lost_answer(route):
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()
            route.fulfill(status=503, content_type="application/problem+json",
                          json={"type": "/problems/unavailable", "title": "Service unavailable", "status": 503, "detail": "try again"})
        else:
            route.continue_()

    page.route("**/reports", lost_answer)
    page.goto(f"{base}/console/#/file")
    fill_report(page, {**PLAIN, "name": "Lina"})
    page.locator("form.file button[type=submit]").click()
    expect(page.locator("#status")).to_contain_text("try again")
    page.locator("form.file button[type=submit]").click()
    filed_id(page)
    page.unroute("**/reports")
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0], keys
    waiting = api(base, "GET", "/reports?status=pending_review&limit=100", "supervisor-2", ["supervisors"])["items"]
    assert sum(r["child"]["name"] == "Lina" for r in waiting) == 1, "the retry filed a second report"
    check("an answer lost on the way: the retry keeps its Idempotency-Key and files once")
    sign_out(page)

    # The reporter cannot approve their own report (a station chief is both).
    sign_in(page, base, "supervisor-1")
    page.goto(f"{base}/console/#/file")
    fill_report(page, {**PLAIN, "name": "Salma"})
    page.locator("form.file button[type=submit]").click()
    own = filed_id(page)
    page.goto(f"{base}/console/#/preview/{own}")
    expect(page.locator("section.texts").first).to_be_visible()
    page.locator("form.action button[type=submit]").click()
    expect(page.locator("#status")).to_contain_text("cannot approve it")
    check("the reporter cannot approve their own report: the API's reason is shown")

    # A report another supervisor changed meanwhile: the reload message, nothing done.
    page.goto(f"{base}/console/#/preview/{state['stale']}")
    expect(page.locator("section.texts").first).to_be_visible()
    api(base, "POST", f"/reports/{state['stale']}/reject", "supervisor-2", ["supervisors"],
        {"reason": "Duplicate of an earlier report"}, version=1)
    page.locator("form.action button[type=submit]").click()
    expect(page.locator("#status")).to_have_text("Someone changed this report: reload it before acting.")
    check("a stale version shows the reload message")

    # An empty reason: the message beside the field, once however many tries.
    page.goto(f"{base}/console/#/report/{own}")
    page.locator("#reject-reason").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator("#reject-reason")).to_have_attribute("aria-invalid", "true")
    page.locator("#reject-reason").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator("#status")).to_contain_text("Refused")
    expect(page.locator(".field-error")).to_have_count(1)
    check("an action's refused field shows its message beside it, once")
    sign_out(page)


def submit(page, control):
    """Submits the form that holds `control`."""
    page.locator(control).locator("xpath=ancestor::form").locator("button[type=submit]").click()


def supervising(page, base):
    """A criterion unmet: the preview says which, and approving needs a reason; then a
    supervisor extends the alert, puts an officer on the case and withdraws it."""
    sign_in(page, base, "officer-1")
    page.goto(f"{base}/console/#/file")
    fill_report(page, {**PLAIN, "name": "Nora"}, unmet=("risk_of_serious_harm",))
    page.locator("form.file button[type=submit]").click()
    report = filed_id(page)
    sign_out(page)
    sign_in(page, base, "supervisor-2")
    page.goto(f"{base}/console/#/preview/{report}")
    expect(page.locator(".warning")).to_contain_text("Risk of serious harm")
    page.locator("form.action button[type=submit]").click()
    expect(page.locator("#override-reason-error")).to_be_visible()
    page.locator("#override-reason").fill("Seen forced into a car by a witness at the school gate")
    page.locator("form.action button[type=submit]").click()
    expect(page.get_by_role("heading", name="Active alerts")).to_be_visible()
    check("a criterion unmet: named in the preview, approval refused without a reason, accepted with one")

    page.goto(f"{base}/console/#/report/{report}")
    page.locator("#extend-hours").fill("6")
    submit(page, "#extend-hours")
    expect(page.locator(".history li")).to_have_count(3)
    page.locator("#assign-officer").fill("officer-7")
    submit(page, "#assign-officer")
    expect(page.locator(".history li")).to_have_count(4)
    expect(page.locator(".details")).to_contain_text("officer-7")
    page.locator("#assign-officer").fill("officer-7")
    submit(page, "#assign-officer")
    expect(page.locator("#assign-officer-error")).to_contain_text("already on this case")
    page.locator("#cancel-reason").fill("Withdrawn: the family located the child's aunt")
    submit(page, "#cancel-reason")
    expect(page.get_by_role("heading", name="Active alerts")).to_be_visible()
    expect(page.locator(".card", has_text="Nora")).to_have_count(0)
    delivered(base, report, "Cancel")
    sign_out(page)
    check("a supervisor extends, puts an officer on the case (twice refused), withdraws; the queue receives the Cancel")


def hostile(page, base, state, shots):
    """Hostile text in every field renders as text: no element, no script, and the
    layout holds, on a desk and on a phone."""
    text = state["hostile"]
    sign_in(page, base, "officer-1")
    page.goto(f"{base}/console/#/file")
    fill_report(page, {key: text[key] for key in PLAIN})
    page.locator("form.file button[type=submit]").click()
    report = filed_id(page)
    expect(page.locator("#app h1")).to_have_text(text["name"])
    expect(page.locator(".details")).to_contain_text(text["narrative"])
    assert page.locator("#app img, #app script, #app b").count() == 0, "markup from input became an element"
    fits(page, "a hostile report")
    sign_out(page)
    sign_in(page, base, "supervisor-2")
    expect(page.locator(".card a", has_text=text["name"][:20])).to_have_count(1)
    fits(page, "the queue, with a hostile report")
    page.screenshot(path=f"{shots}/console-queue.png", full_page=True)
    audit(page, "review queue")
    page.goto(f"{base}/console/#/preview/{report}")
    expect(page.locator("section.texts[lang=en]")).to_contain_text(text["description"][:30])
    fits(page, "the preview of a hostile report")
    page.set_viewport_size(PHONE)
    for screen in (f"#/report/{report}", f"#/preview/{report}", "#/queue", "#/file"):
        page.goto(f"{base}/console/{screen}")
        expect(page.locator("#app h1")).to_be_visible()
        fits(page, f"{screen} on a phone")
    audit(page, "file a report, on a phone")

    # Approved, its public page: the same text, in every language, as text.
    api(base, "POST", f"/reports/{report}/approve", "supervisor-2", ["supervisors"], {}, version=1)
    for lang, direction in [("ar", "rtl"), ("fr", "ltr"), ("zgh", "ltr"), ("en", "ltr")]:
        page.goto(f"{base}/a/{report}?lang={lang}")
        expect(page.locator("html")).to_have_attribute("dir", direction)
        expect(page.locator("h1")).to_contain_text(text["name"][:20])
        assert page.locator("main img, script, main b").count() == 0, f"{lang}: markup from input became an element"
        fits(page, f"the public page in {lang}, on a phone")
    audit(page, "the public page, on a phone")
    page.set_viewport_size(DESK)
    api(base, "POST", f"/reports/{report}/cancel", "supervisor-2", ["supervisors"], {"reason": "A test of hostile text"}, version=2)
    # The console kept its token in memory only: leaving it signed out.
    page.goto(f"{base}/console/")
    expect(page.locator(".identities")).to_be_visible()
    check("hostile text in every field renders as text in the console and on the public page; the layout holds on a desk and on a phone")


def keyboard(page, base):
    """Signing in and moving between screens by keyboard alone."""
    page.goto(f"{base}/console/")
    expect(page.locator(".identities button").first).to_be_visible()
    audit(page, "sign-in")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").endswith("(officer)"):
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    page.locator("#nav a[href='#/active']").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Active alerts")).to_be_visible()
    # The map's keyboard way: the coordinates typed, the region follows.
    page.locator("#nav a[href='#/file']").focus()
    page.keyboard.press("Enter")
    page.locator("#file-last_seen-lat").focus()
    page.keyboard.type(str(KHEMISSET[0]))
    page.keyboard.press("Tab")
    page.keyboard.type(str(KHEMISSET[1]))
    page.keyboard.press("Tab")
    expect(page.locator("#file-last_seen-region")).to_have_value("MA-04")
    expect(page.locator("svg.map .point")).to_have_count(1)
    sign_out(page)
    check("by keyboard alone: sign in, move between screens, place the sighting by its coordinates")


def modules(page, base):
    """The console's own code, checked where it runs: PKCE's S256 challenge against
    RFC 7636's example, and every word in every language."""
    page.goto(f"{base}/console/")
    challenge = page.evaluate(
        "import(location.origin + '/console/signin.js').then(m => m.challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'))"
    )
    assert challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", challenge
    missing = page.evaluate(
        """import(location.origin + '/console/i18n.js').then(({ WORDS }) =>
            Object.keys(WORDS).flatMap(lang => Object.keys(WORDS.en).filter(key => !(key in WORDS[lang])).map(key => `${lang}.${key}`)))"""
    )
    assert not missing, missing
    check("PKCE: the S256 challenge of RFC 7636's example; every word in en, fr and ar")


def managed_login(page, base):
    """The production sign-in, Cognito's managed login, played by routes of the page
    itself on the console's origin (so that the console's Content-Security-Policy holds
    as deployed): the authorization code with PKCE, the state checked, the tokens in
    memory only, and signed out when they expire."""
    authority = f"{base}/idp"
    config = {"signin": "cognito", "authority": authority, "client_id": "console-client", "redirect_uri": f"{base}/console/"}
    seen = {}

    def authorize(route):
        query = parse_qs(urlparse(route.request.url).query)
        seen.update({key: values[0] for key, values in query.items()})
        state = seen.pop("forge", None) or seen["state"]
        back = f"{config['redirect_uri']}?code=the-code&state={state}"
        route.fulfill(status=302, headers={"location": back})

    def exchange(route):
        form = {key: values[0] for key, values in parse_qs(route.request.post_data).items()}
        seen["exchange"] = form
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
        if form.get("code") != "the-code" or challenge != seen.get("code_challenge"):
            route.fulfill(status=400, json={"error": "invalid_grant"})
            return
        id_token = token(base, "supervisor-2", ["supervisors"])
        route.fulfill(json={"id_token": id_token, "access_token": "unused", "token_type": "Bearer", "expires_in": 3600})

    context = page.context.browser.new_context(viewport=DESK)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.install()
    page.route("**/console/config.json", lambda route: route.fulfill(json=config))
    page.route("**/idp/oauth2/authorize?*", authorize)
    page.route("**/idp/oauth2/token", exchange)
    page.goto(f"{base}/console/")
    page.locator("#app button").click()
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(page.locator(".who")).to_contain_text("supervisor-2")
    assert "code=" not in page.url, page.url
    assert seen["response_type"] == "code" and seen["code_challenge_method"] == "S256", seen
    assert seen["client_id"] == "console-client" and seen["redirect_uri"] == config["redirect_uri"], seen
    assert seen["exchange"]["grant_type"] == "authorization_code", seen
    stored = page.evaluate("[Object.keys(localStorage), Object.keys(sessionStorage)]")
    assert stored == [[], []] or stored == [["tifli.language"], []], f"a token left in storage: {stored}"
    page.clock.fast_forward("01:01:00")
    expect(page.locator("#status")).to_have_text("Your session expired: sign in again.")
    expect(page.locator("#nav .who")).to_have_count(0)
    check("managed login: the code with PKCE (S256), the state checked, nothing stored, signed out when the token expires")

    # Back with a state other than the one the console sent (and still holds): refused,
    # and no code is exchanged.
    seen["forge"] = "forged"
    seen.pop("exchange")
    page.locator("#app button").click()
    expect(page.locator("#status")).to_have_text("Sign-in failed: try again.")
    assert "exchange" not in seen, "a code was exchanged for a forged state"
    expect(page.locator("#nav .who")).to_have_count(0)
    check("managed login: a forged state is refused")
    assert not errors, f"errors in the page: {errors}"
    context.close()


# A 1×1 PNG, light grey: what the test's tile server answers for every tile.
TILE = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGO4e/cuAAUyApjDDfqPAAAAAElFTkSuQmCC")


def tile_layer(page, base):
    """A deployment's tile layer under the outlines, served here on the console's own
    origin by the page's routes: tiles at the zoom of the view, its attribution shown,
    nothing asked of any other host."""
    context = page.context.browser.new_context(viewport=DESK)
    page = context.new_page()
    asked = []

    def with_tiles(route):
        config = route.fetch().json()
        config["tiles"] = {"url": f"{base}/tiles/{{z}}/{{x}}/{{y}}.png", "attribution": "Tiles: test layer", "max_zoom": 12}
        route.fulfill(json=config)

    def tile(route):
        asked.append(route.request.url)
        route.fulfill(body=TILE, content_type="image/png")

    page.route("**/console/config.json", with_tiles)
    page.route("**/tiles/**", tile)
    page.on("request", lambda request: asked.append(request.url))
    sign_in(page, base, "officer-1")
    page.goto(f"{base}/console/#/file")
    expect(page.locator("svg.map image.tile").first).to_be_attached()
    expect(page.locator(".attribution")).to_have_text("Tiles: test layer")
    zooms = lambda: {int(href.split("/tiles/")[1].split("/")[0]) for href in page.locator("svg.map image.tile").evaluate_all("i => i.map(e => e.getAttribute('href'))")}  # noqa: E731
    before = max(zooms())
    click_map(page, *KHEMISSET)
    click_map(page, *KHEMISSET)
    expect(page.locator("#file-last_seen-region")).to_have_value("MA-04")
    assert max(zooms()) > before, (before, zooms())
    loaded = page.locator("svg.map image.tile").evaluate_all("i => i.length")
    assert 0 < loaded <= 64, loaded
    elsewhere = [url for url in asked if not url.startswith(base)]
    assert not elsewhere, elsewhere
    check(f"a tile layer under the outlines: zoom {before}, then {max(zooms())} on the region; its attribution shown; nothing from another host")
    context.close()


def paging(page, base, state):
    """A queue longer than a page: the first 50, then "show more" brings the rest."""
    waiting = len(api(base, "GET", "/reports?status=pending_review&limit=100", "supervisor-2", ["supervisors"])["items"])
    for _ in range(51 - waiting):
        api(base, "POST", "/reports", "officer-1", ["officers"], state["sample"])
    sign_in(page, base, "supervisor-2")
    expect(page.locator(".card")).to_have_count(50)
    page.locator("button.more").click()
    expect(page.locator(".card")).to_have_count(51)
    expect(page.locator("button.more")).to_be_hidden()
    sign_out(page)
    check("a queue longer than a page: 50, then the rest on \"show more\"")


def main():
    base, state_path, shots = sys.argv[1], sys.argv[2], sys.argv[3]
    state = json.load(open(state_path, encoding="utf-8"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport=DESK)
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))

        try:
            modules(page, base)
            managed_login(page, base)
            tile_layer(page, base)
            keyboard(page, base)
            full_flow(page, base, "en", shots)
            photo(page, base, state, shots)
            refusals(page, base, state)
            supervising(page, base)
            hostile(page, base, state, shots)
            full_flow(page, base, "ar", shots)
            page.locator("#language").select_option("en")
            paging(page, base, state)
        except Exception:
            page.screenshot(path=f"{shots}/failed.png", full_page=True)
            print(f"errors in the page: {errors}", file=sys.stderr)
            raise

        assert not dialogs, f"a script ran: {dialogs}"
        assert not errors, f"errors in the page: {errors}"
        check("no script from the data ran, no error in the page")
        check(f"axe-core: no serious or critical violation on {len(AUDITED)} screens ({', '.join(AUDITED)})")
        browser.close()


if __name__ == "__main__":
    main()

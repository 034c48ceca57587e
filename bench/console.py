"""The operator console's benchmark, run by `tifli-bench console` against the local stack:
what the console ships (each file raw and gzipped, and JavaScript with CSS together,
the figure the 150 KB budget is on), and in Debian's Chromium, headless, the time from
opening the console to the sign-in screen and from the click on a demo identity to the
review queue on screen (the next frame after it is in the page).

Usage: python bench/console.py BASE_URL RUNS; prints JSON.
"""

import gzip
import json
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CONSOLE = Path(__file__).resolve().parent.parent / "console"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

# Clicks the identity and resolves, in milliseconds, once the queue is drawn: polled
# each frame, so the figure is when a person would see it.
SIGN_IN_TO_QUEUE = """async (sub) => {
  const button = [...document.querySelectorAll(".identities button")].find((b) => b.textContent.includes(` ${sub} (`));
  const start = performance.now();
  button.click();
  await new Promise((resolve) => {
    const shown = () => document.querySelector("#app h1")?.textContent === "Review queue" && document.querySelector("#app .list");
    const look = () => (shown() ? requestAnimationFrame(resolve) : requestAnimationFrame(look));
    look();
  });
  const took = performance.now() - start;
  const call = (part) => performance.getEntriesByType("resource").filter((e) => e.name.includes(part)).map((e) => e.duration).pop();
  return { took, token: call("/dev/token"), list: call("/reports?") };
}"""


# Put in every page before its own scripts: notes when the sign-in screen is first
# drawn, measured in the page so that the driver's own polling is not counted.
SIGN_IN_SHOWN = """(() => {
  const look = () => (document.querySelector(".identities button")
    ? requestAnimationFrame(() => { window.signInShown = performance.now(); })
    : requestAnimationFrame(look));
  requestAnimationFrame(look);
})();"""


def sizes():
    files = sorted(f for f in CONSOLE.iterdir() if f.suffix in (".html", ".js", ".css", ".json"))
    return [{"file": f.name, "bytes": f.stat().st_size, "gzip": len(gzip.compress(f.read_bytes(), 9))} for f in files]


def main():
    base, runs = sys.argv[1], int(sys.argv[2])
    load, queue, token, listing = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for _ in range(runs):
            # A fresh context each time: nothing cached, no session, as a new shift.
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            page = context.new_page()
            page.add_init_script(SIGN_IN_SHOWN)
            page.goto(f"{base}/console/")
            load.append(page.evaluate(
                "new Promise((done) => { const f = () => (window.signInShown === undefined ? setTimeout(f, 5) : done(window.signInShown)); f(); })"))
            shown = page.evaluate(SIGN_IN_TO_QUEUE, "supervisor-2")
            queue.append(shown["took"])
            token.append(shown["token"])
            listing.append(shown["list"])
            context.close()
        browser.close()
    print(json.dumps({"files": sizes(), "load_ms": load, "sign_in_to_queue_ms": queue, "token_ms": token, "list_ms": listing}))


if __name__ == "__main__":
    main()

"""Checks the front page (GET /) in a real headless Chromium, as a phone shows it.

Driven by the end-to-end test `the_front_door_reads_well_in_a_real_browser`: it passes, as JSON
in argv[1], the pages to open through Caddy with what each must say, and the directory for
screenshots in argv[2]. The browser is phone.py's. Prints one line per finding and exits 1 on
any.
"""

import json
import sys
from urllib.parse import urlsplit

from phone import PHONE, check_all, luminance

MODE_TEXT = {
    "open": ["로그인 없음", "Open, no sign-in"],
    "oauth": ["로그인 필요", "Sign-in required"],
}


def check(context, case, scheme, shots, problems):
    page = context.new_page()
    page.emulate_media(color_scheme=scheme)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(case["url"]))
    outside, console = [], []
    page.on("request", lambda r: r.url.startswith(origin) or outside.append(r.url))
    page.on("console", lambda m: m.type in ("error", "warning") and console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    response = page.goto(case["url"], wait_until="load")
    label = f"{case['name']} ({scheme})"

    def expect(ok, what):
        if not ok:
            problems.append(f"{label}: {what}")

    expect(response is not None and response.status == 200, "GET / did not answer 200")
    expect(page.title().startswith("real-estate-mcp"), f"title is {page.title()!r}")
    langs = page.eval_on_selector_all("main > section", "s => s.map(e => e.lang)")
    expect(langs == ["ko", "en"], f"sections are {langs}, expected Korean then English")
    addresses = page.locator("code.address").all_inner_texts()
    expect(addresses == [case["mcp"]] * 2, f"MCP address shown as {addresses}")
    text = page.inner_text("body")
    for words in MODE_TEXT[case["mode"]]:
        expect(words in text, f"missing {words!r}")
    links = page.eval_on_selector_all("a", "a => a.map(e => e.href)")
    guides = [l for l in links if l.endswith(("connect-chatgpt.md", "connect-claude.md"))]
    expect(len(guides) == 4, f"connect guide links: {links}")
    expect(all(l.startswith(case["docs"]) for l in links), f"links outside the docs: {links}")
    # Readable on a phone: nothing wider than the screen, body text at least 16 px.
    width = page.evaluate("document.documentElement.scrollWidth")
    expect(width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    expect(size >= 16, f"body text is {size}px")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    bright = luminance(background)
    expect(bright > 0.8 if scheme == "light" else bright < 0.2, f"background {background}")
    expect(not outside, f"requests outside the page's origin: {outside}")
    expect(not console, f"console errors: {console}")
    page.screenshot(path=f"{shots}/front-door-{case['name']}-{scheme}.png", full_page=True)
    page.close()
    return background


def main():
    cases, shots = json.loads(sys.argv[1]), sys.argv[2]

    def check_both_schemes(context, case, problems):
        light = check(context, case, "light", shots, problems)
        dark = check(context, case, "dark", shots, problems)
        if light == dark:
            problems.append(f"{case['name']}: dark mode shows the light colours")

    check_all(cases, check_both_schemes, f"{len(cases) * 2} page views checked")


if __name__ == "__main__":
    main()

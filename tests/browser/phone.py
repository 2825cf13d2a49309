"""The browser the browser checks share: Debian's Chromium, driven by Playwright (pinned by
scripts/install-test-tools.sh), as a common phone shows pages. Nothing is downloaded. Also
the loop that runs a check's cases in it and reports what it found."""

from contextlib import contextmanager
import sys
import tempfile

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A common phone: what most people will open the address on.
PHONE = {"width": 390, "height": 844}


@contextmanager
def phone():
    """A fresh browser context with a phone's screen, touch and Korean locale."""
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport=PHONE,
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="ko-KR",
        )
        try:
            yield context
        finally:
            context.close()


def luminance(css_color):
    """Relative brightness 0..1 of an `rgb(r, g, b)` value."""
    parts = css_color[css_color.index("(") + 1 : css_color.index(")")].split(",")
    r, g, b = (int(float(p)) / 255 for p in parts[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def check_all(cases, check_case, checked):
    """Runs `check_case(context, case, problems)` for each case in one phone browser, prints
    each finding and a last line, "<checked>, <n> problems", and exits 1 on any finding. A case
    that raises (a timeout, a missing element) is a finding too, and the other cases still run."""
    problems = []
    with phone() as context:
        for case in cases:
            try:
                check_case(context, case, problems)
            except Exception as error:
                problems.append(f"{case['name']}: {type(error).__name__}: {error}")
    for problem in problems:
        print(problem)
    print(f"{checked}, {len(problems)} problems")
    sys.exit(1 if problems else 0)

"""Renders each MCP Apps view in a real headless Chromium, inside a host page built on the
extension's host-side bridge (apps/host/), and checks it against the recorded tool result.

Driven by the end-to-end test `the_views_render_recorded_results_in_a_real_browser`: argv[1] is
a JSON plan (the host page's directory, where screenshots go, and per case the view's HTML and
CSP as resources/read returned them and the recorded result's file). For each case the host
page loads the view in a sandboxed frame under the CSP the spec builds from that metadata,
sends the tool input and result over the bridge, and this script reads the page: every figure
shown must be the recorded one, formatted as Korean readers expect; no console error, no
request leaves the page, no tool call or resource read from the view; it fits a phone; then
the host switches to its dark theme (with host colour variables) and the checks run again.
Prints one line per finding and exits 1 on any.
"""

import json
import math
import sys
from pathlib import Path

from phone import PHONE, check_all, luminance

HOST = "https://host.test/"
# What a host like Claude sends with its dark theme (a few of the standard variables).
DARK_VARIABLES = {
    "--color-background-primary": "light-dark(#ffffff, #262624)",
    "--color-text-primary": "light-dark(#1f1e1d, #f5f4ef)",
    "--font-sans": 'system-ui, "NanumGothic", sans-serif',
}
FRAME_WIDTH = PHONE["width"] - 16
# Screenshots for docs/img: one CSS pixel per pixel, at most this tall.
SHOT_HEIGHT = 1100


# The page's number formats, written out again independently (see apps/src/format.ts).
def half_up(value):
    return math.floor(value + 0.5) if value >= 0 else -math.floor(-value + 0.5)


def group(value):
    return f"{half_up(value):,}"


def manwon(value):
    whole = half_up(value)
    eok, rest = divmod(whole, 10000)
    if eok == 0:
        return f"{group(rest)}만원"
    return f"{group(eok)}억원" if rest == 0 else f"{group(eok)}억 {group(rest)}만원"


def change(value):
    text = f"{abs(value):.1f}%"
    return ("▲" if value > 0 else "▼" if value < 0 else "") + text


def month(ym):
    return f"{ym[:4]}.{ym[4:]}"


def dotted(iso):
    return iso.replace("-", ".")


def area(m2):
    return f"{math.floor(m2 * 100 + 1e-6) / 100:.2f}㎡"


def pyeong(m2):
    return f"{m2 / 3.3058:.1f}평"


def headline(summary):
    """Median, per ㎡, per 평 and count of a summary (sale prices, or 전세 deposits)."""
    if "jeonse" in summary and "price_manwon" not in summary:
        j = summary["jeonse"]
        return (j["deposit_manwon"]["median"], j["median_deposit_per_m2_manwon"],
                j["median_deposit_per_pyeong_manwon"], j["count"])
    return (summary["price_manwon"]["median"], summary["median_price_per_m2_manwon"],
            summary["median_price_per_pyeong_manwon"], summary["price_manwon"]["count"])


class Checker:
    def __init__(self, label, problems):
        self.label, self.problems = label, problems

    def equal(self, shown, wanted, what):
        if shown != wanted:
            self.problems.append(f"{self.label}: {what}: shows {shown!r}, the result says {wanted!r}")

    def true(self, ok, what):
        if not ok:
            self.problems.append(f"{self.label}: {what}")


def texts(frame, selector):
    return [t.strip() for t in frame.locator(selector).all_inner_texts()]


def text(frame, selector):
    return frame.locator(selector).first.inner_text().strip()


def price_trend(frame, data, check):
    months = data["months"]
    check.equal(text(frame, "h1"), f"{data['region']['name']} {data['property_type']}", "title")
    check.true("전용면적" in text(frame, ".basis"), "the area basis is not named")

    def readout(m, unit):
        median, per_m2, per_py, count = headline(m["summary"])
        check.equal(text(frame, ".r-month"), month(m["year_month"]), "selected month")
        check.equal(text(frame, ".r-median"), f"중위 {manwon(median)}", f"{m['year_month']} median")
        value = per_py if unit == "평당" else per_m2
        check.equal(text(frame, ".r-area"), f"{unit} {group(value)}만원", f"{m['year_month']} {unit}")
        check.equal(text(frame, ".r-count"), f"{count}건", f"{m['year_month']} count")

    def table(unit):
        shown = frame.locator("table.months tbody tr").evaluate_all(
            "rows => rows.map(r => [r.dataset.month, [...r.cells].map(c => c.innerText.trim())])")
        check.equal(len(shown), len(months), "table rows")
        for label, cells in shown:
            m = next((m for m in months if m["year_month"] == label), None)
            if m is None:
                check.true(False, f"table row for {label}, a month not in the result")
                continue
            median, per_m2, per_py, count = headline(m["summary"])
            wanted = [month(label) + (" ○" if m["thin"] else ""), str(count), manwon(median),
                      group(per_py if unit == "평당" else per_m2),
                      change(m["mom_change_pct"]) if "mom_change_pct" in m else ""]
            check.equal(cells, wanted, f"table row {label}")

    readout(months[-1], "평당")
    table("평당")
    whole = headline(data["whole_range"])
    check.equal(text(frame, ".s-median"), manwon(whole[0]), "whole-range median")
    check.equal(text(frame, ".s-area"), f"{group(whole[2])}만원", "whole-range per 평")
    check.equal(text(frame, ".s-count"), f"{group(whole[3])}건", "whole-range count")
    check.equal(text(frame, ".s-change"), change(data["range_change"]["change_pct"]), "range change")
    thin = [m["year_month"] for m in months if m["thin"]]
    drawn_thin = frame.locator("circle.dot.thin").evaluate_all("e => e.map(c => c.dataset.month)")
    check.equal(drawn_thin, thin, "months drawn as thin")
    # Hover a month in the middle of the chart: the readout follows the pointer.
    at = len(months) // 2
    frame.locator(f'circle[data-month="{months[at]["year_month"]}"]').hover()
    readout(months[at], "평당")
    frame.locator('button[data-key="m2"]').click()
    readout(months[at], "㎡당")
    table("㎡당")
    check.equal(text(frame, ".s-area"), f"{group(whole[1])}만원", "whole-range per ㎡")
    frame.locator('button[data-key="pyeong"]').click()
    # The keyboard moves the selection too; leave it on the newest month for the screenshots.
    frame.locator("svg.chart").press("ArrowLeft")
    readout(months[at - 1], "평당")
    for _ in range(len(months)):
        frame.locator("svg.chart").press("ArrowRight")
    readout(months[-1], "평당")


def region_comparison(frame, data, check):
    regions = data["regions"]
    rows = frame.locator("ol.ranking li")
    check.equal(rows.count(), len(regions), "districts shown")

    def values(field):
        shown = rows.evaluate_all("""rows => rows.map(r => ({
            region: r.dataset.region, pos: r.querySelector('.pos').innerText, val: r.querySelector('.val').innerText,
            cnt: r.querySelector('.cnt').innerText, thin: r.classList.contains('thin'),
            badges: r.querySelectorAll('.badge').length, width: r.querySelector('.track i').getBoundingClientRect().width}))""")
        for region, row in zip(regions, shown):
            median, per_m2, per_py, count = headline(region["summary"])
            where = region["region"]["name"]
            check.equal(row["region"], where, f"rank {region['rank']}")
            check.equal(row["pos"], str(region["rank"]), f"{where} rank")
            value = per_py if field == "pyeong" else per_m2
            check.equal(row["val"], f"{group(value)}만원", f"{where} value")
            check.true(row["cnt"].startswith(f"{count}건"), f"{where} count: {row['cnt']!r}")
            check.equal(row["thin"], region["thin"], f"{where} thin marking")
            check.equal(row["badges"], 1 if region["thin"] else 0, f"{where} badge")
        widths = [row["width"] for row in shown]
        check.true(widths == sorted(widths, reverse=True), f"bars are not ranked: {widths}")

    values("pyeong")
    second = regions[1]
    rows.nth(1).click()
    median, per_m2, per_py, count = headline(second["summary"])
    check.equal(text(frame, ".d-name"), second["region"]["name"], "tapped district")
    figures = text(frame, ".d-figures")
    for part in (manwon(median), f"평당 {group(per_py)}만원", f"㎡당 {group(per_m2)}만원", f"{count}건"):
        check.true(part in figures, f"details lack {part!r}: {figures!r}")
    frame.locator('button[data-key="m2"]').click()
    values("m2")
    frame.locator('button[data-key="pyeong"]').click()
    rows.nth(0).click()


# Each deal row as the page shows it, read in one round trip.
ROWS = """rows => rows.map(r => {
  const t = (s) => r.querySelector(s)?.innerText.trim();
  return {name: t('.n'), area: t('td.area'), price: t('td.price'), date: t('td.date'),
          floor: t('td.floor'), flags: [...r.querySelectorAll('.badge')].map(b => b.innerText.trim())};
})"""


def deals(frame, data, check):
    rows = data["rows"]
    lease = data["kind"] == "rent"
    summary = data["summary"]
    median, _, per_py, _ = headline(summary)
    count = f"{group(summary['matching_deals'])}건"
    if summary["cancelled_deals"]:
        count += f" (해제 {summary['cancelled_deals']})"
    check.equal(text(frame, ".s-count"), count, "deal count")
    check.equal(text(frame, ".s-median"), manwon(median), "median")
    check.equal(text(frame, ".s-pyeong"), f"{group(per_py)}만원", "median per 평")
    if data["rows_omitted"]:
        note = text(frame, ".omitted")
        total = len(rows) + data["rows_omitted"]
        check.true(f"{len(rows)}건" in note and f"{total}건" in note, f"omitted rows note: {note!r}")
    has_floor = any("floor" in r for r in rows)
    check.equal(frame.locator('th button[data-key="floor"]').count(), 1 if has_floor else 0, "floor column")

    def name(r):
        return r.get("name") or f"{r.get('dong', '')} {r.get('jibun', '')}".strip()

    def price(r):
        amount = r.get("price_manwon", r.get("deposit_manwon"))
        if not lease:
            return manwon(amount)
        if not r.get("monthly_rent_manwon"):
            return f"전세 {manwon(amount)}"
        return f"보증금 {manwon(amount)}\n월 {group(r['monthly_rent_manwon'])}만원"

    def flags(r):
        out = []
        if r.get("cancelled"):
            out.append("해제")
        if r.get("share_deal"):
            out.append("지분")
        if r.get("land_lease"):
            out.append("토지임대부")
        if r.get("ownership"):
            out.append(r["ownership"])
        if r.get("deal_type") == "직거래":
            out.append("직거래")
        if r.get("renewal_right_used"):
            out.append("갱신요구권")
        elif r.get("contract_type") == "갱신":
            out.append("갱신")
        return out

    def page(expected, first, what):
        shown = frame.locator("table.deals tbody tr").evaluate_all(ROWS)
        wanted = expected[first:first + 15]
        check.equal(len(shown), len(wanted), f"{what}: rows on the page")
        for i, (row, r) in enumerate(zip(shown, wanted)):
            label = f"{what}, row {first + i + 1}"
            check.equal(row["name"], name(r), f"{label} name")
            if "area_m2" in r:
                check.equal(row["area"], f"{area(r['area_m2'])}\n{pyeong(r['area_m2'])}", f"{label} area")
            check.equal(row["price"], price(r), f"{label} price")
            check.equal(row["date"], r["date"][5:].replace("-", "."), f"{label} date")
            check.equal(row["flags"], flags(r), f"{label} flags")
            if has_floor:
                check.equal(row["floor"], str(r.get("floor", "-")), f"{label} floor")
        check.equal(text(frame, ".pager .range"),
                    f"{first + 1 if expected else 0}–{min(first + 15, len(expected))} / {len(expected)}건",
                    f"{what}: pager")

    by_date = sorted(rows, key=lambda r: r["date"], reverse=True)
    page(by_date, 0, "newest first")
    if len(rows) > 15:
        frame.locator(".pager .next").click()
        page(by_date, 15, "page 2")
    frame.locator('th button[data-key="price"]').click()
    amount = lambda r: r.get("price_manwon", r.get("deposit_manwon", -1))  # noqa: E731
    page(sorted(rows, key=amount, reverse=True), 0, "dearest first")
    frame.locator('th button[data-key="price"]').click()
    page(sorted(rows, key=amount), 0, "cheapest first")
    word = name(rows[0]).split()[0][:2]
    frame.locator('input[type="search"]').fill(word)
    matching = [r for r in sorted(rows, key=amount)
                if word.lower() in f"{name(r)} {r.get('dong', '')} {r.get('jibun', '')} "
                                   f"{r.get('house_type') or r.get('building_use') or r.get('land_category') or ''}".lower()]
    page(matching, 0, f"filtered by {word!r}")
    frame.locator('input[type="search"]').fill("")
    frame.locator(".hide-cancelled").check()
    page([r for r in sorted(rows, key=amount) if not r["cancelled"]], 0, "without cancelled deals")
    frame.locator(".hide-cancelled").uncheck()
    frame.locator('th button[data-key="date"]').click()


def subscription(frame, data, check, page):
    if "notices" in data:
        notices = data["notices"]
        check.equal(texts(frame, "li.notice .n"), [n["house_name"] for n in notices], "notices")
        statuses = {"closed": "접수 마감", "open": "접수 중", "upcoming": "접수 예정", "unknown": "일정 미정"}
        for i, n in enumerate(notices):
            badges = frame.locator("li.notice").nth(i).locator(".badge").all_inner_texts()
            check.equal(badges[0] if badges else None, statuses[n["status"]], f"{n['house_name']} status")
        return
    notice, totals = data["notice"], data["totals"]
    check.equal(text(frame, "h1"), notice["house_name"], "house name")
    check.equal(text(frame, ".s-households"), f"{group(totals['households'])}세대", "households")
    check.equal(text(frame, ".s-split"), f"{group(totals['general_households'])} · {group(totals['special_households'])}", "general and special")
    check.equal(text(frame, ".s-price"), f"{manwon(totals['top_price_min_manwon'])} ~ {manwon(totals['top_price_max_manwon'])}", "price range")

    def span(start, end):
        return dotted(start) if start == end else f"{dotted(start)} ~ {dotted(end)[5:]}"

    firsts = {p["start"] for p in notice["priority_periods"] if p["rank"] == 1}
    seconds = {p["start"] for p in notice["priority_periods"] if p["rank"] == 2}
    wanted = {
        "모집공고": dotted(notice["notice_date"]),
        "특별공급": span(notice["special_supply_start"], notice["special_supply_end"]),
        "1순위": dotted(firsts.pop()) if len(firsts) == 1 else None,
        "2순위": dotted(seconds.pop()) if len(seconds) == 1 else None,
        "당첨자 발표": dotted(notice["winners_announced"]),
        "계약": span(notice["contract_start"], notice["contract_end"]),
        "입주 예정": dotted(notice["move_in"]),
    }
    for step, when in wanted.items():
        check.equal(text(frame, f'li[data-step="{step}"] .when'), when, f"schedule {step}")
    for t in data["house_types"]:
        row = f'table.types tr[data-type="{t["house_type"]}"]'
        check.equal(text(frame, f"{row} td.general"), group(t["general_households"]), f"{t['house_type']} general")
        check.equal(text(frame, f"{row} td.special"), group(t["special_households"]), f"{t['house_type']} special")
        check.equal(text(frame, f"{row} td.top"), f"{manwon(t['top_price_manwon'])}\n평당 {group(t['top_price_per_pyeong_manwon'])}만원", f"{t['house_type']} price")
    frame.locator("button.link").click()
    page.wait_for_function("u => hostLog.some(e => e.kind === 'open-link' && e.detail === u)", arg=notice["notice_url"], timeout=3000)


CHECKS = {
    "price-trend": price_trend,
    "region-comparison": region_comparison,
    "deals": deals,
}


def show(page, case, recording, theme):
    context = {
        "theme": theme, "locale": "ko-KR", "timeZone": "Asia/Seoul", "platform": "mobile",
        "displayMode": "inline", "availableDisplayModes": ["inline"],
        "containerDimensions": {"width": FRAME_WIDTH, "maxHeight": 6000},
        "deviceCapabilities": {"touch": True, "hover": False},
    }
    page.evaluate("r => showView(r)", {
        "html": case["html"], "csp": case.get("csp"), "arguments": recording["arguments"],
        "result": recording["result"], "context": context,
    })
    frame = page.frame_locator("iframe")
    frame.locator("body[data-state]").wait_for(timeout=5000)
    return frame


def run_checks(page, frame, case, data, check):
    state = frame.locator("body").get_attribute("data-state")
    check.equal(state, "ready", "render state")
    if case["view"] == "subscription":
        subscription(frame, data, check, page)
    else:
        CHECKS[case["view"]](frame, data, check)
    overflow = frame.locator("html").evaluate("e => e.scrollWidth - e.clientWidth")
    check.true(overflow <= 0, f"{overflow}px wider than the phone's frame")


def snap(page, frame, path):
    """Screenshots the host page with the whole view in sight (up to SHOT_HEIGHT)."""
    frame.locator("body").evaluate("() => document.activeElement && document.activeElement.blur()")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": PHONE["width"], "height": min(height, SHOT_HEIGHT)})
    page.screenshot(path=path, scale="css")
    page.set_viewport_size(PHONE)


def background(frame):
    return frame.locator("body").evaluate("b => getComputedStyle(b).backgroundColor")


def check_case(context, case, plan, problems):
    recording = json.loads(Path(case["recording"]).read_text(encoding="utf-8"))
    data = recording["result"]["structuredContent"]
    page = context.new_page()
    outside, console = [], []
    host_files = Path(plan["host"])

    def route(request):
        url = request.request.url
        if url.startswith(HOST) and (host_files / url[len(HOST):]).is_file():
            request.fulfill(path=str(host_files / url[len(HOST):]))
        else:
            outside.append(url)
            request.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type in ("error", "warning") and console.append(m.text))
    page.on("pageerror", lambda e: console.append(str(e)))
    page.goto(HOST + "host.html", wait_until="load")
    label = case["name"]
    check = Checker(f"{label} (light)", problems)
    frame = show(page, case, recording, "light")
    run_checks(page, frame, case, data, check)
    light = background(frame)
    check.true(luminance(light) > 0.8, f"light background is {light}")
    size = frame.locator("html").evaluate("e => Math.ceil(e.getBoundingClientRect().height)")
    page.wait_for_function("h => document.querySelector('iframe').offsetHeight >= h - 1", arg=size, timeout=3000)
    shots = plan.get("shots")
    if shots and case.get("shot"):
        snap(page, frame, f"{shots}/view-{label}-light.png")
    # The host switches to its dark theme, with its own colour variables, while the view is open.
    page.evaluate("c => changeContext(c)", {"theme": "dark", "styles": {"variables": DARK_VARIABLES}})
    page.wait_for_timeout(50)
    check = Checker(f"{label} (dark)", problems)
    dark = background(frame)
    check.equal(dark, "rgb(38, 38, 36)", "dark background (the host's variable)")
    ink = frame.locator("body").evaluate("b => getComputedStyle(b).color")
    check.true(luminance(ink) > 0.8, f"dark-theme text colour is {ink}")
    run_checks(page, frame, case, data, check)
    if shots and case.get("shot"):
        snap(page, frame, f"{shots}/view-{label}-dark.png")
    log = page.evaluate("hostLog")
    kinds = [entry["kind"] for entry in log]
    check.true("initialized" in kinds, f"the view never finished ui/initialize: {kinds}")
    check.true("size" in kinds, "the view never reported its size")
    for forbidden in ("call-tool", "read-resource"):
        check.true(forbidden not in kinds, f"the view asked the host to {forbidden}: {log}")
    check.true(not outside, f"requests outside the host page: {outside}")
    check.true(not console, f"console errors: {console}")
    page.close()


def main():
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    check_all(
        plan["cases"],
        lambda context, case, problems: check_case(context, case, plan, problems),
        f"{len(plan['cases'])} views checked in light and dark",
    )


if __name__ == "__main__":
    main()

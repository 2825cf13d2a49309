// analyze_price_trend: the monthly median as a line over deal-count bars; hover, tap or the
// arrow keys pick a month; per 평 or per ㎡ of the area the result names.

import { start } from "../bridge";
import { h, list, main, put, num, obj, s, str, toggle } from "../dom";
import { headline, type Headline } from "../figures";
import { basisName, change, compact, group, manwon, month } from "../format";

type Basis = "pyeong" | "m2";

interface Month extends Headline {
  label: string;
  thin: boolean;
  incomplete: boolean;
  mom?: number;
}

const W = 360;
const H = 210;
const PAD = { left: 46, right: 30, top: 14, bottom: 26 };

function perArea(m: Headline, basis: Basis): number | undefined {
  return basis === "pyeong" ? m.perPyeong : m.perM2;
}

function unit(basis: Basis): string {
  return basis === "pyeong" ? "평당" : "㎡당";
}

/** Three to five round tick values covering [low, high]. */
function ticks(low: number, high: number): number[] {
  const span = Math.max(high - low, 1);
  const raw = span / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((f) => f >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + 1e-9; v += step) out.push(v);
  return out;
}

function chart(months: Month[], basis: Basis, selected: number, pick: (i: number) => void): SVGElement {
  const values = months.map((m) => perArea(m, basis)).filter((v): v is number => v !== undefined);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const margin = Math.max((high - low) * 0.15, high * 0.02, 1);
  const yTicks = ticks(low - margin, high + margin);
  const yMin = Math.min(yTicks[0] ?? low, low - margin);
  const yMax = Math.max(yTicks[yTicks.length - 1] ?? high, high + margin);
  const maxCount = Math.max(1, ...months.map((m) => m.count));
  const band = (W - PAD.left - PAD.right) / months.length;
  const x = (i: number) => PAD.left + band * (i + 0.5);
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - (v - yMin) / (yMax - yMin));
  const barY = (c: number) => H - PAD.bottom - (H - PAD.top - PAD.bottom) * 0.45 * (c / maxCount);
  const svg = s("svg", {
    class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", tabindex: 0,
    "aria-label": `월별 ${unit(basis)} 중위가격과 거래 건수`,
  });
  for (const v of yTicks) {
    svg.append(
      s("line", { class: "grid", x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }),
      s("text", { class: "axis", x: PAD.left - 4, y: y(v) + 4, "text-anchor": "end" }, compact(v)),
    );
  }
  svg.append(
    s("text", { class: "axis", x: W - PAD.right + 3, y: barY(maxCount) + 4 }, `${maxCount}건`),
  );
  const every = Math.ceil(months.length / 6);
  months.forEach((m, i) => {
    const top = barY(m.count);
    svg.append(
      s("rect", {
        class: m.thin ? "count thin" : "count", x: x(i) - band * 0.32, width: band * 0.64,
        y: top, height: H - PAD.bottom - top,
      }),
    );
    if (i % every === 0) {
      const text = i === 0 || m.label.endsWith("01") ? month(m.label).slice(2) : `${Number(m.label.slice(4))}월`;
      svg.append(s("text", { class: "axis", x: x(i), y: H - 8, "text-anchor": "middle" }, text));
    }
  });
  let previous: [number, number, boolean] | undefined;
  months.forEach((m, i) => {
    const v = perArea(m, basis);
    if (v === undefined) return;
    const soft = m.thin || m.incomplete;
    if (previous) {
      const dashed = previous[2] || soft;
      svg.append(s("line", {
        class: dashed ? "trend soft" : "trend", x1: previous[0], y1: previous[1], x2: x(i), y2: y(v),
      }));
    }
    previous = [x(i), y(v), soft];
  });
  svg.append(s("line", {
    class: "cursor", x1: x(selected), x2: x(selected), y1: PAD.top, y2: H - PAD.bottom,
  }));
  months.forEach((m, i) => {
    const v = perArea(m, basis);
    if (v === undefined) return;
    svg.append(s("circle", {
      class: `dot${m.thin ? " thin" : ""}${i === selected ? " on" : ""}`, cx: x(i), cy: y(v),
      r: i === selected ? 5 : 3.2, "data-month": m.label,
    }));
  });
  const hit = (event: PointerEvent) => {
    const box = svg.getBoundingClientRect();
    const at = ((event.clientX - box.left) / box.width) * W;
    pick(Math.min(months.length - 1, Math.max(0, Math.floor((at - PAD.left) / band))));
  };
  svg.addEventListener("pointermove", hit);
  svg.addEventListener("pointerdown", hit);
  svg.addEventListener("keydown", (event: KeyboardEvent) => {
    const step = event.key === "ArrowLeft" ? -1 : event.key === "ArrowRight" ? 1 : 0;
    if (step === 0) return;
    event.preventDefault();
    pick(Math.min(months.length - 1, Math.max(0, selected + step)));
  });
  return svg;
}

function readout(m: Month, basis: Basis): HTMLElement {
  const v = perArea(m, basis);
  const flags = [
    m.thin ? h("span", { class: "badge warn" }, "표본 적음") : null,
    m.incomplete ? h("span", { class: "badge" }, "집계 중") : null,
  ];
  return h("p", { class: "readout", "aria-live": "polite" },
    h("b", { class: "r-month" }, month(m.label)), " ",
    h("span", { class: "r-median" }, m.median === undefined ? "거래 없음" : `중위 ${manwon(m.median)}`), " · ",
    h("span", { class: "r-area" }, v === undefined ? `${unit(basis)} -` : `${unit(basis)} ${group(v)}만원`), " · ",
    h("span", { class: "r-count" }, `${m.count}건`), " ", ...flags);
}

function table(months: Month[], basis: Basis): HTMLElement {
  const body = months.map((m) => {
    const v = perArea(m, basis);
    const mom = m.mom === undefined ? "" : change(m.mom);
    return h("tr", { "data-month": m.label, class: m.thin ? "thin" : undefined },
      h("td", {}, month(m.label), m.thin ? " ○" : ""),
      h("td", {}, String(m.count)),
      h("td", {}, m.median === undefined ? "-" : manwon(m.median)),
      h("td", {}, v === undefined ? "-" : group(v)),
      h("td", { class: m.mom === undefined ? "" : m.mom > 0 ? "up" : m.mom < 0 ? "down" : "" }, mom));
  });
  return h("table", { class: "months" },
    h("thead", {}, h("tr", {}, h("th", {}, "월"), h("th", {}, "건수"), h("th", {}, "중위가"),
      h("th", {}, `${unit(basis)}(만원)`), h("th", {}, "전월비"))),
    h("tbody", {}, ...body.reverse()));
}

function render(data: Record<string, unknown>): void {
  const months: Month[] = list(data.months).map((m) => ({
    ...headline(m.summary),
    label: str(m.year_month) ?? "",
    thin: m.thin === true,
    incomplete: m.incomplete === true,
    mom: num(m.mom_change_pct),
  }));
  if (months.length === 0) throw new Error("no months in the result");
  const whole = headline(data.whole_range);
  const region = str(obj(data.region).name) ?? "";
  const lease = whole.lease;
  const basisText = basisName(str(data.area_basis));
  const range = obj(data.range_change);
  const root = main();
  let basis: Basis = "pyeong";
  let selected = months.length - 1;
  const chartBox = h("div", { class: "chart-box" });
  const readBox = h("div");
  const tableBox = h("div", { class: "table-box" });
  const draw = () => {
    const focused = chartBox.contains(document.activeElement);
    chartBox.replaceChildren(chart(months, basis, selected, (i) => {
      if (i !== selected) {
        selected = i;
        draw();
      }
    }));
    if (focused) chartBox.querySelector("svg")?.focus();
    readBox.replaceChildren(readout(months[selected] as Month, basis));
    tableBox.replaceChildren(table(months, basis));
  };
  const headlineArea = () => perArea(whole, basis);
  const stats = h("dl", { class: "stats" });
  const drawStats = () => {
    const v = headlineArea();
    const rangePct = num(range.change_pct);
    stats.replaceChildren();
    put(stats,
      h("div", {}, h("dt", {}, lease ? "전체 중위 전세가" : "전체 중위가"),
        h("dd", { class: "s-median" }, whole.median === undefined ? "-" : manwon(whole.median))),
      h("div", {}, h("dt", {}, `전체 ${unit(basis)}`), h("dd", { class: "s-area" }, v === undefined ? "-" : `${group(v)}만원`)),
      h("div", {}, h("dt", {}, "거래"), h("dd", { class: "s-count" }, `${group(whole.count)}건`)),
      rangePct === undefined ? null : h("div", {},
        h("dt", {}, `기간 변화 (${month(str(range.from_month) ?? "").slice(2)}→${month(str(range.to_month) ?? "").slice(2)})`),
        h("dd", { class: `s-change ${rangePct > 0 ? "up" : rangePct < 0 ? "down" : ""}` }, change(rangePct))),
    );
  };
  put(root,
    h("header", {},
      h("h1", {}, `${region} ${str(data.property_type) ?? ""}`.trim()),
      h("p", { class: "sub" },
        `${month(str(data.from_month) ?? "")} – ${month(str(data.to_month) ?? "")} · 월별 ${lease ? "전세 보증금" : "거래가격"} 중위값`)),
    h("div", { class: "bar-row" },
      toggle("면적 단위", [["pyeong", "평당"], ["m2", "㎡당"]], basis, (key) => {
        basis = key as Basis;
        draw();
        drawStats();
      }),
      h("span", { class: "note basis" }, `${basisText} 기준 · 1평 = 3.3058㎡`)),
    readBox, chartBox, stats, tableBox,
    h("p", { class: "legend" },
      "막대: 거래 건수(해제 제외) · ○ 표본 적음(5건 미만, 변화율 계산 제외) · 점선: 표본이 적거나 집계 중인 달"),
  );
  draw();
  drawStats();
}

start({ name: "real-estate-mcp price trend", render });

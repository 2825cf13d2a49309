// compare_regions: districts ranked as horizontal bars with their deal counts; districts with
// too few deals are marked; tapping one shows all its figures.

import { start } from "../bridge";
import { h, list, main, put, num, obj, str, toggle } from "../dom";
import { headline, shortRegion, type Headline } from "../figures";
import { basisName, group, manwon, month } from "../format";

type Basis = "pyeong" | "m2";

interface Row extends Headline {
  rank?: number;
  name: string;
  label: string;
  thin: boolean;
  monthsFetched: number;
  monthsFailed: number;
  cancelled: number;
}

function labels(names: string[]): string[] {
  const short = names.map(shortRegion);
  return new Set(short).size === short.length ? short : names;
}

function details(row: Row, lease: boolean): HTMLElement {
  const amount = lease ? "중위 전세가" : "중위가";
  const parts = [
    `${amount} ${row.median === undefined ? "-" : manwon(row.median)}`,
    `평당 ${row.perPyeong === undefined ? "-" : `${group(row.perPyeong)}만원`}`,
    `㎡당 ${row.perM2 === undefined ? "-" : `${group(row.perM2)}만원`}`,
    `${row.count}건${row.cancelled ? ` (해제 ${row.cancelled}건 제외)` : ""}`,
  ];
  const failed = row.monthsFailed ? ` · ${row.monthsFailed}개월 못 받음` : "";
  return h("div", { class: "detail", "aria-live": "polite" },
    h("b", { class: "d-name" }, row.name), row.thin ? h("span", { class: "badge warn" }, "표본 적음") : null,
    h("p", { class: "d-figures" }, parts.join(" · ")),
    h("p", { class: "note" }, `${row.monthsFetched}개월 합산${failed}`));
}

function render(data: Record<string, unknown>): void {
  const rankBy = str(data.rank_by) ?? "median_price_per_m2";
  const threshold = num(data.thin_threshold) ?? 5;
  const raw = list(data.regions);
  const names = raw.map((r) => str(obj(r.region).name) ?? str(obj(r.region).lawd_cd) ?? "?");
  const short = labels(names);
  const rows: Row[] = raw.map((r, i) => {
    const summary = obj(r.summary);
    return {
      ...headline(summary),
      rank: num(r.rank),
      name: names[i] ?? "?",
      label: short[i] ?? "?",
      thin: r.thin === true,
      monthsFetched: num(r.months_fetched) ?? 0,
      monthsFailed: num(r.months_failed) ?? 0,
      cancelled: num(summary.cancelled_deals) ?? 0,
    };
  });
  const lease = rows.some((r) => r.lease);
  const perArea = rankBy === "median_price_per_m2";
  let basis: Basis = "pyeong";
  let selected = 0;
  const value = (row: Row): number | undefined => {
    if (rankBy === "deal_count") return row.count;
    if (rankBy === "median_price") return row.median;
    return basis === "pyeong" ? row.perPyeong : row.perM2;
  };
  const show = (v: number | undefined): string => {
    if (v === undefined) return "거래 없음";
    if (rankBy === "deal_count") return `${group(v)}건`;
    return rankBy === "median_price" ? manwon(v) : `${group(v)}만원`;
  };
  const metric = rankBy === "deal_count" ? "거래 건수"
    : rankBy === "median_price" ? (lease ? "중위 전세가" : "중위가")
    : `${basis === "pyeong" ? "평당" : "㎡당"} 중위${lease ? " 전세가" : "가"}`;
  const root = main();
  const chartBox = h("div");
  const detailBox = h("div");
  const draw = () => {
    const max = Math.max(1, ...rows.map((r) => value(r) ?? 0));
    const items = rows.map((row, i) => {
      const v = value(row);
      const item = h("li", {
        class: `row${row.thin ? " thin" : ""}${i === selected ? " on" : ""}`, tabindex: 0,
        "data-region": row.name, "aria-current": i === selected ? "true" : undefined,
      },
        h("span", { class: "pos" }, row.rank === undefined ? "-" : String(row.rank)),
        h("span", { class: "name" }, row.label),
        h("span", { class: "val" }, show(v)),
        h("span", { class: "track" }, h("i", { style: `width:${(((v ?? 0) / max) * 100).toFixed(1)}%` })),
        h("span", { class: "cnt" }, `${row.count}건`, row.thin ? h("span", { class: "badge warn" }, "표본 적음") : null));
      const choose = () => {
        selected = i;
        draw();
      };
      item.addEventListener("click", choose);
      item.addEventListener("keydown", (event: KeyboardEvent) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          choose();
          (chartBox.querySelectorAll("li")[i] as HTMLElement | undefined)?.focus();
        }
      });
      return item;
    });
    chartBox.replaceChildren(h("ol", { class: "ranking", "aria-label": `${metric} 순위` }, ...items));
    const current = rows[selected];
    detailBox.replaceChildren(current ? details(current, lease) : h("p"));
  };
  const heading = `${str(data.property_type) ?? ""} 지역 비교`.trim();
  const from = month(str(data.from_month) ?? "");
  const to = month(str(data.to_month) ?? "");
  put(root,
    h("header", {},
      h("h1", {}, heading),
      h("p", { class: "sub" }, `${from === to ? from : `${from} – ${to}`} · ${metric} 순`)),
    perArea ? h("div", { class: "bar-row" },
      toggle("면적 단위", [["pyeong", "평당"], ["m2", "㎡당"]], basis, (key) => {
        basis = key as Basis;
        draw();
        const sub = root.querySelector(".sub");
        if (sub) sub.textContent = `${from === to ? from : `${from} – ${to}`} · ${basis === "pyeong" ? "평당" : "㎡당"} 중위${lease ? " 전세가" : "가"} 순`;
      }),
      h("span", { class: "note basis" }, `${basisName(str(data.area_basis))} 기준`)) : null,
    chartBox, detailBox,
    h("p", { class: "legend" },
      `표본 적음: 해제를 뺀 거래가 ${threshold}건 미만이라 순위를 그대로 믿기 어렵습니다. 막대를 누르면 자세히 봅니다.`),
  );
  draw();
}

start({ name: "real-estate-mcp region comparison", render });

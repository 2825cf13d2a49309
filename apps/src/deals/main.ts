// The transaction tools (13 of them, one row shape): every returned deal in a table that
// sorts, filters and pages in the page itself; nothing is fetched again.

import { start } from "../bridge";
import { h, list, main, put, num, obj, str } from "../dom";
import { headline } from "../figures";
import { area, basisName, day, group, manwon, month, pyeong } from "../format";

const PAGE = 15;

type Key = "name" | "area" | "floor" | "price" | "date";

interface Deal {
  name: string;
  place: string;
  area?: number;
  floor?: number;
  price?: number;
  rent?: number;
  date: string;
  flags: [string, string][];
  cancelled: boolean;
  search: string;
}

function flagsOf(row: Record<string, unknown>): [string, string][] {
  const flags: [string, string][] = [];
  if (row.cancelled === true) flags.push(["해제", "bad"]);
  if (row.share_deal === true) flags.push(["지분", "warn"]);
  if (row.land_lease === true) flags.push(["토지임대부", "warn"]);
  const ownership = str(row.ownership);
  if (ownership) flags.push([ownership, "info"]);
  if (str(row.deal_type) === "직거래") flags.push(["직거래", ""]);
  if (row.renewal_right_used === true) flags.push(["갱신요구권", "info"]);
  else if (str(row.contract_type) === "갱신") flags.push(["갱신", ""]);
  return flags;
}

function dealOf(row: Record<string, unknown>): Deal {
  const dong = str(row.dong) ?? "";
  const jibun = str(row.jibun) ?? "";
  const name = str(row.name) ?? (`${dong} ${jibun}`.trim() || "-");
  const kind = str(row.house_type) ?? str(row.building_use) ?? str(row.land_category);
  const place = [str(row.name) ? dong : "", kind ?? ""].filter(Boolean).join(" · ");
  const monthly = num(row.monthly_rent_manwon);
  return {
    name,
    place,
    area: num(row.area_m2),
    floor: num(row.floor),
    price: num(row.price_manwon) ?? num(row.deposit_manwon),
    rent: monthly && monthly > 0 ? monthly : undefined,
    date: str(row.date) ?? "",
    flags: flagsOf(row),
    cancelled: row.cancelled === true,
    search: `${name} ${dong} ${jibun} ${kind ?? ""}`.toLowerCase(),
  };
}

function compare(key: Key, a: Deal, b: Deal): number {
  if (key === "name") return a.name.localeCompare(b.name, "ko");
  if (key === "date") return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
  const av = key === "area" ? a.area : key === "floor" ? a.floor : a.price;
  const bv = key === "area" ? b.area : key === "floor" ? b.floor : b.price;
  return (av ?? -Infinity) - (bv ?? -Infinity);
}

function priceCell(deal: Deal, lease: boolean): HTMLElement {
  if (deal.price === undefined) return h("td", { class: "price" }, "-");
  if (!lease) return h("td", { class: "price" }, manwon(deal.price));
  if (deal.rent === undefined) return h("td", { class: "price" }, h("span", { class: "lease" }, "전세 "), manwon(deal.price));
  return h("td", { class: "price" }, h("span", { class: "lease" }, "보증금 "), manwon(deal.price),
    h("br"), h("span", { class: "lease" }, "월 "), `${group(deal.rent)}만원`);
}

function render(data: Record<string, unknown>): void {
  const deals = list(data.rows).map(dealOf);
  const lease = str(data.kind) === "rent";
  const summary = obj(data.summary);
  const top = headline(summary);
  const matching = num(summary.matching_deals) ?? deals.length;
  const cancelled = num(summary.cancelled_deals) ?? 0;
  const omitted = num(data.rows_omitted) ?? 0;
  const hasFloor = deals.some((d) => d.floor !== undefined);
  const basis = basisName(str(data.area_basis));
  let key: Key = "date";
  let descending = true;
  let query = "";
  let hideCancelled = false;
  let page = 0;
  const root = main();
  const tableBox = h("div", { class: "table-box" });
  const pager = h("div", { class: "pager" });
  const columns: [Key, string][] = [["name", "단지"], ["area", basis], ["floor", "층"], ["price", lease ? "보증금·월세" : "가격"], ["date", "계약일"]];
  const visible = columns.filter(([k]) => k !== "floor" || hasFloor);
  const draw = () => {
    const shown = deals
      .filter((d) => (!hideCancelled || !d.cancelled) && (query === "" || d.search.includes(query)))
      .sort((a, b) => (descending ? -1 : 1) * compare(key, a, b));
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    const slice = shown.slice(page * PAGE, page * PAGE + PAGE);
    const head = visible.map(([k, label]) => {
      const sorted = k === key;
      const button = h("button", { type: "button", class: "sort", "data-key": k }, label, sorted ? (descending ? " ▼" : " ▲") : "");
      button.addEventListener("click", () => {
        descending = k === key ? !descending : k !== "name";
        key = k;
        page = 0;
        draw();
      });
      return h("th", { "aria-sort": sorted ? (descending ? "descending" : "ascending") : undefined }, button);
    });
    const body = slice.map((d) => h("tr", { class: d.cancelled ? "cancelled" : undefined },
      h("td", { class: "name" }, h("span", { class: "n" }, d.name),
        d.place ? h("span", { class: "place" }, d.place) : null,
        d.flags.length ? h("span", { class: "flags" }, ...d.flags.map(([text, tone]) => h("span", { class: `badge ${tone}` }, text))) : null),
      h("td", { class: "area" }, d.area === undefined ? "-" : area(d.area), d.area === undefined ? null : h("span", { class: "py" }, pyeong(d.area))),
      hasFloor ? h("td", { class: "floor" }, d.floor === undefined ? "-" : String(d.floor)) : null,
      priceCell(d, lease),
      h("td", { class: "date" }, day(d.date))));
    tableBox.replaceChildren(h("table", { class: "deals" }, h("thead", {}, h("tr", {}, ...head)),
      h("tbody", {}, ...body)));
    const first = shown.length === 0 ? 0 : page * PAGE + 1;
    const previous = h("button", { type: "button", class: "prev", disabled: page === 0 }, "이전");
    const next = h("button", { type: "button", class: "next", disabled: page >= pages - 1 }, "다음");
    previous.addEventListener("click", () => { page -= 1; draw(); });
    next.addEventListener("click", () => { page += 1; draw(); });
    pager.replaceChildren(previous,
      h("span", { class: "range" }, `${first}–${page * PAGE + slice.length} / ${shown.length}건`), next);
  };
  const search = h("input", { type: "search", placeholder: "단지·동 검색", "aria-label": "단지나 동 이름으로 거르기" }) as HTMLInputElement;
  search.addEventListener("input", () => { query = search.value.trim().toLowerCase(); page = 0; draw(); });
  const hide = h("input", { type: "checkbox", class: "hide-cancelled" }) as HTMLInputElement;
  hide.addEventListener("change", () => { hideCancelled = hide.checked; page = 0; draw(); });
  const region = str(obj(data.region).name) ?? "";
  const ym = str(data.year_month) ?? "";
  put(root,
    h("header", {},
      h("h1", {}, `${region} ${str(data.property_type) ?? ""}`.trim()),
      h("p", { class: "sub" }, `${month(ym)} 계약 · 면적은 ${basis} 기준`)),
    h("dl", { class: "stats" },
      h("div", {}, h("dt", {}, "거래"), h("dd", { class: "s-count" }, `${group(matching)}건`, cancelled ? h("small", {}, ` (해제 ${cancelled})`) : null)),
      h("div", {}, h("dt", {}, lease ? "전세 중위" : "중위가"), h("dd", { class: "s-median" }, top.median === undefined ? "-" : manwon(top.median))),
      h("div", {}, h("dt", {}, "평당 중위"), h("dd", { class: "s-pyeong" }, top.perPyeong === undefined ? "-" : `${group(top.perPyeong)}만원`))),
    omitted > 0 ? h("p", { class: "note omitted" },
      `표에는 ${group(deals.length)}건만 있습니다 (조건에 맞는 거래 ${group(deals.length + omitted)}건). 위 요약은 전체 기준입니다.`) : null,
    h("div", { class: "bar-row filters" }, search,
      h("label", {}, hide, " 해제 거래 숨기기")),
    tableBox, pager,
    h("p", { class: "legend" }, "제목을 누르면 정렬합니다. 해제: 계약 후 취소된 거래(요약에서 제외) · 지분: 일부 지분만 거래 · 토지임대부: 땅은 빌린 주택"),
  );
  draw();
}

start({ name: "real-estate-mcp deals", render });

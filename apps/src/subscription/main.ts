// get_apt_subscription_detail (one notice: schedule, house types, supply) and
// get_apt_subscription_info (a list of notices with their key dates), at a glance.

import { openLink, start } from "../bridge";
import { h, list, main, put, num, obj, str } from "../dom";
import { area, date, group, manwon, pyeong } from "../format";

const STATUS: Record<string, [string, string]> = {
  upcoming: ["접수 예정", "info"],
  open: ["접수 중", "bad"],
  closed: ["접수 마감", ""],
  unknown: ["일정 미정", ""],
};

const RESIDENCE: Record<string, string> = {
  local: "해당지역",
  other_gyeonggi: "기타경기",
  other_region: "기타지역",
};

const SPECIAL: [string, string][] = [
  ["multi_child", "다자녀"],
  ["newlywed", "신혼부부"],
  ["first_home", "생애최초"],
  ["elderly_parents", "노부모부양"],
  ["institution", "기관추천"],
  ["relocated_institution", "이전기관"],
  ["youth", "청년"],
  ["newborn", "신생아"],
  ["other", "기타"],
];

function span(start: string | undefined, end: string | undefined): string | undefined {
  if (!start && !end) return undefined;
  if (!end || start === end) return date(start ?? end ?? "");
  return `${date(start ?? "")} ~ ${date(end).slice(5)}`;
}

function badges(notice: Record<string, unknown>): HTMLElement {
  const [text, tone] = STATUS[str(notice.status) ?? "unknown"] ?? ["", ""];
  const flags: [string, string][] = [[text, tone]];
  const kind = str(notice.supply_kind);
  if (kind) flags.push([kind, ""]);
  if (notice.overheated_district === true) flags.push(["투기과열지구", "warn"]);
  if (notice.adjustment_target_area === true) flags.push(["조정대상지역", "warn"]);
  if (notice.price_ceiling === true) flags.push(["분양가상한제", "info"]);
  return h("p", { class: "flags" }, ...flags.filter(([t]) => t).map(([t, c]) => h("span", { class: `badge ${c}` }, t)));
}

function schedule(notice: Record<string, unknown>): HTMLElement {
  const periods = list(notice.priority_periods);
  const rank = (n: number) => {
    const of = periods.filter((p) => num(p.rank) === n);
    if (of.length === 0) return undefined;
    const dates = new Set(of.map((p) => span(str(p.start), str(p.end))));
    if (dates.size === 1) return [...dates][0];
    return of.map((p) => `${RESIDENCE[str(p.residence) ?? ""] ?? ""} ${span(str(p.start), str(p.end)) ?? ""}`.trim()).join(", ");
  };
  const moveIn = str(notice.move_in);
  const steps: [string, string | undefined][] = [
    ["모집공고", span(str(notice.notice_date), undefined)],
    ["특별공급", span(str(notice.special_supply_start), str(notice.special_supply_end))],
    ["1순위", rank(1)],
    ["2순위", rank(2)],
    ["청약 접수", periods.length === 0 ? span(str(notice.application_start), str(notice.application_end)) : undefined],
    ["당첨자 발표", span(str(notice.winners_announced), undefined)],
    ["계약", span(str(notice.contract_start), str(notice.contract_end))],
    ["입주 예정", moveIn ? date(moveIn) : undefined],
  ];
  return h("ol", { class: "schedule" }, ...steps.filter(([, when]) => when).map(([what, when]) =>
    h("li", { "data-step": what }, h("span", { class: "what" }, what), h("span", { class: "when" }, when ?? ""))));
}

function houseTypes(types: Record<string, unknown>[]): HTMLElement {
  const rows = types.map((t) => {
    const exclusive = num(t.exclusive_area_m2);
    const supply = num(t.supply_area_m2);
    const price = num(t.top_price_manwon);
    const perPyeong = num(t.top_price_per_pyeong_manwon);
    const code = /^0*(\d+)\.\d*([A-Z]*)$/.exec(str(t.house_type) ?? "");
    const label = code ? `${code[1]}${code[2]}` : (str(t.house_type) ?? str(t.model_no) ?? "-");
    return h("tr", { "data-type": str(t.house_type) ?? "" },
      h("td", {}, h("b", {}, label),
        h("span", { class: "sub2" }, exclusive === undefined ? "" : `전용 ${area(exclusive)}`),
        h("span", { class: "sub2" }, supply === undefined ? "" : `공급 ${area(supply)} · ${pyeong(supply)}`)),
      h("td", { class: "general" }, group(num(t.general_households) ?? 0)),
      h("td", { class: "special" }, group(num(t.special_households) ?? 0)),
      h("td", { class: "top" }, price === undefined ? "-" : manwon(price),
        perPyeong === undefined ? null : h("span", { class: "sub2" }, `평당 ${group(perPyeong)}만원`)));
  });
  return h("table", { class: "types" },
    h("thead", {}, h("tr", {}, h("th", {}, "주택형"), h("th", {}, "일반"), h("th", {}, "특별"), h("th", {}, "최고 분양가"))),
    h("tbody", {}, ...rows));
}

function specialMix(types: Record<string, unknown>[]): HTMLElement | null {
  const sums = SPECIAL.map(([key, label]) => [label, types.reduce((total, t) => total + (num(obj(t.special_by_category)[key]) ?? 0), 0)] as const)
    .filter(([, count]) => count > 0);
  if (sums.length === 0) return null;
  return h("p", { class: "note mix" }, "특별공급: ", sums.map(([label, count]) => `${label} ${count}`).join(" · "));
}

function link(url: string | undefined): HTMLElement | null {
  if (!url) return null;
  const button = h("button", { type: "button", class: "link" }, "청약홈에서 공고 보기");
  button.addEventListener("click", () => {
    if (!openLink(url)) button.replaceWith(h("span", { class: "note" }, url));
  });
  return button;
}

function detail(data: Record<string, unknown>): void {
  const notice = obj(data.notice);
  const types = list(data.house_types);
  const totals = obj(data.totals);
  const low = num(totals.top_price_min_manwon);
  const high = num(totals.top_price_max_manwon);
  const households = num(totals.households) ?? num(notice.total_households);
  put(main(),
    h("header", {}, h("h1", {}, str(notice.house_name) ?? "청약 공고"),
      h("p", { class: "sub" }, str(notice.address) ?? ""), badges(notice)),
    h("dl", { class: "stats" },
      h("div", {}, h("dt", {}, "공급"), h("dd", { class: "s-households" }, households === undefined ? "-" : `${group(households)}세대`)),
      h("div", {}, h("dt", {}, "일반 · 특별"), h("dd", { class: "s-split" }, `${group(num(totals.general_households) ?? 0)} · ${group(num(totals.special_households) ?? 0)}`)),
      h("div", { class: "wide" }, h("dt", {}, "최고 분양가"), h("dd", { class: "s-price" },
        low === undefined || high === undefined ? "-" : low === high ? manwon(low) : `${manwon(low)} ~ ${manwon(high)}`))),
    h("h2", {}, "일정"), schedule(notice),
    h("h2", {}, "주택형"), houseTypes(types), specialMix(types),
    h("p", { class: "note" }, [str(notice.builder) && `시공 ${str(notice.builder)}`, str(notice.developer) && `시행 ${str(notice.developer)}`].filter(Boolean).join(" · ")),
    link(str(notice.notice_url)),
  );
}

function notices(data: Record<string, unknown>): void {
  const items = list(data.notices).map((notice) => {
    const households = num(notice.total_households);
    return h("li", { class: "notice", "data-id": str(notice.house_manage_no) ?? "" },
      h("b", { class: "n" }, str(notice.house_name) ?? "-"),
      h("span", { class: "sub" }, [str(notice.region), households === undefined ? "" : `${group(households)}세대`, str(notice.move_in) ? `입주 ${date(str(notice.move_in) ?? "")}` : ""].filter(Boolean).join(" · ")),
      badges(notice),
      h("span", { class: "dates" },
        `공고 ${date(str(notice.notice_date) ?? "-")} · 접수 ${span(str(notice.application_start), str(notice.application_end)) ?? "-"} · 발표 ${date(str(notice.winners_announced) ?? "-")}`));
  });
  const total = num(data.total_count) ?? items.length;
  const filters = Array.isArray(data.filters) ? data.filters.filter((f): f is string => typeof f === "string") : [];
  put(main(),
    h("header", {}, h("h1", {}, "청약 공고"),
      h("p", { class: "sub" }, `${group(total)}건${filters.length ? ` · ${filters.join(" · ")}` : ""}`)),
    h("ol", { class: "notices" }, ...items),
    data.has_more === true ? h("p", { class: "note" }, "다음 쪽이 더 있습니다.") : null,
  );
}

start({
  name: "real-estate-mcp subscription notice",
  render(data) {
    if (data.notice !== undefined) detail(data);
    else if (Array.isArray(data.notices)) notices(data);
    else throw new Error("not a subscription notice result");
  },
});

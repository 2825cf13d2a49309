// The headline figures of a transaction summary (the `summary` object every transaction and
// analytics tool returns): sale prices for trades, 전세 deposits for leases.

import { num, obj } from "./dom";

/** One group's headline: median amount, median per ㎡ and per 평 (만원), deals counted. */
export interface Headline {
  median?: number;
  perM2?: number;
  perPyeong?: number;
  /** Deals behind the figures (cancelled ones excluded). */
  count: number;
  /** Whether the figures are 전세 deposits rather than sale prices. */
  lease: boolean;
}

/** Reads the headline of a `summary`, trade or lease, whichever it carries. */
export function headline(summary: unknown): Headline {
  const s = obj(summary);
  const counted = (num(s.matching_deals) ?? 0) - (num(s.cancelled_deals) ?? 0);
  if (s.jeonse !== undefined && s.price_manwon === undefined) {
    const jeonse = obj(s.jeonse);
    return {
      median: num(obj(jeonse.deposit_manwon).median),
      perM2: num(jeonse.median_deposit_per_m2_manwon),
      perPyeong: num(jeonse.median_deposit_per_pyeong_manwon),
      count: num(jeonse.count) ?? 0,
      lease: true,
    };
  }
  const price = obj(s.price_manwon);
  return {
    median: num(price.median),
    perM2: num(s.median_price_per_m2_manwon),
    perPyeong: num(s.median_price_per_pyeong_manwon),
    count: num(price.count) ?? Math.max(counted, 0),
    lease: false,
  };
}

/** `서울특별시 강남구` → `강남구`: the district part of a region name. */
export function shortRegion(name: string): string {
  const parts = name.trim().split(/\s+/);
  return parts.length > 1 ? parts.slice(1).join(" ") : name;
}

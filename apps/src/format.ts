// Numbers the way Korean readers expect them: 만원 amounts in 억 and 만, thousands grouped,
// months as 2024.06. Rounding is half-up on whole 만원 (the tests read the page with the
// same rule).

/** Square metres in one 평. */
export const M2_PER_PYEONG = 3.3058;

/** `1234567` → `1,234,567` (whole numbers, half-up). */
export function group(value: number): string {
  const rounded = Math.round(value);
  const sign = rounded < 0 ? "-" : "";
  return sign + String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A 만원 amount: `123400` → `12억 3,400만원`, `120000` → `12억원`, `8500` → `8,500만원`. */
export function manwon(value: number): string {
  const whole = Math.round(value);
  const eok = Math.floor(whole / 10000);
  const rest = whole % 10000;
  if (eok === 0) return `${group(rest)}만원`;
  return rest === 0 ? `${group(eok)}억원` : `${group(eok)}억 ${group(rest)}만원`;
}

/** A compact 만원 amount for axes: `123400` → `12.3억`, `7500` → `7,500`. */
export function compact(value: number): string {
  if (Math.abs(value) < 10000) return group(value);
  return `${(Math.round(value / 1000) / 10).toString()}억`;
}

/** A percent change with its direction: `▲2.5%`, `▼0.8%`, `0.0%`. */
export function change(value: number): string {
  const text = `${Math.abs(value).toFixed(1)}%`;
  if (value > 0) return `▲${text}`;
  if (value < 0) return `▼${text}`;
  return text;
}

/** `202406` → `2024.06`. */
export function month(value: string): string {
  return /^\d{6}$/.test(value) ? `${value.slice(0, 4)}.${value.slice(4)}` : value;
}

/** `2024-06-28` → `06.28`; `2029-01` → `2029.01`. */
export function day(value: string): string {
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (full) return `${full[2]}.${full[3]}`;
  const partial = /^(\d{4})-(\d{2})$/.exec(value);
  return partial ? `${partial[1]}.${partial[2]}` : value;
}

/** `2025-04-21` → `2025.04.21`. */
export function date(value: string): string {
  return value.replace(/^(\d{4})-(\d{2})-(\d{2})$/, "$1.$2.$3").replace(/^(\d{4})-(\d{2})$/, "$1.$2");
}

/** An area in ㎡ cut to two decimals, as listings write it: `84.9981` → `84.99㎡`. */
export function area(m2: number): string {
  return `${(Math.floor(m2 * 100 + 1e-6) / 100).toFixed(2)}㎡`;
}

/** The same area in 평, one decimal: `84.9981` → `25.7평`. */
export function pyeong(m2: number): string {
  return `${(m2 / M2_PER_PYEONG).toFixed(1)}평`;
}

/** The Korean name of an area basis: `전용면적 (exclusive-use area, ㎡)` → `전용면적`. */
export function basisName(basis: string | undefined): string {
  const name = (basis ?? "").split(/[\s(,]/)[0];
  return name && /[가-힣]/.test(name) ? name : "면적";
}

// Small helpers for building the page: elements, SVG elements, and defensive reads of the
// tool result (fields may be missing or added by a newer server; a view never trusts a shape).

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null>;

function fill<T extends Element>(node: T, attrs: Attrs, children: Child[]): T {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "object" ? child : String(child));
  }
  return node;
}

/** An HTML element with attributes and children. */
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  return fill(document.createElement(tag), attrs, children);
}

/** An SVG element with attributes and children. */
export function s(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  return fill(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);
}

/** Appends `children` to `parent`, skipping the absent ones. */
export function put(parent: Element, ...children: Child[]): void {
  fill(parent, {}, children);
}

/** The page's main element, emptied for a fresh render. */
export function main(): HTMLElement {
  const element = document.getElementById("app");
  if (!element) throw new Error("the page has no #app element");
  element.replaceChildren();
  return element;
}

/** A plain object, or an empty one. */
export function obj(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** An array of plain objects, or an empty array. */
export function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(obj) : [];
}

/** A finite number, or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A non-empty string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** A segmented two-or-more-way switch (e.g. 평당 / ㎡당); calls `pick` with the chosen key. */
export function toggle(
  label: string,
  options: [string, string][],
  chosen: string,
  pick: (key: string) => void,
): HTMLElement {
  const group = h("div", { class: "seg", role: "group", "aria-label": label });
  for (const [key, text] of options) {
    const button = h("button", { type: "button", "data-key": key, "aria-pressed": key === chosen }, text);
    button.addEventListener("click", () => {
      for (const other of group.querySelectorAll("button")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      pick(key);
    });
    group.append(button);
  }
  return group;
}

// Builds each MCP Apps view into one self-contained HTML file (scripts and styles inlined,
// nothing fetched at run time) under service/assets/views/, which the binary embeds.
//
//   node build.mjs            write the views and print their sizes
//   node build.mjs --check    type-check, rebuild in memory, and fail unless the committed
//                             files are byte for byte what the sources build to and every
//                             view is within its size budget
//   node build.mjs --host DIR the browser test's host page (the extension's AppBridge) into DIR
//
// The build is deterministic: pinned esbuild and TypeScript (package-lock.json), no
// timestamps, no absolute paths, sources read in a fixed order.

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "..", "service", "assets", "views");

/** The views: directory under src/, page title. */
const VIEWS = [
  ["price-trend", "시세 추이"],
  ["region-comparison", "지역 비교"],
  ["deals", "실거래 목록"],
  ["subscription", "청약 공고"],
];

/** Size budget of each built view, in bytes: as sent, and gzip-compressed (level 9). */
const BUDGET = { raw: 24 * 1024, gzip: 8 * 1024 };

const TARGET = ["chrome120", "firefox121", "safari17.2"];

async function script(name) {
  const result = await build({
    entryPoints: [join(HERE, "src", name, "main.ts")],
    bundle: true,
    minify: true,
    format: "iife",
    target: TARGET,
    charset: "utf8",
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text.trim();
}

async function style(name) {
  const source = ["base.css", join(name, "view.css")]
    .map((file) => readFileSync(join(HERE, "src", file), "utf8"))
    .join("\n");
  const result = await transform(source, { loader: "css", minify: true, target: TARGET, charset: "utf8" });
  return result.code.trim();
}

/** One view's complete page. */
async function page(name, title) {
  const js = await script(name);
  if (js.includes("</script")) throw new Error(`${name}: the script contains "</script"`);
  return (
    `<!doctype html><html lang="ko"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${title}</title><style>${await style(name)}</style></head>` +
    `<body><main id="app" aria-busy="true"><p class="wait">결과를 기다리는 중…</p></main>` +
    `<script>${js}</script></body></html>\n`
  );
}

function sizes(html) {
  const bytes = Buffer.from(html, "utf8");
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

function typecheck() {
  const tsc = join(HERE, "node_modules", "typescript", "bin", "tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", join(HERE, "tsconfig.json")], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`type errors:\n${run.stdout}${run.stderr}`);
}

async function host(dir) {
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [join(HERE, "host", "host.ts")],
    bundle: true,
    format: "iife",
    target: TARGET,
    outfile: join(dir, "host.js"),
    logLevel: "silent",
  });
  copyFileSync(join(HERE, "host", "host.html"), join(dir, "host.html"));
}

async function main(args) {
  if (args[0] === "--host") {
    if (!args[1]) throw new Error("--host needs a directory");
    await host(args[1]);
    return 0;
  }
  const check = args[0] === "--check";
  if (check) typecheck();
  const problems = [];
  for (const [name, title] of VIEWS) {
    const html = await page(name, title);
    const file = join(OUT, `${name}.html`);
    const size = sizes(html);
    if (check) {
      let committed = null;
      try {
        committed = readFileSync(file, "utf8");
      } catch {
        // reported below
      }
      if (committed !== html) {
        problems.push(`${name}: service/assets/views/${name}.html is not what the sources build to; run \`node apps/build.mjs\` and commit it`);
      }
    } else {
      mkdirSync(OUT, { recursive: true });
      writeFileSync(file, html);
    }
    for (const kind of ["raw", "gzip"]) {
      if (size[kind] > BUDGET[kind]) {
        problems.push(`${name}: ${size[kind]} bytes ${kind}, over the ${BUDGET[kind]}-byte budget`);
      }
    }
    console.log(`view ${name}: ${size.raw} bytes, ${size.gzip} gzip (budget ${BUDGET.raw} / ${BUDGET.gzip})`);
  }
  for (const problem of problems) console.error(`error: ${problem}`);
  if (problems.length === 0) {
    console.log(check ? `${VIEWS.length} views: identical to service/assets/views, within budget` : `${VIEWS.length} views written to service/assets/views`);
  }
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`error: ${error.message}`);
    process.exit(1);
  },
);

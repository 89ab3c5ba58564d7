#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (tools/install.sh runs it).
import("../dist/runner/cli.js").catch((err) => {
  if (err && err.code === "ERR_MODULE_NOT_FOUND") {
    console.error("slo-harness: not built yet; run `bash tools/install.sh` (or `npm run build`) first");
    process.exit(4);
  }
  throw err;
});

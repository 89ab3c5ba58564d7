// The layer rule of ARCHITECTURE.md, checked by test/layers.test.ts in `npm test`.
const production = "\\.test\\.ts$";
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: "core-imports-nothing-of-ours",
      comment: "core/ holds the contracts every stage shares; it is the bottom layer.",
      severity: "error",
      from: { path: "^core/", pathNot: production },
      to: { path: "^(env|scenarios|chaos|assertions|reports|runner|test|bench)/" },
    },
    {
      name: "stages-import-only-core",
      comment: "env, scenarios, chaos and assertions use core/ and their own folder, never each other or what is above them.",
      severity: "error",
      from: { path: "^(env|scenarios|chaos|assertions)/", pathNot: production },
      to: { path: "^(env|scenarios|chaos|assertions|reports|runner|test|bench)/", pathNot: "^$1/" },
    },
    {
      name: "reports-import-only-core",
      comment: "reports/ renders report.json, the contract in core/; it knows no stage.",
      severity: "error",
      from: { path: "^reports/", pathNot: production },
      to: { path: "^(env|scenarios|chaos|assertions|runner|test|bench)/" },
    },
    {
      name: "no-circles",
      comment: "A circle makes two files one module in disguise.",
      severity: "error",
      from: { pathNot: production },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};

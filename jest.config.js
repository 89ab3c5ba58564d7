// ESM TypeScript through ts-jest; imports keep their ".js" suffix as NodeNext requires, so map it back.
export default {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  // Integration suites each bring up real processes; on two cores they must not overlap.
  maxWorkers: 1,
  // Integration suites wait on real processes; `jest` is not a global under ESM, so set it here.
  testTimeout: 180_000,
  roots: ["<rootDir>"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: "tsconfig.json" }] },
};

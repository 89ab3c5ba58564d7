// The mutation suite, the stability run, the real node's game days and the end-to-end runs that
// repeat on a second provider what `npm test` checks on one: minutes to hours each, so a nightly
// job, not `npm test`.
import base from "./jest.config.js";

export default { ...base, testMatch: ["<rootDir>/{test,runner,targets}/**/*.suite.ts"], testTimeout: 900_000 };

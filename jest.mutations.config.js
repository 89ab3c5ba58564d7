// The mutation suite, the stability run and the real node's game days: minutes to hours of game
// days each, so a nightly job, not `npm test`.
import base from "./jest.config.js";

export default { ...base, testMatch: ["<rootDir>/test/mutations/**/*.suite.ts", "<rootDir>/test/kube/**/*.suite.ts"], testTimeout: 900_000 };

// The mutation suite and the stability run: hours of game days, so a nightly job, not `npm test`.
import base from "./jest.config.js";

export default { ...base, testMatch: ["<rootDir>/test/mutations/**/*.suite.ts"], testTimeout: 900_000 };

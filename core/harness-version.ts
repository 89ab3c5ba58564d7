import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.js";

/** The version in package.json: what `--version` prints and every report records. */
export const HARNESS_VERSION: string = (JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;

import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../core/paths.js";

// tools/versions.env is the one pinned manifest; the installer sources it as shell, we read it as KEY=value.
export function readToolVersions(file = path.join(repoRoot, "tools", "versions.env")): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const raw of readFileSync(file, "utf8").split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([A-Z0-9_]+)=["']?([^"'#\s]*)["']?/.exec(line);
    if (match?.[1] && match[2] !== undefined) versions[match[1]] = match[2];
  }
  return versions;
}

import { execa } from "execa";
import { repoRoot } from "../core/paths.js";

/** The code stays formatted (Prettier) and lint-clean (typescript-eslint, recommended) on every `npm test`. */
describe("code style", () => {
  it("should be formatted as Prettier writes it (npx prettier --write . fixes it)", async () => {
    const { exitCode, stdout, stderr } = await execa("npx", ["prettier", "--check", "."], { cwd: repoRoot, reject: false });
    expect({ exitCode, unformatted: `${stdout}\n${stderr}`.split("\n").filter((l) => l.startsWith("[warn]")) }).toEqual({ exitCode: 0, unformatted: [] });
  }, 120_000);

  it("should pass typescript-eslint's recommended rules (npx eslint . lists what does not)", async () => {
    const { exitCode, stdout } = await execa("npx", ["eslint", "."], { cwd: repoRoot, reject: false });
    expect({ exitCode, problems: stdout.trim() }).toEqual({ exitCode: 0, problems: "" });
  }, 180_000);
});

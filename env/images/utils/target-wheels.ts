import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { cacheDir } from "../../../core/paths.js";
import { type LogFn } from "./docker-cli.js";
import { contentPart, shortHash } from "./input-hash.js";

/** The host Python that fetches wheels: the target's venv when installed, else python3. */
function hostPython(): string {
  const venv = path.join(cacheDir(), "venv", "target", "bin", "python");
  return existsSync(venv) ? venv : "python3";
}

/** The image's Python is Debian bookworm's 3.11 (glibc 2.36): wheels must be for CPython 3.11 on x86_64 glibc, or pure. */
function incompatibleWheels(files: string[]): string[] {
  return files.filter((f) => {
    const tags = f
      .replace(/\.whl$/, "")
      .split("-")
      .slice(-3);
    const [python, abi, platform] = [tags[0] ?? "", tags[1] ?? "", tags[2] ?? ""];
    const pythonOk = python
      .split(".")
      .some((t) => t === "py3" || t === "cp311" || t === "py311" || (abi === "abi3" && /^cp3\d+$/.test(t) && Number(t.slice(3)) <= 11));
    const platformOk = platform.split(".").some((p) => p === "any" || /^(manylinux|linux)_?\w*x86_64$/.test(p) || /^manylinux\d+_x86_64$/.test(p));
    return !(pythonOk && platformOk);
  });
}

/**
 * A wheelhouse holding every distribution requirements.lock pins, fetched (or built) on the host
 * from PyPI, cached in the cache dir by lock and host Python: the image build then installs
 * with --no-index and needs no network.
 */
export async function ensureWheelhouse(lockFile: string, log: LogFn): Promise<string> {
  const python = hostPython();
  const version = (await execa(python, ["-c", "import sys; print(sys.version.split()[0])"])).stdout.trim();
  if (!version.startsWith("3.11."))
    throw new Error(`target wheels: ${python} is Python ${version}; the image's Debian bookworm Python is 3.11, wheels must match`);
  const dir = path.join(cacheDir(), "images", `wheels-${shortHash([contentPart(lockFile), version])}`);
  const marker = path.join(dir, ".complete");
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`target: pip wheel -r ${lockFile} into ${dir} (PyPI)`);
  const result = await execa(python, ["-m", "pip", "wheel", "--disable-pip-version-check", "--no-input", "--quiet", "-r", lockFile, "-w", dir], {
    reject: false,
    all: true,
  });
  if (result.exitCode !== 0)
    throw new Error(`target wheels: pip wheel failed (exit ${result.exitCode}):\n${String(result.all).split("\n").slice(-20).join("\n")}`);
  const wheels = readdirSync(dir).filter((f) => f.endsWith(".whl"));
  const bad = incompatibleWheels(wheels);
  if (bad.length) throw new Error(`target wheels: not installable on CPython 3.11 x86_64 glibc: ${bad.join(", ")}`);
  writeFileSync(marker, `${wheels.length} wheels\n`);
  return dir;
}

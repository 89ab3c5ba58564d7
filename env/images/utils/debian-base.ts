import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { cacheDir, repoRoot } from "../../../core/paths.js";
import { dockerImport, imageExists, type LogFn } from "./docker-cli.js";
import { contentPart, shortHash } from "./input-hash.js";

export const DEBIAN_SUITE = "bookworm";

/**
 * Every Debian package any image needs, installed once into one shared rootfs: image builds then
 * need no network, and the images share their biggest layer.
 */
export const DEBIAN_PACKAGES = ["ca-certificates", "postgresql-15", "prometheus", "prometheus-alertmanager", "python3", "python3-venv"];

const ROOTFS_SCRIPT = path.join(repoRoot, "env", "images", "debian-rootfs.sh");

interface Mirrors {
  main: string;
  security: string;
}

/** The host's apt mirrors (one-line .list and deb822 .sources), so the rootfs comes from where apt-get does. */
export function hostMirrors(): Mirrors {
  const found: Mirrors = { main: "", security: "" };
  const note = (uri: string, suites: string[]): void => {
    if (!/^https?:\/\//.test(uri)) return;
    if (!found.main && suites.includes(DEBIAN_SUITE)) found.main = uri.replace(/\/$/, "");
    if (!found.security && suites.includes(`${DEBIAN_SUITE}-security`)) found.security = uri.replace(/\/$/, "");
  };
  const files = ["/etc/apt/sources.list"];
  const dir = "/etc/apt/sources.list.d";
  if (existsSync(dir))
    files.push(
      ...readdirSync(dir)
        .filter((f) => f.endsWith(".list") || f.endsWith(".sources"))
        .map((f) => path.join(dir, f)),
    );
  for (const file of files.filter((f) => existsSync(f))) {
    const text = readFileSync(file, "utf8");
    if (file.endsWith(".sources")) {
      for (const block of text.split(/\n\s*\n/)) {
        const field = (name: string): string[] => (block.match(new RegExp(`^${name}:\\s*(.+)$`, "mi"))?.[1] ?? "").trim().split(/\s+/).filter(Boolean);
        if (field("Enabled")[0] === "no" || !field("Types").includes("deb")) continue;
        for (const uri of field("URIs")) note(uri, field("Suites"));
      }
    } else {
      for (const line of text.split("\n")) {
        const m = line.trim().match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/);
        if (m) note(m[1]!, [m[2]!]);
      }
    }
  }
  return { main: found.main || "http://deb.debian.org/debian", security: found.security || "http://deb.debian.org/debian-security" };
}

/**
 * The shared Debian base image, imported from a cached debootstrap tarball (built when missing).
 * `force` re-imports it but keeps the tarball: delete it from the cache to take newer packages.
 */
export async function ensureDebianBase(log: LogFn, force: boolean): Promise<string> {
  const tag = shortHash([DEBIAN_SUITE, ...DEBIAN_PACKAGES, contentPart(ROOTFS_SCRIPT)]);
  const ref = `slo-harness/debian-${DEBIAN_SUITE}:${tag}`;
  if (!force && (await imageExists(ref))) return ref;
  const tarball = path.join(cacheDir(), "images", `debian-${DEBIAN_SUITE}-${tag}.tar`);
  if (!existsSync(tarball)) {
    if (process.getuid?.() !== 0) throw new Error(`debian base: building ${tarball} needs root (debootstrap, chroot); run as root or build it once with sudo`);
    const mirrors = hostMirrors();
    log(`debian base: debootstrap ${DEBIAN_SUITE} from ${mirrors.main} with ${DEBIAN_PACKAGES.join(" ")} (about a minute)`);
    mkdirSync(path.dirname(tarball), { recursive: true });
    const result = await execa("bash", [ROOTFS_SCRIPT, tarball, DEBIAN_SUITE, mirrors.main, mirrors.security, ...DEBIAN_PACKAGES], {
      reject: false,
      all: true,
    });
    if (result.exitCode !== 0)
      throw new Error(`debian base: ${ROOTFS_SCRIPT} failed (exit ${result.exitCode}):\n${String(result.all).split("\n").slice(-25).join("\n")}`);
    // Tarballs of other package lists or scripts are stale: half a gigabyte each.
    for (const stale of readdirSync(path.dirname(tarball)).filter((f) => f.startsWith(`debian-${DEBIAN_SUITE}-`) && f !== path.basename(tarball))) {
      rmSync(path.join(path.dirname(tarball), stale), { force: true });
    }
  }
  log(`debian base: docker import ${tarball} as ${ref}`);
  await dockerImport(tarball, ref, ["ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "ENV LANG=C.UTF-8", 'CMD ["bash"]']);
  return ref;
}

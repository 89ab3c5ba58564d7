import path from "node:path";
import { execa } from "execa";
import { buildLocalImages, type LocalImages } from "./build-local-images.js";
import { repoRoot } from "../../core/paths.js";

// A cold build debootstraps a Debian rootfs and fetches the target's wheels: minutes, not seconds.
const BUILD_TIMEOUT_MS = 15 * 60_000;

/** `docker run --rm` without a network: the checks need none and may reach nothing. */
async function runImage(image: string, args: string[], options: { entrypoint?: string; env?: Record<string, string> } = {}) {
  const flags = ["run", "--rm", "--network", "none"];
  if (options.entrypoint) flags.push("--entrypoint", options.entrypoint);
  for (const [key, value] of Object.entries(options.env ?? {})) flags.push("-e", `${key}=${value}`);
  return execa("docker", [...flags, image, ...args], { reject: false, all: true, timeout: 120_000 });
}

describe("buildLocalImages", () => {
  let images: LocalImages;
  const lines: string[] = [];

  beforeAll(async () => {
    const info = await execa("docker", ["info"], { reject: false });
    if (info.exitCode !== 0) await execa("bash", [path.join(repoRoot, "tools", "install-docker.sh")], { stdio: "inherit" });
    images = await buildLocalImages({ log: (line) => lines.push(line) });
  }, BUILD_TIMEOUT_MS);

  it("should name every image slo-harness/<name>:<hash of its inputs>", () => {
    for (const [name, ref] of Object.entries(images)) expect(ref).toMatch(new RegExp(`^slo-harness/${name}:[0-9a-f]{12}$`));
  });

  it("should reuse images whose inputs did not change", async () => {
    const again: string[] = [];
    const refs = await buildLocalImages({ log: (line) => again.push(line) });
    expect(refs).toEqual(images);
    expect(again.filter((line) => line.endsWith("(cached)"))).toHaveLength(Object.keys(images).length);
  });

  it.each([
    ["postgres", ["postgres", "--version"], /postgres \(PostgreSQL\) 15\./],
    ["prometheus", ["--version"], /prometheus, version 2\./],
    ["alertmanager", ["--version"], /alertmanager, version 0\./],
    ["collector", ["--version"], /otelcol-slo version v0\./],
    ["jaeger", ["version"], /v1\.\d+\.\d+/],
    ["logs", ["-version"], /victoria-logs-v1\./],
    ["toxiproxy", ["-version"], /toxiproxy-server version 2\./],
    ["target", ["--version"], /gunicorn \(version \d+/],
  ] as const)("should run %s's binary as the entrypoint", async (name, args, expected) => {
    const result = await runImage(images[name], [...args]);
    expect(String(result.all)).toMatch(expected);
    expect(result.exitCode).toBe(0);
  });

  it.each([
    ["prometheus", "/usr/bin/promtool", /promtool, version 2\.42\./],
    ["alertmanager", "/usr/bin/amtool", /amtool, version/],
    ["toxiproxy", "/toxiproxy-cli", /toxiproxy-cli version/],
    ["postgres", "psql", /psql \(PostgreSQL\) 15\./],
  ] as const)("should ship %s's companion tool %s", async (name, tool, expected) => {
    const result = await runImage(images[name], ["--version"], { entrypoint: tool });
    expect(String(result.all)).toMatch(expected);
  });

  it("should run the target's Django app from its venv", async () => {
    const result = await runImage(images.target, ["-c", "import django, genomics.settings; print('django', django.get_version())"], {
      entrypoint: "/opt/venv/bin/python",
      env: { PYTHONPATH: "/app", GENOMICS_TELEMETRY: "0" },
    });
    expect(String(result.all)).toMatch(/django 5\.\d+/);
  });

  it("should initialise postgres from POSTGRES_* like the official image and accept password logins", async () => {
    const name = `slo-harness-images-test-${process.pid}`;
    await execa("docker", [
      "run",
      "-d",
      "--name",
      name,
      "--network",
      "none",
      "-e",
      "POSTGRES_USER=genomics",
      "-e",
      "POSTGRES_PASSWORD=secret",
      "-e",
      "POSTGRES_DB=genomics",
      images.postgres,
      "postgres",
      "-c",
      "max_connections=40",
    ]);
    try {
      let logs = "";
      for (let i = 0; i < 60 && !logs.includes("database system is ready to accept connections"); i++) {
        await new Promise((r) => setTimeout(r, 500));
        logs = String((await execa("docker", ["logs", name], { all: true, reject: false })).all);
      }
      expect(logs).toContain("database system is ready to accept connections");
      const query = await execa(
        "docker",
        ["exec", "-e", "PGPASSWORD=secret", name, "psql", "-h", "127.0.0.1", "-U", "genomics", "-d", "genomics", "-Atc", "show max_connections"],
        { reject: false, all: true },
      );
      expect(String(query.all).trim()).toBe("40");
      const wrong = await execa(
        "docker",
        ["exec", "-e", "PGPASSWORD=wrong", name, "psql", "-h", "127.0.0.1", "-U", "genomics", "-d", "genomics", "-c", "select 1"],
        { reject: false, all: true },
      );
      expect(String(wrong.all)).toMatch(/password authentication failed/);
    } finally {
      await execa("docker", ["rm", "-f", "-v", name], { reject: false });
    }
  });

  it("should refuse to initialise postgres without a password, saying which variable to set", async () => {
    const result = await runImage(images.postgres, []);
    expect(result.exitCode).not.toBe(0);
    expect(String(result.all)).toMatch(/POSTGRES_PASSWORD/);
  });
});

import type { Command } from "commander";
import { buildHarnessImage, buildLoadRunnerImage, buildLocalImages } from "../../env/images/index.js";

export function registerImages(program: Command): void {
  const images = program.command("images").description("container images: the stack's, for the testcontainers provider, and the harness's own, for CI");
  images
    .command("build")
    .description(
      "build the stack's images here, with no registry: FROM scratch with the Go-built binaries, or a debootstrap Debian base with Debian's packages",
    )
    .option("--force", "rebuild even when an image with the same inputs exists")
    .option("--harness", "build the harness's own image instead (Node.js, the package, the Go-built tools and the reference API's venv), for CI jobs")
    .option("--load-runner", "build the runner of distributed load instead (Vegeta and its entrypoint on the Debian base), for run --distributed-load")
    .option("--json", "print the image names as one JSON object")
    .action(async (opts: { force?: boolean; json?: boolean; harness?: boolean; loadRunner?: boolean }) => {
      if (opts.loadRunner) {
        const ref = await buildLoadRunnerImage({ force: Boolean(opts.force), log: (line) => process.stderr.write(`${line}\n`) });
        if (opts.json) return console.log(JSON.stringify({ loadRunner: ref }));
        console.log(`  load-runner   ${ref}`);
        console.log(
          `give it to your cluster (kind load docker-image, or a push), then: slo-harness run --distributed-load 3 --load-runner-image ${ref} EXPERIMENT`,
        );
        return;
      }
      if (opts.harness) {
        const image = await buildHarnessImage({ force: Boolean(opts.force), log: (line) => process.stderr.write(`${line}\n`) });
        if (opts.json) return console.log(JSON.stringify(image));
        console.log(`  harness       ${image.ref}, also ${image.versionRef} (Node.js ${image.nodeVersion})`);
        console.log(`run it with: docker run --rm -v "$PWD/reports:/reports" ${image.versionRef} run experiments/smoke.yaml --out /reports`);
        return;
      }
      const built = await buildLocalImages({ force: Boolean(opts.force), log: (line) => process.stderr.write(`${line}\n`) });
      if (opts.json) return console.log(JSON.stringify(built));
      for (const [name, ref] of Object.entries(built)) console.log(`  ${name.padEnd(13)} ${ref}`);
      console.log("use them with: slo-harness run --env testcontainers --images local EXPERIMENT");
    });
}

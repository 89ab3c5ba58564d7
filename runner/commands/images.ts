import type { Command } from "commander";
import { buildLocalImages } from "../../env/images/index.js";

export function registerImages(program: Command): void {
  const images = program.command("images").description("container images for the testcontainers provider");
  images
    .command("build")
    .description(
      "build the stack's images here, with no registry: FROM scratch with the Go-built binaries, or a debootstrap Debian base with Debian's packages",
    )
    .option("--force", "rebuild even when an image with the same inputs exists")
    .option("--json", "print the image names as one JSON object")
    .action(async (opts: { force?: boolean; json?: boolean }) => {
      const built = await buildLocalImages({ force: Boolean(opts.force), log: (line) => process.stderr.write(`${line}\n`) });
      if (opts.json) return console.log(JSON.stringify(built));
      for (const [name, ref] of Object.entries(built)) console.log(`  ${name.padEnd(13)} ${ref}`);
      console.log("use them with: slo-harness run --env testcontainers --images local EXPERIMENT");
    });
}

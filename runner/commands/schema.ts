import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { experimentJsonSchema } from "../json-schema.js";

export function registerSchema(program: Command): void {
  program
    .command("schema")
    .description("write the experiment file's JSON Schema, for editors")
    .option("--out <file>", "where to write it", "experiments/experiment.schema.json")
    .action((opts: { out: string }) => {
      writeFileSync(opts.out, experimentJsonSchema());
      console.log(`wrote ${opts.out}`);
    });
}

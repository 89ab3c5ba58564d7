import type { Command } from "commander";
import { BadInputError } from "../../core/errors.js";
import { experimentFiles } from "../experiment-files.js";
import { loadExperiment } from "../experiment-loader.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check experiment files without running them (exit 2 when one is invalid)")
    .argument("<experiments...>", "experiment files or folders")
    .action((paths: string[]) => {
      const problems: string[] = [];
      for (const file of experimentFiles(paths)) {
        try {
          const { experiment } = loadExperiment(file);
          console.log(`ok  ${file}: ${experiment.title}`);
        } catch (err) {
          if (!(err instanceof BadInputError)) throw err;
          problems.push(err.message);
        }
      }
      if (problems.length > 0) throw new BadInputError(problems.join("\n"));
    });
}

import type { Command } from "commander";
import { BadInputError } from "../../core/errors.js";
import { experimentFiles } from "../experiment-files.js";
import { loadExperiment } from "../experiment-loader.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check experiment files without running them, folders with their subfolders (exit 2 when one is invalid)")
    .argument("<experiments...>", "experiment files or folders")
    .option("--json", "print one JSON object: every file, whether it is valid, and why not")
    .action((paths: string[], opts: { json?: boolean }) => {
      const results = experimentFiles(paths).map((file) => {
        try {
          return { file, ok: true, title: loadExperiment(file).experiment.title };
        } catch (err) {
          if (!(err instanceof BadInputError)) throw err;
          return { file, ok: false, error: err.message };
        }
      });
      const problems = results.flatMap((r) => (r.error ? [r.error] : []));
      if (opts.json) {
        console.log(JSON.stringify({ valid: problems.length === 0, files: results }));
        if (problems.length > 0) process.exitCode = 2;
        return;
      }
      for (const r of results) if (r.ok) console.log(`ok  ${r.file}: ${r.title}`);
      if (problems.length > 0) throw new BadInputError(problems.join("\n"));
    });
}

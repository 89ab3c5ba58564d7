import type { Command } from "commander";
import { BadInputError } from "../../core/errors.js";
import { redact } from "../../core/redact.js";
import { experimentFiles } from "../experiment-files.js";
import { loadExperiment } from "../experiment-loader.js";
import { checkStackFolder, type StackUse } from "../stack-folder.js";
import { checkVariablesUsed, variablesFrom, withVariableOptions, type VariableFlags } from "../variable-options.js";

/** The stack folder's check, as one more entry of the command's results. */
async function stackResult(dir: string, use: StackUse) {
  try {
    return { dir, ok: true, checked: await checkStackFolder(dir, use) };
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
    return { dir, ok: false, checked: [], error: err.message };
  }
}

export function registerValidate(program: Command): void {
  withVariableOptions(program.command("validate"))
    .description("check experiment files without running them, folders with their subfolders (exit 2 when one is invalid)")
    .argument("<experiments...>", "experiment files or folders")
    .option("--json", "print one JSON object: every file, whether it is valid, and why not")
    .option("--slos <dir>", "a folder of SLO files (OpenSLO, Sloth, Pyrra) where the experiments' SLO names are also looked up")
    .option("--stack <dir>", "also check this stack folder: every file a provider reads, each by its own tool (promtool, amtool, otelcol-slo)")
    .action(async (paths: string[], opts: { json?: boolean; stack?: string; slos?: string } & VariableFlags) => {
      const vars = variablesFrom(opts);
      const used = new Set<string>();
      const providers = new Set<string>();
      const results = experimentFiles(paths).map((file) => {
        try {
          const loaded = loadExperiment(file, { slos: opts.slos, vars });
          for (const name of loaded.variables) used.add(name);
          providers.add(loaded.experiment.env.provider);
          return { file, ok: true, title: loaded.experiment.title };
        } catch (err) {
          if (!(err instanceof BadInputError)) throw err;
          return { file, ok: false, error: err.message };
        }
      });
      const stack = opts.stack ? await stackResult(opts.stack, { kubernetes: providers.has("kind"), local: providers.has("local") }) : undefined;
      const problems = [...results, ...(stack ? [stack] : [])].flatMap((r) => (r.error ? [r.error] : []));
      // Which variables a file reads is known only once it loads; an unused --var is judged over valid files alone.
      if (problems.length === 0) checkVariablesUsed(opts, used);
      if (opts.json) {
        console.log(redact(JSON.stringify({ valid: problems.length === 0, files: results, ...(stack ? { stack } : {}) })));
        if (problems.length > 0) process.exitCode = 2;
        return;
      }
      // Titles and errors may hold a secret --var's value, so they are printed as every other output is.
      for (const r of results) if (r.ok) console.log(redact(`ok  ${r.file}: ${r.title}`));
      if (stack?.ok) console.log(`ok  ${stack.dir}: a stack folder (${stack.checked.join(", ")})`);
      if (problems.length > 0) throw new BadInputError(problems.join("\n"));
    });
}

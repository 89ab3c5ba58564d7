import { redact } from "../core/redact.js";
import { Command, CommanderError } from "commander";
import { BadInputError, EXIT, EXIT_CODES_HELP } from "../core/errors.js";
import { HARNESS_VERSION } from "../core/harness-version.js";
import { registerUp } from "./commands/up.js";
import { registerDown } from "./commands/down.js";
import { registerStatus } from "./commands/status.js";
import { registerDemo } from "./commands/demo.js";
import { registerRun } from "./commands/run.js";
import { registerValidate } from "./commands/validate.js";
import { registerList } from "./commands/list.js";
import { registerSchema } from "./commands/schema.js";
import { registerReport } from "./commands/report.js";
import { registerSlo } from "./commands/slo.js";
import { registerCheck } from "./commands/check.js";
import { registerImages } from "./commands/images.js";
import { registerScaleOut } from "./commands/scale-out.js";
import { registerInit } from "./commands/init.js";

const program = new Command()
  .name("slo-harness")
  .description("Load, chaos and SLO verification: do your instruments see it when something breaks, in time?")
  .version(HARNESS_VERSION, "-V, --version", "print the harness's version")
  .addHelpText("after", `\n${EXIT_CODES_HELP}`)
  .exitOverride();

registerUp(program);
registerDown(program);
registerStatus(program);
registerDemo(program);
registerRun(program);
registerValidate(program);
registerList(program);
registerSchema(program);
registerReport(program);
registerSlo(program);
registerCheck(program);
registerImages(program);
registerScaleOut(program);
registerInit(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; unknown options and missing arguments are bad input.
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  } else if (err instanceof BadInputError) {
    console.error(`slo-harness: ${redact(err.message)}`);
    process.exitCode = EXIT.badInput;
  } else {
    console.error(`slo-harness: ${redact((err as Error).message)}`);
    process.exitCode = EXIT.harnessError;
  }
}

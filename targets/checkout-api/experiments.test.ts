import { describeCheckoutExperiments } from "../../test/checkout-experiments.js";

// The smoke on testcontainers runs nightly (experiments-containers.suite.ts): the hang there already
// starts the target's container, scrapes it, loads its rules and pauses it.
describeCheckoutExperiments("local", ["smoke", "hang"]);
describeCheckoutExperiments("testcontainers", ["hang-containers"], ["--images", "local"]);

import { describeCheckoutExperiments } from "../../test/checkout-experiments.js";

describeCheckoutExperiments("testcontainers", ["smoke-containers"], ["--images", "local"]);

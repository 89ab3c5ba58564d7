export { TestcontainersEnvironment } from "./testcontainers-environment.js";
export { StartedTestcontainersEnvironment } from "./started-testcontainers-environment.js";
export { upstreamImages, type StackImages } from "./container-images.js";

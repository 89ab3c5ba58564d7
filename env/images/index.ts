export { buildLoadRunnerImage, buildLocalImages, buildPauseImage, type BuildLocalImagesOptions, type LocalImages } from "./build-local-images.js";
export { buildHarnessImage, HARNESS_IMAGE_TOOLS, type BuildHarnessImageOptions, type HarnessImage } from "./build-harness-image.js";

export { buildLocalImages, buildPauseImage, type BuildLocalImagesOptions, type LocalImages } from "./build-local-images.js";

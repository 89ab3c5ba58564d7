export { buildLocalImages, type BuildLocalImagesOptions, type LocalImages } from "./build-local-images.js";

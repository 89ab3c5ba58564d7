import { imageExists } from "../images/utils/docker-cli.js";
import type { KubeTarget } from "./kube-target.js";

/** The target's image must be in the local engine before it is loaded into the node: nothing is pulled or pushed. */
export async function requireTargetImage(kube: KubeTarget): Promise<string> {
  const image = kube.image!;
  if (!(await imageExists(image)))
    throw new Error(
      `${kube.files.join(", ")}: kubernetes.image ${image} is not in the local Docker engine; build it first (docker build -t ${image} <your service's folder>; the reference API's comes with \`slo-harness images build\`)`,
    );
  return image;
}

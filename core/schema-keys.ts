import type { z } from "zod";

/** The parts of a zod schema's definition that lead to an object's fields. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The fields an object at `path` of a schema takes, so an unknown field can be answered with the
 * one that was meant. Wrappers (default, optional, pipe) are looked through; a union's object
 * options all count. Empty when the path leads nowhere the schema can say.
 */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const found = new Set<string>();
  const walk = (node: z.ZodType, rest: readonly PropertyKey[], depth: number) => {
    // Recursive schemas through lazy would never end; an experiment is nowhere near this deep.
    if (depth > 32) return;
    const def = defOf(node);
    switch (def.type) {
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
      case "catch":
      case "nonoptional":
        return walk(def.innerType!, rest, depth + 1);
      case "pipe":
        return walk(def.in!, rest, depth + 1);
      case "lazy":
        return walk(def.getter!(), rest, depth + 1);
      case "union":
        for (const option of def.options!) walk(option, rest, depth + 1);
        return;
      case "array":
        if (typeof rest[0] === "number") walk(def.element!, rest.slice(1), depth + 1);
        return;
      case "object": {
        const shape = def.shape!;
        if (rest.length === 0) for (const key of Object.keys(shape)) found.add(key);
        const field = typeof rest[0] === "string" ? shape[rest[0]] : undefined;
        if (field) walk(field, rest.slice(1), depth + 1);
        return;
      }
      default:
        return;
    }
  };
  walk(schema, path, 0);
  return [...found];
}

/** Exit codes of every command: CI branches on them. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, infrastructure: 3 } as const;

/** Input the user can fix: a bad flag or file. Exits 2 with the message alone. */
export class BadInputError extends Error {}

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new BadInputError(`${name}: expected a positive whole number like 40, got "${value}"`);
    return n;
  };
}

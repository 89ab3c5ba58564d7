import { closeSync, openSync, readSync } from "node:fs";

/**
 * True when an ELF executable has no program interpreter (PT_INTERP), i.e. it is statically
 * linked and runs in a FROM scratch image. Reads the header instead of relying on `file`.
 */
export function isStaticElf(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const header = Buffer.alloc(64);
    readSync(fd, header, 0, 64, 0);
    if (header.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file}: not an ELF executable`);
    if (header[4] !== 2 || header[5] !== 1) throw new Error(`${file}: not a 64-bit little-endian ELF executable`);
    const phoff = Number(header.readBigUInt64LE(32));
    const phentsize = header.readUInt16LE(54);
    const phnum = header.readUInt16LE(56);
    const table = Buffer.alloc(phentsize * phnum);
    readSync(fd, table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) {
      if (table.readUInt32LE(i * phentsize) === 3 /* PT_INTERP */) return false;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AcdcFolder } from '../acdc/types';

/** A patient folder on disk: lists its files and reads them whole or just their start. */
export function fsFolder(dir: string): AcdcFolder {
  return {
    name: dir,
    list: async () =>
      (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name),
    read: async (file, maxBytes) => {
      const path = join(dir, file);
      if (maxBytes === undefined) return new Uint8Array(await readFile(path));
      const handle = await open(path, 'r');
      try {
        const buffer = new Uint8Array(maxBytes);
        const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}

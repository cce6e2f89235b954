import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AcdcFolder } from '../acdc/types';

/** A patient folder on disk: lists its files and reads them whole or just their start. */
export function fsFolder(dir: string): AcdcFolder {
  return {
    name: dir,
    // stat follows symbolic links: a linked file counts as the file it points to
    list: async () => {
      const names = await readdir(dir);
      const isFile = await Promise.all(
        names.map((n) =>
          stat(join(dir, n)).then(
            (s) => s.isFile(),
            () => false,
          ),
        ),
      );
      return names.filter((_, i) => isFile[i]);
    },
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

// A static file server for the end-to-end test: the built page at `/`, and other folders under their prefixes.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.gz': 'application/gzip',
};

/**
 * Serves `mounts` (URL prefix → folder) on a free local port.
 *
 * @returns the base URL (`http://127.0.0.1:PORT/`) and `close()`.
 */
export async function serve(mounts) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const mount = Object.keys(mounts)
      .sort((a, b) => b.length - a.length)
      .find((prefix) => path.startsWith(prefix));
    const root = mount === undefined ? null : resolve(mounts[mount]);
    const rest = path.slice(mount?.length ?? 0);
    const file = root && resolve(root, `./${rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest}`);
    // Nothing outside the mounted folders, whatever `..` the URL holds.
    const info = file?.startsWith(root + sep) ? await stat(file).catch(() => null) : null;
    if (!info?.isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      // cross-origin isolated, as vite's dev server and preview serve the page: wasm gets threads
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((r) => server.close(r)),
  };
}

import { describe, expect, it } from 'vitest';
import { modelFileMap, readPickedFolder, readUrlFolder } from './model-source';

describe('readUrlFolder', () => {
  const served: Record<string, Response> = {};
  const fakeFetch = (async (url: URL) =>
    served[url.href] ?? new Response('no', { status: 404 })) as typeof fetch;

  it('reads files under the folder URL, adding its final slash', async () => {
    served['http://host/models/a/myoseg.json'] = new Response('{}', {
      headers: { 'content-type': 'application/json' },
    });
    const read = readUrlFolder('http://host/models/a', fakeFetch);
    expect(new TextDecoder().decode(await read('myoseg.json'))).toBe('{}');
  });

  it('reports a missing file, and an HTML fallback page, as code 404', async () => {
    served['http://host/spa/myoseg.json'] = new Response('<!doctype html>', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    await expect(readUrlFolder('http://host/none/', fakeFetch)('myoseg.json')).rejects.toMatchObject({
      code: '404',
    });
    await expect(readUrlFolder('http://host/spa/', fakeFetch)('myoseg.json')).rejects.toMatchObject({
      code: '404',
    });
  });
});

describe('readPickedFolder', () => {
  it('reads picked files by their paths inside the model folder, and reports others as ENOENT', async () => {
    const picked = [
      { path: 'run1/model/myoseg.json', file: new File(['{"a":1}'], 'myoseg.json') },
      { path: 'run1/model/localizer/weights.bin', file: new File([new Uint8Array([1, 2])], 'weights.bin') },
    ];
    const files = modelFileMap(picked, {
      root: 'run1/model/',
      files: ['myoseg.json', 'localizer/weights.bin'],
    });
    const read = readPickedFolder(files);
    expect(Array.from(await read('localizer/weights.bin'))).toEqual([1, 2]);
    await expect(read('segmenter/model.json')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

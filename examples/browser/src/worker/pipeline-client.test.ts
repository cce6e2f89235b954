import { describe, expect, it } from 'vitest';
import { PipelineClient } from './pipeline-client';
import type { WorkerReply, WorkerRequest } from './protocol';

/** A stand-in for the worker: answers each request with `answer(request)`'s replies, asynchronously. */
function fakeWorker(answer: (r: WorkerRequest) => WorkerReply[]) {
  const target = new EventTarget();
  const sent: { request: WorkerRequest; transfer: Transferable[] }[] = [];
  const worker = Object.assign(target, {
    postMessage(request: WorkerRequest, transfer: Transferable[] = []) {
      sent.push({ request, transfer });
      setTimeout(() => {
        for (const data of answer(request)) target.dispatchEvent(new MessageEvent('message', { data }));
      });
    },
  });
  return { worker: worker as unknown as Worker, sent };
}

const runtime = {
  runtime: 'wasm' as const,
  executionProviders: ['wasm'],
  precision: 'float32' as const,
  detail: 'one thread',
  skipped: [],
  summary: 'wasm (one thread)',
};

describe('PipelineClient', () => {
  it('loads with its runtime and threads, segments with progress, and copies the voxels it transfers', async () => {
    const { worker, sent } = fakeWorker((r) =>
      r.type === 'load'
        ? [{ type: 'loaded', id: r.id, model: 'tiny', runtime }]
        : [
            { type: 'progress', id: r.id, step: 'localize', done: 1, total: 2 },
            { type: 'progress', id: r.id, step: 'segment', done: 2, total: 2 },
            { type: 'segmented', id: r.id, mask: new Uint8Array(8), slices: [], ms: 3 },
          ],
    );
    const client = new PipelineClient(worker, { runtime: 'webgpu', threads: 2 });
    expect(await client.load({ url: 'https://x/m/' }, 'm')).toEqual({ where: 'm', model: 'tiny', runtime });
    expect(sent[0].request).toMatchObject({
      type: 'load',
      runtime: 'webgpu',
      threads: 2,
      precision: 'float32',
      where: 'm',
    });
    const data = new Float32Array(8).fill(1);
    const progress: string[] = [];
    const reply = await client.segment(data, [2, 2, 2], [8, 1, 1], [], (p) =>
      progress.push(`${p.step} ${p.done}/${p.total}`),
    );
    expect(reply.ms).toBe(3);
    expect(progress).toEqual(['localize 1/2', 'segment 2/2']);
    expect(data.length).toBe(8); // the caller's array was copied, not transferred
    expect(sent[1].transfer).toHaveLength(1);
  });

  it("rejects with the worker's message, and every pending request when the worker fails", async () => {
    const { worker } = fakeWorker((r) =>
      r.type === 'load' ? [{ type: 'failed', id: r.id, message: 'no model here' }] : [],
    );
    const client = new PipelineClient(worker);
    await expect(client.load({ url: 'https://x/' }, 'x')).rejects.toThrow('no model here');
    const pending = client.segment(new Float32Array(1), [1, 1, 1], [1, 1, 1], []);
    worker.dispatchEvent(Object.assign(new Event('error'), { message: 'boom' })); // an ErrorEvent (Node has none)
    await expect(pending).rejects.toThrow('the pipeline worker failed: boom');
  });
});

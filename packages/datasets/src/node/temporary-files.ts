import { rmSync } from 'node:fs';

// Process-wide by nature: a signal reaches the process, not one writer.
const pending = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function onSignal(signal: NodeJS.Signals): void {
  // Another listener handles this signal (train's Ctrl-C stops after the batch and saves): the writes go on.
  if (process.listenerCount(signal) > 1) return;
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
  for (const s of SIGNALS) process.off(s, onSignal);
  process.kill(process.pid, signal); // die of the signal, as without this listener
}

/**
 * Registers a temporary file or folder that an atomic write is filling: if the process gets SIGINT or SIGTERM
 * meanwhile, and nothing else listens for that signal, the path is removed before the process dies of the
 * signal, so Ctrl-C leaves no `*.tmp` behind. (`kill -9` cannot be caught; what it leaves is never taken for an
 * output: outputs appear only by rename.)
 *
 * @param path - the temporary file or folder.
 * @returns unregisters the path; call it once the path has been renamed or removed.
 */
export function removeOnSignal(path: string): () => void {
  if (pending.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  pending.add(path);
  return () => {
    if (!pending.delete(path) || pending.size > 0) return;
    for (const s of SIGNALS) process.off(s, onSignal);
  };
}

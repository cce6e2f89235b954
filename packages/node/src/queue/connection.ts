import { QueueUnavailableError } from '../errors';

/** Where a queue's Redis listens, as BullMQ's connection options take it (ioredis options). */
export interface RedisConnection {
  /** Host name or address. */
  host: string;
  /** TCP port. */
  port: number;
  /** Database index (`redis://host:port/2` → 2). */
  db: number;
  /** ACL user, when the URL gives one. */
  username?: string;
  /** Password, when the URL gives one. */
  password?: string;
  /** `null`: commands wait for a reconnection instead of failing (BullMQ requires it for workers). */
  maxRetriesPerRequest: null;
}

/**
 * Parses a Redis URL (`redis://[user:password@]host[:port][/db]`, default port 6379, db 0).
 *
 * @throws `QueueUnavailableError` naming `--redis` for anything else (`rediss://` TLS is not supported yet).
 */
export function redisConnection(url: string): RedisConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueUnavailableError(`--redis ${url}: expected a URL like redis://127.0.0.1:6379/0`);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (parsed.protocol !== 'redis:' || !parsed.hostname || !/^\d*$/.test(db))
    throw new QueueUnavailableError(`--redis ${url}: expected a URL like redis://127.0.0.1:6379/0`);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    db: db ? Number(db) : 0,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    maxRetriesPerRequest: null,
  };
}

/** `bullmq`, loaded when queue mode is used (an optional peer dependency). */
export async function loadBullmq(): Promise<typeof import('bullmq')> {
  try {
    return await import('bullmq');
  } catch (e) {
    throw new QueueUnavailableError(
      `queue mode needs bullmq (an optional peer dependency): npm i bullmq ioredis (${(e as Error).message.split('\n')[0]})`,
    );
  }
}

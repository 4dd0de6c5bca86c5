import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A name for this process among the instances sharing one database: the owner of every lease and
 * tick claim it takes. Host and pid say where it runs; the random tail tells a restart apart.
 */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

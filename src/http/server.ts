import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { realSchedule, type Schedule } from './schedule.js';

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish, then closes idle keep-alive sockets. */
  close(graceMs?: number): Promise<void>;
}

export interface ServerTimeouts {
  /** A request's headers must arrive whole within this (Node's headersTimeout). */
  headersTimeoutMs?: number;
  /**
   * A request's body must arrive whole within this (what Node's requestTimeout does), except an
   * upload its route has marked with `exemptFromRequestDeadline`: that one is watched for
   * silence instead, so an honest slow upload is never cut while its bytes still flow.
   */
  requestTimeoutMs?: number;
  schedule?: Schedule;
}

export const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

const exempt = new WeakSet<IncomingMessage>();
/** The route takes over this request's deadline (an upload with its own idle timeout). */
export const exemptFromRequestDeadline = (req: IncomingMessage) => void exempt.add(req);

export async function listen(
  app: Express,
  port: number,
  host = '0.0.0.0',
  timeouts: ServerTimeouts = {},
): Promise<RunningServer> {
  const server = createServer(app);
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = timeouts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  // Node's requestTimeout counts from the first byte to the last for every request, with no way to
  // spare one route: a 1 GiB upload on a slow line was cut at 300 s while it still flowed. The same
  // deadline is kept below for every other request.
  server.requestTimeout = 0;
  const schedule = timeouts.schedule ?? realSchedule;
  const requestTimeoutMs = timeouts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  server.on('request', (req: IncomingMessage, res) => {
    const cancel = schedule(() => {
      if (req.complete || exempt.has(req)) return;
      req.socket.destroy();
    }, requestTimeoutMs);
    // A body nobody reads is drained after the response: the deadline holds until it is all in
    // (or the connection goes).
    const socket = req.socket;
    res.once('close', () => (req.complete || socket.destroyed ? cancel() : socket.once('close', cancel)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close(graceMs = 5_000) {
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of the Discord emulator's REST API that can hold one request matching a
 * pattern: either before it reaches Discord ("never arrived") or after Discord answered ("landed,
 * and the bot has not heard yet"). Gateway traffic does not pass through it (GET /gateway/bot
 * names the emulator's own WebSocket URL).
 */
export interface HoldingProxy {
  readonly url: string;
  /** Holds the next `method` request whose path matches; `held` resolves once it is held. */
  hold(
    method: string,
    path: RegExp,
    when: 'before-upstream' | 'after-upstream',
  ): { held: Promise<void>; release(): void; drop(): void };
  close(): Promise<void>;
}

const body = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

export async function startHoldingProxy(upstreamApiUrl: string): Promise<HoldingProxy> {
  const upstream = new URL(upstreamApiUrl);
  type Hold = {
    method: string;
    path: RegExp;
    when: 'before-upstream' | 'after-upstream';
    onHeld: () => void;
    gate: Promise<'release' | 'drop'>;
  };
  const holds: Hold[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await body(req);
      const sub = (req.url ?? '').replace(/^\/api/, '');
      const index = holds.findIndex((h) => h.method === req.method && h.path.test(sub.split('?')[0]!));
      const hold = index >= 0 ? holds.splice(index, 1)[0] : undefined;
      if (hold?.when === 'before-upstream') {
        hold.onHeld();
        if ((await hold.gate) === 'drop') return req.socket.destroy();
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
      const answer = await fetch(`${upstream.origin}${req.url}`, {
        method: req.method,
        headers,
        body: raw.length ? raw : undefined,
      });
      const bytes = Buffer.from(await answer.arrayBuffer());
      if (hold?.when === 'after-upstream') {
        hold.onHeld();
        if ((await hold.gate) === 'drop') return req.socket.destroy();
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length'].includes(k)) out[k] = v;
      });
      res.writeHead(answer.status, out).end(bytes);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    hold(method, path, when) {
      let onHeld!: () => void;
      const held = new Promise<void>((r) => (onHeld = r));
      let settle!: (v: 'release' | 'drop') => void;
      const gate = new Promise<'release' | 'drop'>((r) => (settle = r));
      holds.push({ method, path, when, onHeld, gate });
      return { held, release: () => settle('release'), drop: () => settle('drop') };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

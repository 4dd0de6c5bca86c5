import type { NextFunction, Request, Response } from 'express';
import type { AccountsState } from './accounts.js';
import type { EmulatorControl, RequestRecord } from './state.js';

/** Endpoints a development-mode app can no longer call (PLATFORM.md): they answer 403. */
export const REMOVED: Array<{ method?: string; path: RegExp; query?: string }> = [
  { path: /^\/recommendations/ },
  { path: /^\/audio-features/ },
  { path: /^\/audio-analysis/ },
  { path: /^\/artists\/[^/]+\/related-artists/ },
  { path: /^\/artists\/[^/]+\/top-tracks/ },
  { path: /^\/browse\// },
  { path: /^\/markets/ },
  { method: 'GET', path: /^\/(artists|tracks|albums|episodes|shows|audiobooks)\/?$/, query: 'ids' },
  { method: 'POST', path: /^\/users\/[^/]+\/playlists/ },
  { path: /^\/users\/[^/]+/ },
  { path: /^\/playlists\/[^/]+\/tracks/ },
  { method: 'PUT', path: /^\/me\/(tracks|following|albums|episodes|shows)/ },
  { method: 'DELETE', path: /^\/me\/(tracks|following|albums|episodes|shows)/ },
];

export const apiError = (res: Response, status: number, message: string, extra: Record<string, unknown> = {}) =>
  res.status(status).json({ error: { status, message, ...extra } });

export interface ApiLocals {
  userId: string;
  /** The scopes the access token was granted, space-separated as the token endpoint returns them. */
  scope: string;
}

/** Logging, latency, faults, auth, allowlist, quota, rate limit — in the order Spotify applies them. */
export function apiGuards(control: EmulatorControl, accounts: AccountsState, log: RequestRecord[]) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const record: RequestRecord = { method: req.method, path: req.path, status: 0, at: control.now() };
    log.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    res.on('close', () => record.status || (record.status = -1));

    const fault = control.faults.find(
      (f) =>
        (!f.method || f.method === req.method) &&
        (typeof f.path === 'string' ? req.path.startsWith(f.path) : f.path.test(req.path)) &&
        (f.times ?? 1) > 0,
    );
    if (fault && fault.times !== undefined) fault.times--;
    const delay = (fault?.latencyMs ?? 0) + control.latencyMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (fault?.gate && !fault.lands) await fault.gate;
    if (fault?.reset) return req.socket.destroy();
    if (fault?.status && !fault.lands) {
      if (fault.retryAfterSec !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSec));
      return fault.body !== undefined
        ? res.status(fault.status).json(fault.body)
        : apiError(res, fault.status, 'Injected fault');
    }

    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const access = bearer ? accounts.access.get(bearer) : undefined;
    if (!access) return apiError(res, 401, bearer ? 'Invalid access token' : 'No token provided');
    if (access.expiresAt <= control.now()) return apiError(res, 401, 'The access token expired');
    record.userId = access.userId;
    if (!control.allowlist.has(access.userId))
      return apiError(res, 403, 'User not registered in the Developer Dashboard');

    if (control.quota.used >= control.quota.limit) {
      res.setHeader('Retry-After', String(control.quota.retryAfterSec));
      return apiError(res, 429, 'Too many requests', { reason: 'QUOTA_EXCEEDED' });
    }
    control.quota.used++;
    if (control.rateLimit.count > 0) {
      control.rateLimit.count--;
      res.setHeader('Retry-After', String(control.rateLimit.retryAfterSec));
      return apiError(res, 429, 'API rate limit exceeded');
    }

    const removed = REMOVED.find(
      (r) =>
        (!r.method || r.method === req.method) &&
        r.path.test(req.path) &&
        (!r.query || req.query[r.query] !== undefined),
    );
    if (removed) return apiError(res, 403, 'Forbidden');
    if (fault?.lands) {
      const { status, gate } = fault;
      const json = res.json.bind(res);
      // The route applies the write at once; only its answer is held (gate) or replaced (status).
      res.json = (body: unknown) => {
        void Promise.resolve(gate).then(() => {
          if (status === undefined) return json(body);
          if (fault.retryAfterSec !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSec));
          res.status(status);
          return json(fault.body ?? { error: { status, message: 'Injected fault after the write landed' } });
        });
        return res;
      };
    }
    (res.locals as ApiLocals).userId = access.userId;
    (res.locals as ApiLocals).scope = access.scope;
    next();
  };
}

/** Parses limit/offset against Spotify's caps; answers 400 itself when they are out of range. */
export function paging(
  req: Request,
  res: Response,
  maxLimit: number,
  defaultLimit = 20,
  maxOffset = 100_000,
): { limit: number; offset: number } | undefined {
  const limit = req.query.limit === undefined ? defaultLimit : Number(req.query.limit);
  const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    apiError(res, 400, 'Invalid limit');
    return undefined;
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > maxOffset) {
    apiError(res, 400, 'Invalid offset');
    return undefined;
  }
  return { limit, offset };
}

export function page<T>(req: Request, base: string, all: T[], limit: number, offset: number) {
  const url = (o: number) => `${base}${req.path}?offset=${o}&limit=${limit}`;
  return {
    href: url(offset),
    items: all.slice(offset, offset + limit),
    limit,
    offset,
    total: all.length,
    next: offset + limit < all.length ? url(offset + limit) : null,
    previous: offset > 0 ? url(Math.max(0, offset - limit)) : null,
  };
}

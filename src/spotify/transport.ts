import {
  NotAllowlistedError,
  QuotaExceededError,
  RateLimitedError,
  SpotifyForbiddenError,
  SpotifyUnavailableError,
} from '../core/errors.js';
import type { Logger } from '../log.js';
import type { QuotaBreaker } from './breaker.js';
import type { RequestBudget } from './budget.js';
import { AccessTokenRejected, ScopeMissingError, SpotifyApiError } from './errors.js';
import { endpointTemplate, type GatewayMetrics } from './metrics.js';
import type { Pacer } from './pacer.js';
import { backoffMs, retryAfterMs, retryPolicy } from './retryPolicy.js';
import type { Priority } from './types.js';

export interface TransportDeps {
  apiUrl: string;
  fetch: typeof fetch;
  now: () => number;
  pacer: Pacer;
  breaker: QuotaBreaker;
  budget: RequestBudget;
  metrics: GatewayMetrics;
  log: Logger;
  /** Overrides REQUEST_TIMEOUT_MS (tests use a hanging server and a short timeout). */
  requestTimeoutMs?: Partial<Record<Priority, number>>;
  /** Waits between retries (the backoff); a real timer by default, tests record the delays instead. */
  sleep?: (ms: number) => Promise<void>;
  /** The backoff's jitter, in [0, 1); Math.random by default. */
  random?: () => number;
}

/**
 * How long one API request may take, answer included, counted from when the pacer lets it go.
 * A member waits on interactive requests, so they give up soon and the member hears "try again";
 * background and warming work (sorts, genre warm-up) can afford a slow Spotify. A timed-out
 * request is a network error: idempotent ones are retried, writes are not.
 */
export const REQUEST_TIMEOUT_MS: Readonly<Record<Priority, number>> = {
  interactive: 8_000,
  background: 30_000,
  warming: 30_000,
};

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the API base, with its query string. */
  path: string;
  body?: unknown;
  accessToken: string;
  priority: Priority;
  /** Whose queue the request waits in at the pacer (an opaque key for the member). */
  member?: string;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function readBody(res: Response): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch {
    // The request's timeout fired (or the connection dropped) while the answer was arriving.
    throw new SpotifyUnavailableError(res.status);
  }
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const messageOf = (body: unknown) => (body as { error?: { message?: string } } | undefined)?.error?.message ?? '';
const reasonOf = (body: unknown) => (body as { error?: { reason?: string } } | undefined)?.error?.reason;

/**
 * Sends one API request through the process-wide policy: the quota breaker, the daily budget,
 * pacing, Retry-After, retries for idempotent requests, and errors mapped to what the member
 * can do about them.
 */
export async function send<T>(deps: TransportDeps, request: ApiRequest): Promise<T> {
  const endpoint = endpointTemplate(request.method, request.path);
  const idempotent = retryPolicy.idempotentMethods.includes(request.method);
  const maxWait =
    request.priority === 'interactive' ? retryPolicy.maxInteractiveWaitMs : retryPolicy.maxBackgroundWaitMs;
  const timeoutMs = deps.requestTimeoutMs?.[request.priority] ?? REQUEST_TIMEOUT_MS[request.priority];
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;

  for (let attempt = 0; ; attempt++) {
    try {
      await deps.breaker.check();
    } catch (error) {
      deps.metrics.breakerRejections++;
      throw error;
    }
    const pausedFor = deps.pacer.pausedUntilTime - deps.now();
    if (pausedFor > maxWait) throw new RateLimitedError(deps.pacer.pausedUntilTime);
    await deps.budget.spend(request.priority);

    let res: Response;
    try {
      res = await deps.pacer.run(
        () =>
          deps.fetch(`${deps.apiUrl}${request.path}`, {
            method: request.method,
            headers: {
              authorization: `Bearer ${request.accessToken}`,
              ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: request.body === undefined ? undefined : JSON.stringify(request.body),
            signal: AbortSignal.timeout(timeoutMs),
          }),
        { member: request.member ?? '', priority: request.priority },
      );
    } catch (error) {
      deps.metrics.request(endpoint, 'network');
      if (idempotent && attempt < retryPolicy.maxRetries) {
        deps.metrics.retry(endpoint);
        await sleep(backoffMs(attempt, retryPolicy, random));
        continue;
      }
      deps.log.warn({ endpoint, err: (error as Error).message }, 'Spotify unreachable');
      throw new SpotifyUnavailableError();
    } finally {
      void deps.budget.persist().catch(() => {});
    }
    deps.metrics.request(endpoint, res.status);
    if (res.status === 204) return undefined as T;
    if (res.ok) return (await readBody(res)) as T;

    const body = await readBody(res);
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers.get('retry-after'), deps.now()) ?? 1_000;
      if (reasonOf(body) === 'QUOTA_EXCEEDED') {
        const until = deps.now() + wait;
        await deps.breaker.trip(until);
        deps.log.warn(
          { resumesAt: new Date(until).toISOString() },
          'Spotify quota exhausted: all Spotify traffic stopped',
        );
        throw new QuotaExceededError(until);
      }
      deps.pacer.pauseUntil(deps.now() + wait);
      if (wait > maxWait || attempt >= retryPolicy.maxRetries) throw new RateLimitedError(deps.now() + wait);
      deps.metrics.retry(endpoint);
      continue; // the pacer holds this and every other request until Retry-After has passed
    }
    if (retryPolicy.retryStatuses.includes(res.status)) {
      if (idempotent && attempt < retryPolicy.maxRetries) {
        deps.metrics.retry(endpoint);
        await sleep(backoffMs(attempt, retryPolicy, random));
        continue;
      }
      throw new SpotifyUnavailableError(res.status);
    }
    if (
      (res.status === 401 && /permissions missing/i.test(messageOf(body))) ||
      (res.status === 403 && /insufficient client scope/i.test(messageOf(body)))
    )
      throw new ScopeMissingError(endpoint);
    if (res.status === 401) throw new AccessTokenRejected(messageOf(body));
    if (res.status === 403 && /not registered/i.test(messageOf(body))) throw new NotAllowlistedError();
    if (res.status === 403) throw new SpotifyForbiddenError(endpoint);
    throw new SpotifyApiError(res.status, body, endpoint);
  }
}

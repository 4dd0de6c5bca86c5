/**
 * When the gateway retries, as plain data. 429 means Spotify did not process the request, so any
 * method may be retried after Retry-After; 5xx and network errors are retried only for
 * idempotent methods, because a write that failed that way may have landed anyway.
 */
export const retryPolicy = {
  idempotentMethods: ['GET', 'HEAD'] as readonly string[],
  retryStatuses: [500, 502, 503, 504] as readonly number[],
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  /** Interactive work never sleeps longer than this on Spotify; it fails fast instead. */
  maxInteractiveWaitMs: 2_000,
  /** Background work waits out rate limits up to this long per request. */
  maxBackgroundWaitMs: 60_000,
} as const;

export type RetryPolicy = typeof retryPolicy;

/**
 * Capped exponential backoff with equal jitter: half the cap plus a random part of the other half.
 * The jitter spreads the processes' retries apart; the fixed half keeps any retry from coming back
 * at once to a Spotify that just failed.
 */
export function backoffMs(attempt: number, policy: RetryPolicy = retryPolicy, random = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Retry-After in seconds (Spotify's form) or an HTTP date, as milliseconds from now. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

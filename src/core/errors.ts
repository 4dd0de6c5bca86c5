/**
 * An expected failure the user can act on. `id` selects the message in the one table that turns
 * identifiers into words (src/discord/userErrorMessages.ts); `context` carries the details that
 * message needs (a time, a playlist name). Anything that is not a UserError is a bug: it is logged
 * with a reference id and the user only sees that id.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(
    readonly id: string,
    readonly context: Readonly<Record<string, unknown>> = {},
    message?: string,
  ) {
    super(message ?? id);
  }
}

/** Spotify said the refresh token is dead (400 invalid_grant): the member must link again. */
export class RelinkNeededError extends UserError {
  override readonly name = 'RelinkNeededError';
  constructor(readonly discordUserId?: string) {
    super('spotify.relinkNeeded', { discordUserId });
  }
}

/** The development-mode daily quota is spent; nothing goes to Spotify until `resumesAt` (epoch ms). */
export class QuotaExceededError extends UserError {
  override readonly name = 'QuotaExceededError';
  constructor(readonly resumesAt: number) {
    super('spotify.quotaExceeded', { resumesAt });
  }
}

/** Spotify asked us to slow down for longer than interactive work may wait. */
export class RateLimitedError extends UserError {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAt: number) {
    super('spotify.rateLimited', { retryAt });
  }
}

/** Today's request budget for this priority is used up; background work waits for the window to roll. */
export class BudgetExhaustedError extends UserError {
  override readonly name = 'BudgetExhaustedError';
  constructor(
    readonly priority: string,
    readonly availableAt: number,
  ) {
    super('spotify.budgetExhausted', { priority, availableAt });
  }
}

/** Spotify is failing (5xx or unreachable) after the retries the policy allows. */
export class SpotifyUnavailableError extends UserError {
  override readonly name = 'SpotifyUnavailableError';
  constructor(readonly status?: number) {
    super('spotify.unavailable', { status });
  }
}

/** 403 "User not registered in the Developer Dashboard": the account is not on the app's allowlist. */
export class NotAllowlistedError extends UserError {
  override readonly name = 'NotAllowlistedError';
  constructor() {
    super('spotify.notAllowlisted');
  }
}

/** 403 on a resource the member may not read (a playlist they neither own nor collaborate on). */
export class SpotifyForbiddenError extends UserError {
  override readonly name = 'SpotifyForbiddenError';
  constructor(readonly resource: string) {
    super('spotify.forbidden', { resource });
  }
}

/** The member has not linked Spotify yet (or unlinked). */
export class NotLinkedError extends UserError {
  override readonly name = 'NotLinkedError';
  /** `spotifyPlacesLeft`: how many more members may link Spotify, when the thrower knows (for the hint). */
  constructor(context: { spotifyPlacesLeft?: number } = {}) {
    super('account.notLinked', context);
  }
}

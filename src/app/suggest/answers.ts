import { UserError } from '../../core/errors.js';
import type { AnswerDeps, SuggestAnswer, SuggestRequest, SuggestResult, Suggestion } from './ports.js';

export type {
  AnswerDeps,
  LeasePort,
  MemberPlaylists,
  PlaylistsFor,
  SuggestAnswer,
  SuggestAnswerRepository,
} from './ports.js';

/** How long the buttons of an answer keep working. */
export const ANSWER_LIFETIME_MS = 24 * 3_600_000;
const SAVE_LEASE_MS = 120_000;

/** /suggest: asks the engine and keeps the answer for its buttons (an empty answer has none). */
export async function suggestForMember(
  deps: AnswerDeps,
  request: SuggestRequest,
): Promise<{ result: SuggestResult; answer?: SuggestAnswer }> {
  const result = await deps.service.suggest(request);
  // Old answers go on the way: no job needed for a table only /suggest writes.
  await deps.answers.prune(request.now - ANSWER_LIFETIME_MS);
  if (!result.suggestions.length) return { result };
  const answer: SuggestAnswer = {
    id: deps.newId(),
    memberId: request.memberId,
    ...(request.guildId ? { guildId: request.guildId } : {}),
    createdAt: request.now,
    suggestions: result.suggestions,
    liked: [],
    dismissed: [],
  };
  await deps.answers.create(answer);
  return { result, answer };
}

/**
 * The answer if it is this member's. A component id can be forged with any answer id, so every
 * click goes through here before anything else happens or anything of the answer is shown; someone
 * else's answer reads as gone (whether it exists is not told either).
 */
export async function ownAnswer(
  deps: Pick<AnswerDeps, 'answers'>,
  answerId: string,
  memberId: string,
): Promise<SuggestAnswer> {
  const answer = await deps.answers.get(answerId);
  if (!answer || answer.memberId !== memberId) throw new UserError('suggest.answerGone');
  return answer;
}

/** Whether a member may be named in a server now (opted in there, and still a member). */
export type StillVisible = (guildId: string, memberId: string) => Promise<boolean>;

/**
 * The answer as it may be drawn now. Reasons were stored when it was made and the buttons work for
 * a day: a member named in a reason who has since opted out here or left is dropped from it, and
 * the play count (which included their plays) is withheld (`plays: 0`; the engine never gives a
 * server reason with no plays). A reason left with no one to name is worded without names.
 */
export async function visibleNow(answer: SuggestAnswer, stillVisible: StillVisible): Promise<SuggestAnswer> {
  const cited = [
    ...new Set(
      answer.suggestions.flatMap((s) =>
        s.reason.source === 'server' ? s.reason.listeners.map((l) => l.memberId) : [],
      ),
    ),
  ];
  if (!cited.length) return answer;
  const { guildId } = answer;
  const checked = guildId ? await Promise.all(cited.map((id) => stillVisible(guildId, id))) : [];
  const visible = new Set(cited.filter((_, i) => checked[i] === true));
  if (visible.size === cited.length) return answer;
  return {
    ...answer,
    suggestions: answer.suggestions.map((s) => {
      if (s.reason.source !== 'server') return s;
      const listeners = s.reason.listeners.filter((l) => visible.has(l.memberId));
      return listeners.length === s.reason.listeners.length
        ? s
        : { ...s, reason: { ...s.reason, listeners, plays: 0 } };
    }),
  };
}

/** The artist a 👎 is about: the suggestion's main (first credited) artist. */
export const mainArtist = (s: Suggestion) => s.artists[0];

/** Positions whose main artist the member dismissed, from this answer's 👎s. */
export function dismissedPositions(answer: SuggestAnswer): Set<number> {
  const artists = new Set(answer.dismissed.map((i) => mainArtist(answer.suggestions[i]!)?.id));
  return new Set(answer.suggestions.flatMap((s, i) => (artists.has(mainArtist(s)?.id) ? [i] : [])));
}

/** 👎: each chosen suggestion's artist is never suggested to the member again. */
export async function dismissSuggestions(
  deps: Pick<AnswerDeps, 'answers' | 'service'>,
  answerId: string,
  memberId: string,
  positions: readonly number[],
): Promise<SuggestAnswer> {
  const answer = await ownAnswer(deps, answerId, memberId);
  const valid = positions.filter((i) => answer.suggestions[i]);
  for (const artistId of new Set(valid.map((i) => mainArtist(answer.suggestions[i]!)?.id)))
    if (artistId) await deps.service.feedback.dismissArtist(memberId, artistId);
  return (await deps.answers.mark(answerId, 'dismissed', valid)) ?? answer;
}

/** 👍: the source that produced each chosen suggestion weighs more for this member (once per suggestion). */
export async function likeSuggestions(
  deps: Pick<AnswerDeps, 'answers' | 'service'>,
  answerId: string,
  memberId: string,
  positions: readonly number[],
): Promise<SuggestAnswer> {
  const answer = await ownAnswer(deps, answerId, memberId);
  const fresh = [...new Set(positions)].filter((i) => answer.suggestions[i] && !answer.liked.includes(i));
  for (const i of fresh) await deps.service.feedback.like(memberId, answer.suggestions[i]!.reason.source);
  return (await deps.answers.mark(answerId, 'liked', fresh)) ?? answer;
}

/** The mark a saved playlist carries in its description, so a save that stopped midway finds it again. */
export const saveMarker = (answerId: string) => `ref ${answerId}`;

export type SaveOutcome =
  { kind: 'saved'; playlistId: string; tracks: number } | { kind: 'already'; playlistId: string } | { kind: 'busy' };

/**
 * "Save as playlist": ONE private playlist per answer, whatever the clicks. A lease lets one click
 * work at a time; the playlist id is recorded the moment Spotify returns it, so a retry after a
 * failure fills that playlist instead of creating another; a try that stopped between Spotify
 * creating the playlist and Encore recording it is found again by the mark in its description.
 * Tracks whose artist the member dismissed are left out.
 */
export async function saveAnswer(
  deps: Pick<AnswerDeps, 'answers' | 'playlists' | 'leases' | 'newId'>,
  answerId: string,
  memberId: string,
  now: number,
  naming: { name: string; description: string },
): Promise<SaveOutcome> {
  // Ownership first: a forged click must not learn, even from "busy", anything about another's answer.
  await ownAnswer(deps, answerId, memberId);
  const attempt = deps.newId();
  if (!(await deps.leases.acquire('suggest-save', answerId, attempt, SAVE_LEASE_MS, now))) return { kind: 'busy' };
  try {
    // Read again under the lease: another click may have saved it meanwhile.
    const answer = await ownAnswer(deps, answerId, memberId);
    if (answer.savedAt && answer.playlistId) return { kind: 'already', playlistId: answer.playlistId };
    const hidden = dismissedPositions(answer);
    const uris = answer.suggestions.filter((_, i) => !hidden.has(i)).map((s) => s.uri);
    const spotify = await deps.playlists(memberId, 'interactive');
    let playlistId = answer.playlistId;
    if (!playlistId && answer.saveStartedAt) playlistId = await spotify.findByMarker(saveMarker(answerId));
    if (playlistId && (await spotify.replace(playlistId, uris)) === 'gone') playlistId = undefined;
    if (!playlistId) {
      await deps.answers.saveStarted(answerId, now);
      playlistId = await spotify.create(naming.name, `${naming.description} · ${saveMarker(answerId)}`);
      await deps.answers.savePlaylist(answerId, playlistId);
      await spotify.replace(playlistId, uris);
    } else await deps.answers.savePlaylist(answerId, playlistId);
    await deps.answers.saveFinished(answerId, now);
    return { kind: 'saved', playlistId, tracks: uris.length };
  } finally {
    await deps.leases.release('suggest-save', answerId, attempt);
  }
}

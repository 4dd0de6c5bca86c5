import { URIS_PER_WRITE } from './requestEstimate.js';
import type { PlannedPlaylist } from './analysePlaylist.js';

/**
 * A resumable split job as plain, JSON-serialisable data. The runner loops:
 * step = nextSplitStep(state); state = startStep(state, step); persist; call Spotify;
 * state = finishStep(state, step, result); persist. A crash between start and finish leaves the
 * step in `inFlight`, and nextSplitStep then asks the runner to check what Spotify actually did
 * instead of repeating a write: that is how a restart creates no duplicate playlists or tracks.
 */
export interface SplitJobState {
  readonly version: 1;
  readonly jobId: string;
  readonly sourcePlaylistId: string;
  readonly targets: readonly SplitTarget[];
  readonly inFlight?: SplitStep;
  readonly finishedAt?: number;
}

export interface SplitTarget {
  readonly key: string;
  readonly playlistName: string;
  readonly trackUris: readonly string[];
  /** Set once the playlist exists on Spotify. */
  readonly playlistId?: string;
  /** How many of trackUris are in the playlist, always a prefix. */
  readonly added: number;
}

export type SplitStep =
  /** POST /me/playlists. After a crash (`recover`), first look for a playlist of ours with this name. */
  | { readonly kind: 'create-playlist'; readonly key: string; readonly playlistName: string; readonly recover: boolean }
  /** POST /playlists/{id}/items with these URIs (≤ 100), appended at the end. */
  | { readonly kind: 'add-tracks'; readonly key: string; readonly playlistId: string; readonly offset: number; readonly uris: readonly string[] }
  /** An add may or may not have landed before a crash: read the playlist's item total. */
  | { readonly kind: 'count-tracks'; readonly key: string; readonly playlistId: string }
  | { readonly kind: 'done' };

export type SplitStepResult =
  | { readonly kind: 'create-playlist'; readonly playlistId: string }
  | { readonly kind: 'add-tracks' }
  | { readonly kind: 'count-tracks'; readonly total: number };

/** A new job from the preview's planned playlists. */
export function startSplitJob(jobId: string, sourcePlaylistId: string, playlists: readonly PlannedPlaylist[]): SplitJobState {
  return {
    version: 1,
    jobId,
    sourcePlaylistId,
    targets: playlists.map((p) => ({ key: p.key, playlistName: p.playlistName, trackUris: [...p.trackUris], added: 0 })),
  };
}

/** What the runner should do next; creates every playlist of a genre before filling it, in plan order. */
export function nextSplitStep(state: SplitJobState): SplitStep {
  const interrupted = state.inFlight;
  if (interrupted?.kind === 'create-playlist') return { ...interrupted, recover: true };
  if (interrupted?.kind === 'add-tracks') return { kind: 'count-tracks', key: interrupted.key, playlistId: interrupted.playlistId };
  if (interrupted?.kind === 'count-tracks') return interrupted;
  for (const target of state.targets) {
    if (target.playlistId === undefined) return { kind: 'create-playlist', key: target.key, playlistName: target.playlistName, recover: false };
    if (target.added < target.trackUris.length) {
      return {
        kind: 'add-tracks',
        key: target.key,
        playlistId: target.playlistId,
        offset: target.added,
        uris: target.trackUris.slice(target.added, target.added + URIS_PER_WRITE),
      };
    }
  }
  return { kind: 'done' };
}

/** Marks a step as under way; persist this before making the call. */
export function startStep(state: SplitJobState, step: SplitStep): SplitJobState {
  return step.kind === 'done' ? state : { ...state, inFlight: step };
}

function updateTarget(state: SplitJobState, key: string, change: (t: SplitTarget) => SplitTarget): SplitJobState {
  const { inFlight: _done, ...rest } = state;
  return { ...rest, targets: state.targets.map((t) => (t.key === key ? change(t) : t)) };
}

/** Records what Spotify answered; persist this right after the call. */
export function finishStep(state: SplitJobState, step: SplitStep, result: SplitStepResult | undefined, now: number): SplitJobState {
  if (step.kind === 'done') return state.finishedAt ? state : { ...state, finishedAt: now };
  if (step.kind === 'create-playlist' && result?.kind === 'create-playlist')
    return updateTarget(state, step.key, (t) => ({ ...t, playlistId: result.playlistId }));
  if (step.kind === 'add-tracks') return updateTarget(state, step.key, (t) => ({ ...t, added: step.offset + step.uris.length }));
  if (step.kind === 'count-tracks' && result?.kind === 'count-tracks')
    return updateTarget(state, step.key, (t) => ({ ...t, added: Math.min(t.trackUris.length, Math.max(0, result.total)) }));
  throw new TypeError(`result ${result?.kind ?? 'undefined'} does not answer step ${step.kind}`);
}

/** Progress for the reply: playlists created and tracks written so far. */
export function splitProgress(state: SplitJobState): { playlistsCreated: number; playlists: number; tracksAdded: number; tracks: number } {
  let playlistsCreated = 0, tracksAdded = 0, tracks = 0;
  for (const t of state.targets) {
    if (t.playlistId !== undefined) playlistsCreated++;
    tracksAdded += t.added;
    tracks += t.trackUris.length;
  }
  return { playlistsCreated, playlists: state.targets.length, tracksAdded, tracks };
}

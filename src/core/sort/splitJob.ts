import { URIS_PER_WRITE } from './requestEstimate.js';
import type { PlannedPlaylist } from './analysePlaylist.js';

/**
 * A resumable split job as plain, JSON-serialisable data. The runner loops:
 * steps = nextSplitSteps(state, busy); for each: state = startStep(state, step); persist; call
 * Spotify; state = finishStep(state, step, result); persist. A step persisted as started but not
 * finished (a crash, a lost database) is "interrupted": nextSplitSteps then asks the runner to
 * check what Spotify actually did instead of repeating a write. That is how a restart creates no
 * duplicate playlists or tracks. Writes to different playlists may run side by side (creates too:
 * a runner doing one step at a time creates them in plan order); order only matters within one
 * playlist.
 */
export interface SplitJobState {
  readonly version: 2;
  readonly jobId: string;
  readonly sourcePlaylistId: string;
  readonly targets: readonly SplitTarget[];
  /** Whether playlists an earlier sort of the same source made were looked for (and adopted). */
  readonly checkedEarlier?: boolean;
  /** Steps persisted as started and not yet finished. */
  readonly inFlight: readonly SplitStep[];
  readonly finishedAt?: number;
}

export interface SplitTarget {
  readonly key: string;
  readonly playlistName: string;
  /** What this job still has to put in the playlist, in order. */
  readonly trackUris: readonly string[];
  /** Set once the playlist exists on Spotify. */
  readonly playlistId?: string;
  /** How many of trackUris are in the playlist, always a prefix. */
  readonly added: number;
  /** Tracks an earlier sort of the same source had already put in an adopted playlist. */
  readonly alreadyThere?: number;
  /** Items an adopted playlist held before this job added to it. */
  readonly baseline?: number;
}

/** The key of the one step that looks at the member's playlists before anything is created. */
export const EARLIER_CHECK_KEY = '*';

export type SplitStep =
  /**
   * Reads the member's playlists for ones an earlier sort of the same source made (by name and the
   * source marker in their description) and what they hold, so a second run never makes a second
   * copy. Also how a create that may have landed before a crash is found again.
   */
  | { readonly kind: 'find-earlier'; readonly key: string; readonly names: readonly string[] }
  /** POST /me/playlists. */
  | { readonly kind: 'create-playlist'; readonly key: string; readonly playlistName: string }
  /** POST /playlists/{id}/items with these URIs (≤ 100), appended at the end. */
  | {
      readonly kind: 'add-tracks';
      readonly key: string;
      readonly playlistId: string;
      readonly offset: number;
      readonly uris: readonly string[];
    }
  /** An add may or may not have landed before a crash: read the playlist's item total. */
  | { readonly kind: 'count-tracks'; readonly key: string; readonly playlistId: string };

export interface EarlierPlaylist {
  readonly name: string;
  readonly playlistId: string;
  readonly uris: readonly string[];
}

export type SplitStepResult =
  | { readonly kind: 'find-earlier'; readonly found: readonly EarlierPlaylist[] }
  | { readonly kind: 'create-playlist'; readonly playlistId: string }
  | { readonly kind: 'add-tracks' }
  | { readonly kind: 'count-tracks'; readonly total: number };

/** A new job from the preview's planned playlists. */
export function startSplitJob(
  jobId: string,
  sourcePlaylistId: string,
  playlists: readonly PlannedPlaylist[],
): SplitJobState {
  return {
    version: 2,
    jobId,
    sourcePlaylistId,
    targets: playlists.map((p) => ({
      key: p.key,
      playlistName: p.playlistName,
      trackUris: [...p.trackUris],
      added: 0,
    })),
    inFlight: [],
  };
}

/**
 * The member never sorted this source before, so no earlier run can have left playlists to adopt:
 * the job goes straight to its creates. Only for a job that has not started looking.
 */
export function skipEarlierCheck(state: SplitJobState): SplitJobState {
  return state.checkedEarlier || state.inFlight.length > 0 ? state : { ...state, checkedEarlier: true };
}

/** Reads a job stored by any release: version 1 kept at most one step in flight. */
export function upgradeSplitJob(
  state: SplitJobState | (Omit<SplitJobState, 'version' | 'inFlight'> & { version: 1; inFlight?: unknown }),
): SplitJobState {
  if (state.version === 2) return state;
  const legacy = state.inFlight as { kind: string; key: string; playlistName: string } | undefined;
  const inFlight: SplitStep[] = !legacy
    ? []
    : legacy.kind === 'create-playlist'
      ? [{ kind: 'create-playlist', key: legacy.key, playlistName: legacy.playlistName }]
      : [legacy as SplitStep];
  return { ...state, version: 2, checkedEarlier: true, inFlight };
}

/** The step that finds out what an interrupted step did. */
function recoveryFor(step: SplitStep): SplitStep {
  switch (step.kind) {
    case 'find-earlier':
    case 'count-tracks':
      return step;
    case 'create-playlist':
      return { kind: 'find-earlier', key: step.key, names: [step.playlistName] };
    case 'add-tracks':
      return { kind: 'count-tracks', key: step.key, playlistId: step.playlistId };
  }
}

/**
 * Up to `max` steps that may run now, beside the ones whose keys are `busy` (running in this
 * runner). Steps in flight that are not busy were interrupted: their recovery comes first.
 * An empty list with nothing busy means the job is done.
 */
export function nextSplitSteps(state: SplitJobState, busy: ReadonlySet<string> = new Set(), max = 1): SplitStep[] {
  const steps: SplitStep[] = [];
  const taken = new Set(busy);
  const room = () => steps.length < max && !taken.has(EARLIER_CHECK_KEY);
  for (const interrupted of state.inFlight) {
    if (!room() || taken.has(interrupted.key)) continue;
    steps.push(recoveryFor(interrupted));
    taken.add(interrupted.key);
  }
  if (steps.length || taken.has(EARLIER_CHECK_KEY)) return steps;
  if (!state.checkedEarlier) {
    return taken.size
      ? []
      : [{ kind: 'find-earlier', key: EARLIER_CHECK_KEY, names: state.targets.map((t) => t.playlistName) }];
  }
  for (const target of state.targets) {
    if (!room()) break;
    if (taken.has(target.key)) continue;
    if (target.playlistId === undefined) {
      steps.push({ kind: 'create-playlist', key: target.key, playlistName: target.playlistName });
      taken.add(target.key);
    } else if (target.added < target.trackUris.length) {
      const uris = target.trackUris.slice(target.added, target.added + URIS_PER_WRITE);
      steps.push({ kind: 'add-tracks', key: target.key, playlistId: target.playlistId, offset: target.added, uris });
      taken.add(target.key);
    }
  }
  return steps;
}

/** The next step on its own, for a runner that does one thing at a time; undefined when done. */
export function nextSplitStep(state: SplitJobState): SplitStep | undefined {
  return nextSplitSteps(state)[0];
}

/** Marks a step as under way; persist this before making the call. */
export function startStep(state: SplitJobState, step: SplitStep): SplitJobState {
  return { ...state, inFlight: [...state.inFlight.filter((s) => s.key !== step.key), step] };
}

function settle(state: SplitJobState, key: string, change: (t: SplitTarget) => SplitTarget = (t) => t): SplitJobState {
  return {
    ...state,
    inFlight: state.inFlight.filter((s) => s.key !== key),
    targets: state.targets.map((t) => (t.key === key ? change(t) : t)),
  };
}

/** Takes over a playlist an earlier run made: only what it lacks is still to add. */
function adopt(target: SplitTarget, earlier: EarlierPlaylist): SplitTarget {
  const present = new Set(earlier.uris);
  const missing = target.trackUris.filter((uri) => !present.has(uri));
  return {
    ...target,
    playlistId: earlier.playlistId,
    trackUris: missing,
    added: 0,
    alreadyThere: target.trackUris.length - missing.length,
    baseline: earlier.uris.length,
  };
}

/** Records what Spotify answered; persist this right after the call. */
export function finishStep(state: SplitJobState, step: SplitStep, result: SplitStepResult): SplitJobState {
  if (step.kind === 'find-earlier' && result.kind === 'find-earlier') {
    const names = new Set(step.names);
    const byName = new Map(result.found.map((p) => [p.name, p]));
    const settled = { ...state, inFlight: state.inFlight.filter((s) => s.key !== step.key), checkedEarlier: true };
    return {
      ...settled,
      targets: state.targets.map((t) => {
        const earlier = byName.get(t.playlistName);
        return t.playlistId === undefined && names.has(t.playlistName) && earlier ? adopt(t, earlier) : t;
      }),
    };
  }
  if (step.kind === 'create-playlist' && result.kind === 'create-playlist')
    return settle(state, step.key, (t) => ({ ...t, playlistId: result.playlistId }));
  if (step.kind === 'add-tracks' && result.kind === 'add-tracks')
    return settle(state, step.key, (t) => ({ ...t, added: step.offset + step.uris.length }));
  if (step.kind === 'count-tracks' && result.kind === 'count-tracks')
    return settle(state, step.key, (t) => ({
      ...t,
      added: Math.min(t.trackUris.length, Math.max(0, result.total - (t.baseline ?? 0))),
    }));
  throw new TypeError(`result ${result.kind} does not answer step ${step.kind}`);
}

/** Marks the job finished (idempotent). */
export function finishSplitJob(state: SplitJobState, now: number): SplitJobState {
  return state.finishedAt ? state : { ...state, finishedAt: now };
}

/** Progress for the reply: playlists created and tracks written so far (adopted ones included). */
export function splitProgress(state: SplitJobState): {
  playlistsCreated: number;
  playlists: number;
  tracksAdded: number;
  tracks: number;
} {
  let playlistsCreated = 0,
    tracksAdded = 0,
    tracks = 0;
  for (const t of state.targets) {
    if (t.playlistId !== undefined) playlistsCreated++;
    tracksAdded += t.added + (t.alreadyThere ?? 0);
    tracks += t.trackUris.length + (t.alreadyThere ?? 0);
  }
  return { playlistsCreated, playlists: state.targets.length, tracksAdded, tracks };
}

/** What is already in the member's library: each playlist that exists and how many tracks it got. */
export function splitWritten(state: SplitJobState): Array<{ name: string; playlistId: string; tracks: number }> {
  return state.targets.flatMap((t) =>
    t.playlistId === undefined
      ? []
      : [{ name: t.playlistName, playlistId: t.playlistId, tracks: t.added + (t.alreadyThere ?? 0) }],
  );
}

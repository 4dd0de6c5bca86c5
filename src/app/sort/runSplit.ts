import { finishStep, nextSplitStep, splitProgress, startStep, type SplitStep, type SplitStepResult } from '../../core/sort/index.js';
import { BudgetExhaustedError, QuotaExceededError, RateLimitedError, SpotifyUnavailableError, UserError } from '../../core/errors.js';
import type { SortJobRecord, SortJobRepository, SortSpotify } from './ports.js';

export type SplitProgress = ReturnType<typeof splitProgress>;

export interface RunSplitDeps {
  spotify: SortSpotify;
  jobs: SortJobRepository;
  now?: () => number;
  onProgress?: (progress: SplitProgress) => void;
}

export type RunOutcome =
  | { kind: 'done'; job: SortJobRecord; playlists: Array<{ name: string; id: string; tracks: number }> }
  | { kind: 'waiting'; job: SortJobRecord; resumeAt: number; reason: string }
  | { kind: 'failed'; job: SortJobRecord; error: UserError | Error };

/** The marker in a created playlist's description that lets a restarted job find it again. */
export const jobMarker = (jobId: string) => `encore-job:${jobId.slice(0, 8)}`;

const SPOTIFY_OUTAGE_RETRY_MS = 10 * 60_000;

/**
 * Runs a split job to the end, persisting the job before and after every Spotify write, so a
 * restart or a quota stop resumes exactly where it was without duplicate playlists or tracks.
 * Quota, budget and outages park the job as `waiting` with the time it may resume.
 */
export async function runSplitJob(job: SortJobRecord, deps: RunSplitDeps): Promise<RunOutcome> {
  const now = deps.now ?? Date.now;
  let current: SortJobRecord = { ...job, status: 'running', resumeAt: undefined, error: undefined };
  const save = async (next: SortJobRecord) => {
    current = next;
    await deps.jobs.save(current);
  };
  await save(current);
  try {
    for (;;) {
      const step = nextSplitStep(current.state);
      if (step.kind === 'done') {
        await save({ ...current, status: 'done', state: finishStep(current.state, step, undefined, now()) });
        return {
          kind: 'done',
          job: current,
          playlists: current.state.targets.map((t) => ({ name: t.playlistName, id: t.playlistId ?? '', tracks: t.added })),
        };
      }
      await save({ ...current, state: startStep(current.state, step) });
      const result = await perform(step, current, deps.spotify);
      await save({ ...current, state: finishStep(current.state, step, result, now()) });
      deps.onProgress?.(splitProgress(current.state));
    }
  } catch (error) {
    const resumeAt =
      error instanceof QuotaExceededError ? error.resumesAt
      : error instanceof BudgetExhaustedError ? error.availableAt
      : error instanceof RateLimitedError ? error.retryAt
      : error instanceof SpotifyUnavailableError ? now() + SPOTIFY_OUTAGE_RETRY_MS
      : undefined;
    if (resumeAt !== undefined) {
      await save({ ...current, status: 'waiting', resumeAt });
      return { kind: 'waiting', job: current, resumeAt, reason: (error as UserError).id };
    }
    await save({ ...current, status: 'failed', error: error instanceof UserError ? error.id : 'unexpected' });
    return { kind: 'failed', job: current, error: error as Error };
  }
}

async function perform(step: Exclude<SplitStep, { kind: 'done' }>, job: SortJobRecord, spotify: SortSpotify): Promise<SplitStepResult> {
  switch (step.kind) {
    case 'create-playlist': {
      const marker = jobMarker(job.id);
      const existing = step.recover ? await spotify.findOwnPlaylist(step.playlistName, marker) : undefined;
      const playlistId = existing ?? (await spotify.createPrivatePlaylist(step.playlistName, `Sorted by genre by Encore from “${job.sourceName}”. ${marker}`));
      return { kind: 'create-playlist', playlistId };
    }
    case 'add-tracks':
      await spotify.appendItems(step.playlistId, step.uris);
      return { kind: 'add-tracks' };
    case 'count-tracks':
      return { kind: 'count-tracks', total: await spotify.countItems(step.playlistId) };
  }
}

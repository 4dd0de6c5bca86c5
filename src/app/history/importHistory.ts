import { NotLinkedError, UserError } from '../../core/errors.js';
import {
  exportFileKind,
  humanWindow,
  readAccountRecord,
  readExtendedRecord,
  type ImportedPlay,
} from '../../core/history/exportRecords.js';
import { JsonRecordsError, jsonArrayBatches } from '../../core/history/jsonRecords.js';
import { END_PRECISION_MS, fitPlaysToTimeline } from '../../core/history/playTimeline.js';
import { rollupGenre } from '../../core/history/rollup.js';
import type { HistoryImportDeps } from './ports.js';
import { erased, type Erased } from '../accounts/personalData.js';

export type { HistoryImportDeps, ImportRepository, ImportSession } from './ports.js';

/** Rows handed to the store at a time. */
const BATCH = 10_000;
/**
 * Music plays one upload may hold: a heavy listener's 15 years are about a million. Bounds what
 * the import keeps in memory per play (the timeline: 13 bytes a play, and 8 more while it is laid).
 */
export const MAX_IMPORT_PLAYS = 2_000_000;

/** One file of the upload (inside the zip, or one of the JSON files dropped on the page). */
export interface ExportEntry {
  name: string;
  /** The file's bytes as they are read; the reader enforces its size caps and throws a UserError beyond them. */
  bytes(): AsyncIterable<Uint8Array>;
}

/**
 * Where the plays read from an upload wait until every file has been read: outside the
 * database (no connection is held while a member's files are read) and outside memory.
 */
export interface PlayStaging {
  /** A promise when the caller should wait before appending more (back-pressure). */
  append(play: ImportedPlay): Promise<void> | undefined;
  /** Every play appended, in order (after the last append). */
  plays(): AsyncIterable<ImportedPlay>;
  dispose(): Promise<void>;
}

/** The files of an upload, and where their plays can wait (in memory when it says nothing). */
export interface ExportUpload extends AsyncIterable<ExportEntry> {
  staging?: () => Promise<PlayStaging>;
}

const memoryStaging = (): PlayStaging => {
  const plays: ImportedPlay[] = [];
  return {
    append: (play) => void plays.push(play),
    plays: async function* () {
      yield* plays;
    },
    dispose: async () => void (plays.length = 0),
  };
};

/** Each play's end, duration and format, compactly: what the timeline needs of it. */
class PlayTimes {
  ends = new Float64Array(4096);
  /** Durations fit: the readers cap them at 2^31 − 1 ms. */
  durations = new Int32Array(4096);
  formats = new Uint8Array(4096);
  count = 0;
  add(play: ImportedPlay) {
    if (this.count === this.ends.length) {
      const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T) => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.ends = grow(this.ends, (n) => new Float64Array(n));
      this.durations = grow(this.durations, (n) => new Int32Array(n));
      this.formats = grow(this.formats, (n) => new Uint8Array(n));
    }
    this.ends[this.count] = play.playedAt;
    this.durations[this.count] = play.msPlayed;
    this.formats[this.count] = play.format === 'extended' ? 0 : 1;
    this.count++;
  }
}

export interface ImportProgress {
  /** Reading the files, then storing what they hold (one transaction, the last seconds). */
  stage: 'reading' | 'storing';
  file?: string;
  files: number;
  plays: number;
}

export interface ImportSummary {
  /** Plays newly stored. */
  imported: number;
  /** Plays the history already had (collected, or imported before). */
  duplicates: number;
  podcasts: number;
  /** Plays under 30 s, not counted. */
  short: number;
  /**
   * Records skipped as impossible: no time or name, a time outside Spotify's lifetime or in the
   * future, or a play overlapping the member's other plays.
   */
  unusable?: number;
  files: number;
  from?: number;
  to?: number;
}

/**
 * Imports one upload, all or nothing, in two passes. First every streaming-history file is read,
 * record by record, and its usable plays written aside (`PlayStaging`), with no database
 * connection held: a file that is not valid JSON, an upload without streaming history, or a
 * reader cap (oversized, zip bomb, too many files or plays) ends it there with a UserError. Then
 * the plays are laid on one timeline (no two at once, see playTimeline.ts) and only then is a
 * connection taken, to stage them in Postgres and commit. Names and URIs come from the file: no
 * Spotify request per play. Records that make no sense (a time outside Spotify's lifetime or in
 * the future, no name, overlapping other plays) are skipped and counted, never a failure.
 */
export async function importHistory(
  deps: HistoryImportDeps,
  memberId: string,
  entries: ExportUpload,
  onProgress: (progress: ImportProgress) => void = () => {},
): Promise<ImportSummary> {
  const startedAt = deps.now?.() ?? Date.now();
  const window = humanWindow(startedAt);
  const staging = entries.staging ? await entries.staging() : memoryStaging();
  try {
    const counts = { podcasts: 0, short: 0, unusable: 0, files: 0 };
    const times = new PlayTimes();
    let sawFile = false;
    for await (const entry of entries) {
      const kind = exportFileKind(entry.name);
      if (!kind) continue;
      sawFile = true;
      const read = kind === 'extended' ? readExtendedRecord : readAccountRecord;
      try {
        for await (const records of jsonArrayBatches(entry.bytes())) {
          let wait: Promise<void> | undefined;
          for (const record of records) {
            const outcome = read(record, window);
            if (outcome.kind === 'music') {
              if (times.count >= MAX_IMPORT_PLAYS)
                throw new UserError('import.tooManyPlays', { limit: MAX_IMPORT_PLAYS });
              times.add(outcome.play);
              wait = staging.append(outcome.play) ?? wait;
            } else if (outcome.kind === 'podcast' || outcome.kind === 'audiobook') counts.podcasts++;
            else if (outcome.kind === 'short') counts.short++;
            else counts.unusable++;
          }
          if (wait) await wait;
        }
      } catch (error) {
        if (!(error instanceof JsonRecordsError)) throw error;
        throw new UserError(
          'import.malformedJson',
          error.notAList ? { file: entry.name, notAList: true } : { file: entry.name, ...error.where },
        );
      }
      counts.files++;
      onProgress({ stage: 'reading', file: entry.name, files: counts.files, plays: times.count });
    }
    if (!sawFile) throw new UserError('import.noHistory');
    const kept = fitPlaysToTimeline(
      times.ends,
      times.durations,
      times.formats,
      times.count,
      (format) => END_PRECISION_MS[format === 0 ? 'extended' : 'account'],
    );
    let plays = 0;
    for (const ms of kept) if (ms > 0) plays++;
    counts.unusable += times.count - plays;
    // Unlinked while the files were read: their history is gone, and this import must not bring it back.
    if (!(await deps.isLinked(memberId))) throw new NotLinkedError();
    onProgress({ stage: 'storing', files: counts.files, plays });
    const session = await deps.repo.begin(memberId, startedAt);
    try {
      let index = 0;
      let batch: ImportedPlay[] = [];
      for await (const play of staging.plays()) {
        const ms = kept[index++]!;
        if (ms === 0) continue;
        batch.push(ms === play.msPlayed ? play : { ...play, msPlayed: ms });
        if (batch.length >= BATCH) {
          await session.add(batch);
          batch = [];
        }
      }
      if (batch.length) await session.add(batch);
      const stored = await session.commit(counts, async (artistIds) => {
        const genres = await deps.cachedGenres(artistIds.filter((id) => !id.startsWith('name:')));
        return (trackArtists) => rollupGenre(trackArtists.map((id) => genres.get(id)));
      });
      return {
        imported: stored.inserted,
        duplicates: stored.duplicates,
        podcasts: counts.podcasts,
        short: counts.short,
        unusable: counts.unusable,
        files: counts.files,
        ...(stored.from !== undefined ? { from: stored.from, to: stored.to } : {}),
      };
    } catch (error) {
      await session.abort();
      throw error;
    }
  } finally {
    await staging.dispose();
  }
}

/** Unused upload links and the records of past imports, for /unlink. */
export function importPersonalData(deps: Pick<HistoryImportDeps, 'repo' | 'tokens'>) {
  return {
    name: 'history-imports',
    async erase(id: string): Promise<Erased[]> {
      const imports = await deps.repo.deleteForUser(id);
      const links = await deps.tokens.deleteFor(id);
      return [...erased('history-imports', imports), ...erased('unused-import-links', links)];
    },
  };
}

import { randomBytes } from 'node:crypto';
import { NotLinkedError, UserError } from '../../core/errors.js';
import {
  exportFileKind,
  jsonErrorLocation,
  readAccountRecord,
  readExtendedRecord,
  type ImportedPlay,
} from '../../core/history/exportRecords.js';
import { rollupGenre } from '../../core/history/rollup.js';

/** /import links: like /link's, private, ten minutes, single use. */
export const IMPORT_LINK_TTL_MS = 10 * 60_000;
/** Rows handed to the store at a time. */
const BATCH = 5_000;

/** One file of the upload (inside the zip, or one of the JSON files dropped on the page). */
export interface ExportEntry {
  name: string;
  /** The file's text; the reader enforces its size caps and throws a UserError beyond them. */
  text(): Promise<string>;
}

/** Where an import stages its plays: nothing is visible to anyone until `commit`. */
export interface ImportSession {
  add(plays: readonly ImportedPlay[]): Promise<void>;
  /**
   * Stores the staged plays that are not already stored (see the store for the same-listen rule),
   * their catalogue rows and rollups, and the import's record, in one transaction.
   */
  commit(
    summary: { podcasts: number; short: number; unusable: number; files: number },
    genreOf: (artistIds: readonly string[]) => Promise<(trackArtists: readonly string[]) => string>,
  ): Promise<{ inserted: number; duplicates: number; from?: number; to?: number }>;
  /** Drops everything staged. */
  abort(): Promise<void>;
}

export interface ImportRepository {
  begin(memberId: string, startedAt: number): Promise<ImportSession>;
  /** Deletes the member's import records; how many there were. */
  deleteForUser(memberId: string): Promise<number>;
}

export interface ImportTokens {
  issue(token: string, record: { discordUserId: string }, expiresAt: number): Promise<void>;
  peek(token: string, now: number): Promise<{ discordUserId: string } | undefined>;
  take(token: string, now: number): Promise<{ discordUserId: string } | undefined>;
  deleteFor(discordUserId: string): Promise<number>;
}

export interface HistoryImportDeps {
  repo: ImportRepository;
  tokens: ImportTokens;
  isLinked(discordUserId: string): Promise<boolean>;
  /** Genres of these artists from the shared cache only: no Spotify request per artist or play. */
  cachedGenres(artistIds: readonly string[]): Promise<Map<string, readonly string[]>>;
  publicUrl: string;
  now?: () => number;
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
  files: number;
  from?: number;
  to?: number;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;
export const looksLikeImportToken = (value: unknown): value is string =>
  typeof value === 'string' && TOKEN_SHAPE.test(value);

/** /import: a one-time upload link for a linked member. */
export async function startImport(
  deps: HistoryImportDeps,
  discordUserId: string,
): Promise<{ url: string; expiresAt: number }> {
  if (!(await deps.isLinked(discordUserId))) throw new NotLinkedError();
  const now = deps.now?.() ?? Date.now();
  const token = randomBytes(24).toString('base64url');
  await deps.tokens.issue(token, { discordUserId }, now + IMPORT_LINK_TTL_MS);
  return { url: `${deps.publicUrl}/import/${token}`, expiresAt: now + IMPORT_LINK_TTL_MS };
}

/** Who an upload link is for, without spending it (the page's GET). */
export async function previewImport(deps: HistoryImportDeps, token: string): Promise<string | undefined> {
  if (!looksLikeImportToken(token)) return undefined;
  return (await deps.tokens.peek(token, deps.now?.() ?? Date.now()))?.discordUserId;
}

/** The upload's POST spends the link, once; an expired or reused link is a UserError. */
export async function claimImport(deps: HistoryImportDeps, token: string): Promise<string> {
  const record = looksLikeImportToken(token) ? await deps.tokens.take(token, deps.now?.() ?? Date.now()) : undefined;
  if (!record) throw new UserError('import.linkExpired');
  return record.discordUserId;
}

/**
 * Imports one upload, all or nothing: every streaming-history file is read and staged, and only
 * when all of them made sense is anything stored. A file that is not valid JSON, an upload without
 * streaming history, or a reader cap (oversized, zip bomb) ends it with a UserError and nothing
 * stored. Names and URIs come from the file: no Spotify request per play.
 */
export async function importHistory(
  deps: HistoryImportDeps,
  memberId: string,
  entries: AsyncIterable<ExportEntry>,
  onProgress: (progress: ImportProgress) => void = () => {},
): Promise<ImportSummary> {
  const session = await deps.repo.begin(memberId, deps.now?.() ?? Date.now());
  try {
    const counts = { podcasts: 0, short: 0, unusable: 0, files: 0 };
    let plays = 0;
    let sawFile = false;
    for await (const entry of entries) {
      const kind = exportFileKind(entry.name);
      if (!kind) continue;
      sawFile = true;
      const text = await entry.text();
      let records: unknown;
      try {
        records = JSON.parse(text);
      } catch (error) {
        const where = jsonErrorLocation(text, error instanceof Error ? error.message : '');
        throw new UserError('import.malformedJson', { file: entry.name, ...where });
      }
      if (!Array.isArray(records)) throw new UserError('import.malformedJson', { file: entry.name, notAList: true });
      counts.files++;
      const read = kind === 'extended' ? readExtendedRecord : readAccountRecord;
      let batch: ImportedPlay[] = [];
      for (const record of records as unknown[]) {
        const outcome = read(record);
        if (outcome.kind === 'music') {
          batch.push(outcome.play);
          if (batch.length >= BATCH) {
            await session.add(batch);
            plays += batch.length;
            batch = [];
          }
        } else if (outcome.kind === 'podcast' || outcome.kind === 'audiobook') counts.podcasts++;
        else if (outcome.kind === 'short') counts.short++;
        else counts.unusable++;
      }
      if (batch.length) await session.add(batch);
      plays += batch.length;
      onProgress({ stage: 'reading', file: entry.name, files: counts.files, plays });
    }
    if (!sawFile) throw new UserError('import.noHistory');
    // Unlinked while the files were read: their history is gone, and this import must not bring it back.
    if (!(await deps.isLinked(memberId))) throw new NotLinkedError();
    onProgress({ stage: 'storing', files: counts.files, plays });
    const stored = await session.commit(counts, async (artistIds) => {
      const genres = await deps.cachedGenres(artistIds.filter((id) => !id.startsWith('name:')));
      return (trackArtists) => rollupGenre(trackArtists.map((id) => genres.get(id)));
    });
    return {
      imported: stored.inserted,
      duplicates: stored.duplicates,
      podcasts: counts.podcasts,
      short: counts.short,
      files: counts.files,
      ...(stored.from !== undefined ? { from: stored.from, to: stored.to } : {}),
    };
  } catch (error) {
    await session.abort();
    throw error;
  }
}

/** Unused upload links and the records of past imports, for /unlink. */
export function importPersonalData(deps: Pick<HistoryImportDeps, 'repo' | 'tokens'>) {
  return {
    name: 'history-imports',
    async erase(id: string): Promise<string[]> {
      const imports = await deps.repo.deleteForUser(id);
      const links = await deps.tokens.deleteFor(id);
      const out: string[] = [];
      if (imports) out.push(`the record of your ${imports === 1 ? 'history import' : `${imports} history imports`}`);
      if (links) out.push(`${links} unused /import link${links === 1 ? '' : 's'}`);
      return out;
    },
  };
}

import { randomUUID } from 'node:crypto';
import { rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express, { type Router } from 'express';
import {
  importHistory,
  type HistoryImportDeps,
  type ImportProgress,
  type ImportSummary,
} from '../../app/history/importHistory.js';
import { claimImport, previewImport, restoreImport, type ImportLinkRecord } from '../../app/history/importLinks.js';
import { NotLinkedError, UserError } from '../../core/errors.js';
import type { Logger } from '../../log.js';
import { realSchedule, type Schedule } from '../schedule.js';
import { exemptFromRequestDeadline } from '../server.js';
import { spoolUpload, uploadEntries, type UploadLimits } from './exportUpload.js';
import { expiredImportPage, UPLOAD_PAGE_CSP, uploadPage } from './importPages.js';
import { progressLines } from './progressLines.js';
import { DEFAULT_CONCURRENT_UPLOADS, uploadSlots, type UploadSlots } from './uploadSlots.js';

/** An upload that sends nothing for this long is dropped; its link still works. */
export const UPLOAD_IDLE_TIMEOUT_MS = 60_000;
/** Room the temp directory keeps beyond an upload, so a spool never fills the disk the database may share. */
const DISK_RESERVE_BYTES = 256 * 1024 * 1024;

export interface ImportRouterDeps {
  imports: HistoryImportDeps;
  limits: UploadLimits;
  /** Where uploads are spooled while they import (removed right after). */
  spoolDir?: string;
  log: Logger;
  /** A UserError in the words the member reads (the one message table). */
  describe(error: UserError): string;
  /** The page's last line once the import is stored. */
  summarize(summary: ImportSummary): string;
  /** Told when an import is stored (the DM). */
  onImported(discordUserId: string, summary: ImportSummary): Promise<void>;
  /** Uploads under way at once: one per member, a few in all (IMPORT_MAX_CONCURRENT_UPLOADS). */
  slots?: UploadSlots;
  idleTimeoutMs?: number;
  schedule?: Schedule;
  /** Free bytes where uploads spool; undefined when it can't be told (then nothing is refused for it). */
  freeBytes?(dir: string): Promise<number | undefined>;
  /** The import itself (importHistory; a stand-in in tests of the HTTP side). */
  run?(
    memberId: string,
    entries: Parameters<typeof importHistory>[2],
    onProgress: (progress: ImportProgress) => void,
  ): Promise<ImportSummary>;
}

const diskFree = async (dir: string) => {
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
};

/**
 * GET /import/:token shows the upload page (it changes nothing: scanners may open it). POST
 * /import/:token checks the link, the declared size, the places free and the disk before reading
 * a byte (a refusal leaves the link as it was), spools the body to a temporary file (dropped if it
 * goes silent), and only then spends the link and imports it all or nothing, answering with one
 * JSON object per line as it goes: `{"progress":…}`, then `{"done":…}` or `{"error":"…"}`. An
 * import that stored nothing gives the link back. Logs never carry the token or the files' content.
 */
export function importRouter(deps: ImportRouterDeps): Router {
  const router = express.Router();
  const slots = deps.slots ?? uploadSlots(DEFAULT_CONCURRENT_UPLOADS);
  const schedule = deps.schedule ?? realSchedule;
  const idleMs = deps.idleTimeoutMs ?? UPLOAD_IDLE_TIMEOUT_MS;
  const spoolDir = deps.spoolDir ?? tmpdir();
  const freeBytes = deps.freeBytes ?? diskFree;
  const run =
    deps.run ?? ((memberId, entries, onProgress) => importHistory(deps.imports, memberId, entries, onProgress));
  const now = () => deps.imports.now?.() ?? Date.now();
  const tooLarge = () =>
    new UserError('import.tooLarge', { limitMb: Math.round(deps.limits.maxUploadBytes / 2 ** 20) });

  router.get('/import/:token', async (req, res) => {
    const link = await previewImport(deps.imports, req.params.token);
    const { status, html } = link ? uploadPage(link) : expiredImportPage();
    if (link) res.set('Content-Security-Policy', UPLOAD_PAGE_CSP);
    res.status(status).type('html').send(html);
  });

  router.post('/import/:token', async (req, res) => {
    try {
      await upload(req, res);
    } catch (error) {
      // Before the import started (the database unreachable while the link was checked or spent):
      // nothing was stored and the link was not spent, so the same page can try again.
      if (res.headersSent) throw error;
      const reference = String(req.id);
      deps.log.error({ err: error, reference }, 'import could not start');
      res
        .status(503)
        .set('Connection', 'close')
        .json({
          error: `Something went wrong on our side and nothing was imported. Try again in a minute with the same link. Reference: ${reference}`,
          linkStillWorks: true,
        });
      req.resume();
    }
  });

  async function upload(req: express.Request<{ token: string }>, res: express.Response): Promise<void> {
    const startedAt = now();
    const token = req.params.token;
    /** `linkStillWorks`: the page lets the member try again with the same link. */
    const refuse = (status: number, error: UserError, linkStillWorks: boolean) => {
      deps.log.info({ outcome: error.id }, 'import refused');
      res
        .status(status)
        .set('Connection', 'close')
        .json({ error: deps.describe(error), ...(linkStillWorks ? { linkStillWorks } : {}) });
      req.resume();
    };
    const link = await previewImport(deps.imports, token, startedAt);
    if (!link) return refuse(410, new UserError('import.linkExpired'), false);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > deps.limits.maxUploadBytes) return refuse(413, tooLarge(), true);
    const slot = slots.claim(link.discordUserId);
    if (slot.kind === 'member-busy') return refuse(429, new UserError('import.alreadyUploading'), true);
    if (slot.kind === 'full') return refuse(429, new UserError('import.busy'), true);
    const file = path.join(spoolDir, `encore-import-${randomUUID()}`);
    try {
      const free = await freeBytes(spoolDir);
      const needs = (Number.isFinite(declared) ? declared : deps.limits.maxUploadBytes) + DISK_RESERVE_BYTES;
      if (free !== undefined && free < needs) {
        deps.log.warn({ freeMb: Math.round(free / 2 ** 20) }, 'upload refused: the temp directory is nearly full');
        return refuse(503, new UserError('import.busy'), true);
      }
      exemptFromRequestDeadline(req);
      try {
        await spoolUpload(req, file, deps.limits, { ms: idleMs, schedule });
      } catch (error) {
        if (error instanceof UserError) return refuse(error.id === 'import.tooLarge' ? 413 : 400, error, true);
        throw error;
      }
      let record: ImportLinkRecord;
      try {
        record = await claimImport(deps.imports, token, startedAt);
      } catch (error) {
        if (error instanceof UserError) return refuse(410, error, false);
        throw error;
      }
      await importSpooled(record, file);
    } finally {
      slot.release();
      await rm(file, { force: true });
    }

    async function importSpooled(record: ImportLinkRecord, file: string) {
      res.status(200).type('application/x-ndjson');
      res.flushHeaders();
      const out = progressLines(res);
      try {
        const summary = await run(record.discordUserId, uploadEntries(file, deps.limits), (progress) =>
          out.progress({ progress }),
        );
        deps.log.info(
          { imported: summary.imported, duplicates: summary.duplicates, files: summary.files },
          'history imported',
        );
        out.final({ done: { ...summary, message: deps.summarize(summary) } });
        await deps
          .onImported(record.discordUserId, summary)
          .catch((error: unknown) => deps.log.warn({ err: error }, 'could not DM the member after an import'));
      } catch (error) {
        // Nothing was stored: the link works again, unless the member unlinked meanwhile.
        const linkStillWorks =
          !(error instanceof NotLinkedError) &&
          (await restoreImport(deps.imports, token, record).catch((cause: unknown) => {
            deps.log.warn({ err: cause }, 'could not give an upload link back');
            return false;
          }));
        if (error instanceof UserError) {
          deps.log.info({ outcome: error.id }, 'import refused');
          out.final({ error: deps.describe(error), ...(linkStillWorks ? { linkStillWorks } : {}) });
        } else {
          const reference = String(req.id);
          deps.log.error({ err: error, reference }, 'import failed');
          out.final({
            error: `Something went wrong on our side and nothing was imported. Reference: ${reference}`,
            ...(linkStillWorks ? { linkStillWorks } : {}),
          });
        }
      }
      res.end();
    }
  }
  return router;
}

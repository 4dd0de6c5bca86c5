import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express, { type Router } from 'express';
import {
  claimImport,
  importHistory,
  previewImport,
  type HistoryImportDeps,
  type ImportSummary,
} from '../../app/history/importHistory.js';
import { UserError } from '../../core/errors.js';
import type { Logger } from '../../log.js';
import { spoolUpload, uploadEntries, type UploadLimits } from './exportUpload.js';
import { expiredImportPage, uploadPage } from './importPages.js';

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
}

/**
 * GET /import/:token shows the upload page (it changes nothing: scanners may open it); POST
 * /import/:token spends the link, spools the body to a temporary file, imports it all or nothing
 * and answers with one JSON object per line as it goes: `{"progress":…}` per file, then
 * `{"done":…}` or `{"error":"…"}`. Logs never carry the token or the files' content.
 */
export function importRouter(deps: ImportRouterDeps): Router {
  const router = express.Router();
  router.get('/import/:token', async (req, res) => {
    const member = await previewImport(deps.imports, req.params.token);
    const { status, html } = member ? uploadPage() : expiredImportPage();
    res.status(status).type('html').send(html);
  });
  router.post('/import/:token', async (req, res) => {
    const refuse = (status: number, error: UserError) => {
      deps.log.info({ outcome: error.id }, 'import refused');
      res
        .status(status)
        .set('Connection', 'close')
        .json({ error: deps.describe(error) });
      req.resume();
    };
    const declared = Number(req.headers['content-length']);
    let memberId: string;
    try {
      memberId = await claimImport(deps.imports, req.params.token);
    } catch (error) {
      if (error instanceof UserError) return refuse(410, error);
      throw error;
    }
    if (Number.isFinite(declared) && declared > deps.limits.maxUploadBytes)
      return refuse(
        413,
        new UserError('import.tooLarge', { limitMb: Math.round(deps.limits.maxUploadBytes / 2 ** 20) }),
      );
    const file = path.join(deps.spoolDir ?? tmpdir(), `encore-import-${randomUUID()}`);
    try {
      try {
        await spoolUpload(req, file, deps.limits);
      } catch (error) {
        if (error instanceof UserError) return refuse(error.id === 'import.tooLarge' ? 413 : 400, error);
        throw error;
      }
      res.status(200).type('application/x-ndjson').set('Cache-Control', 'no-store');
      res.flushHeaders();
      const line = (value: object) => res.write(`${JSON.stringify(value)}\n`);
      try {
        const summary = await importHistory(deps.imports, memberId, uploadEntries(file, deps.limits), (progress) =>
          line({ progress }),
        );
        deps.log.info(
          { imported: summary.imported, duplicates: summary.duplicates, files: summary.files },
          'history imported',
        );
        line({ done: { ...summary, message: deps.summarize(summary) } });
        await deps
          .onImported(memberId, summary)
          .catch((error: unknown) => deps.log.warn({ err: error }, 'could not DM the member after an import'));
      } catch (error) {
        if (error instanceof UserError) {
          deps.log.info({ outcome: error.id }, 'import refused');
          line({ error: deps.describe(error) });
        } else {
          const reference = String(req.id);
          deps.log.error({ err: error, reference }, 'import failed');
          line({ error: `Something went wrong on our side and nothing was imported. Reference: ${reference}` });
        }
      }
      res.end();
    } finally {
      await rm(file, { force: true });
    }
  });
  return router;
}

import type { PersonalDataKind } from '../../app/accounts/personalData.js';
import { importPersonalData, type HistoryImportDeps } from '../../app/history/importHistory.js';
import type { ImportTokens } from '../../app/history/importLinks.js';
import { importDoneDm, importSummaryText } from '../../discord/messages/importMessages.js';
import { userErrorMessage } from '../../discord/userErrorMessages.js';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../../http/history/exportUpload.js';
import { importRouter } from '../../http/history/importRoutes.js';
import { DEFAULT_CONCURRENT_UPLOADS, uploadSlots } from '../../http/history/uploadSlots.js';
import { requestWindow } from '../../store/accounts/requestWindow.js';
import { singleUseRecords } from '../../store/accounts/singleUse.js';
import type { Store } from '../../store/index.js';
import { createImportRepository } from '../../store/history/importRepository.js';
import type { Accounts, FeatureContext } from '../feature.js';
import type { Router } from 'express';

const REQUESTS = 'import-requests';

/**
 * Upload links in the store: single use (like /link's), with the times a member asked for one
 * (the rate limit's window), which /unlink erases with the unused links.
 */
export function importTokensIn(store: Store): ImportTokens {
  const records = singleUseRecords<{ discordUserId: string; discordName?: string }>(store, 'import-tokens');
  const window = requestWindow(store, REQUESTS);
  return {
    issue: (token, record, expiresAt) => records.put(token, record, expiresAt),
    peek: (token, now) => records.peek(token, now),
    take: (token, now) => records.take(token, now),
    admit: (id, now, windowMs, limit) => window.admit(id, now, windowMs, limit),
    async deleteFor(id) {
      await store.namespace<number[]>(REQUESTS).delete(id);
      return records.deleteFor(id);
    },
  };
}

/**
 * Full-history import wired to the store: one-time upload links (single use, like /link's, three
 * per ten minutes), the upload page and its POST (one upload per member, IMPORT_MAX_CONCURRENT_UPLOADS
 * in all), the "imported" DM, and the records /unlink erases (past imports, unused links). Genres
 * come from the shared cache only: an import spends no Spotify request.
 */
export function createHistoryImport(
  context: Pick<FeatureContext, 'store' | 'gateway' | 'config' | 'log' | 'discord' | 'services'> & {
    accounts: Accounts;
  },
  limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
): { deps: HistoryImportDeps; router: Router; personalData: PersonalDataKind } {
  const { store, gateway, config, discord, accounts } = context;
  const deps: HistoryImportDeps = {
    repo: createImportRepository(store.pool),
    tokens: importTokensIn(store),
    // A dead link (Spotify ended it) still counts, and so does ListenBrainz or Last.fm: an import
    // needs no Spotify request. /unlink ends every link first, so an upload under way then stores nothing.
    isLinked: async (id) =>
      (await accounts.repo.getLink(id)) !== undefined || !!(await context.services.sources?.links.linksOf(id))?.length,
    cachedGenres: (ids) => gateway.cachedGenres(ids),
    publicUrl: config.PUBLIC_URL,
  };
  const router = importRouter({
    imports: deps,
    limits,
    slots: uploadSlots(config.IMPORT_MAX_CONCURRENT_UPLOADS ?? DEFAULT_CONCURRENT_UPLOADS),
    log: context.log.child({ module: 'history-import' }),
    describe: userErrorMessage,
    summarize: importSummaryText,
    async onImported(memberId, summary) {
      await discord.sendDm(memberId, importDoneDm(summary));
    },
  });
  return { deps, router, personalData: importPersonalData(deps) };
}

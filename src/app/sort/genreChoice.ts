import { randomUUID } from 'node:crypto';
import type { ArtistGenreLookup } from '../../core/sort/index.js';
import { GENRE_LOOKUP_CAPS, thriftyMinutes } from '../genres/resolveArtistGenres.js';
import { previewSplit, readSplitSource, splitArtistIds, type PreviewSpotify } from './previewSplit.js';
import type {
  GenreChoiceRepository,
  PreviewProgress,
  SortJobRepository,
  SplitGenreChoice,
  SplitPreview,
  SplitPreviewInput,
  SplitPreviewOrChoice,
} from './ports.js';

/**
 * /sort split's first step. With MusicBrainz available (`choices` given), a playlist with at least
 * GENRE_LOOKUP_CAPS.thriftySortMinUnknownArtists artists the cache does not know asks the member how
 * to find their genres; otherwise (and for smaller sorts) the preview comes at once, as before.
 */
export async function previewSplitOrAsk(
  input: SplitPreviewInput,
  deps: {
    spotify: PreviewSpotify;
    jobs: SortJobRepository;
    choices?: GenreChoiceRepository;
    now?: () => number;
    onProgress?: (p: PreviewProgress) => void;
  },
): Promise<SplitPreviewOrChoice> {
  const now = deps.now ?? Date.now;
  const source = await readSplitSource(input.playlistId, deps.spotify, deps.onProgress);
  if (deps.choices) {
    const artistIds = splitArtistIds(source.items);
    const known = await deps.spotify.cachedArtistIds(artistIds);
    const unknown = artistIds.filter((id) => !known.has(id)).length;
    if (unknown >= GENRE_LOOKUP_CAPS.thriftySortMinUnknownArtists) {
      const choice: SplitGenreChoice = {
        id: randomUUID(),
        discordUserId: input.discordUserId,
        createdAt: now(),
        request: input,
        source,
        unknownArtists: unknown,
        thriftyMinutes: thriftyMinutes(unknown),
        remainingBudget: await deps.spotify.remainingBudget(),
        status: 'asked',
      };
      await deps.choices.save(choice);
      return { kind: 'choose', choice };
    }
  }
  return { kind: 'preview', preview: await previewSplit(input, { ...deps, spotify: deps.spotify, source }) };
}

/** "Now": the usual preview from the playlist already read, Spotify looking up the unknown artists. */
export async function previewChosenNow(
  choice: SplitGenreChoice,
  deps: {
    spotify: PreviewSpotify;
    jobs: SortJobRepository;
    choices: GenreChoiceRepository;
    onProgress?: (p: PreviewProgress) => void;
  },
): Promise<SplitPreview> {
  await deps.choices.save({ ...choice, status: 'done' });
  return previewSplit(choice.request, { ...deps, spotify: deps.spotify, source: choice.source });
}

/**
 * "Thrifty": MusicBrainz resolves the artists (resolve: the background resolver without Spotify),
 * then the preview is planned from the cache alone: artists still unknown count as unclassified.
 * Sends no Spotify request (the budget is only read). Undefined when the choice went away meanwhile
 * (/unlink) or is no longer thrifty.
 */
export async function runThriftyPreview(
  choice: SplitGenreChoice,
  deps: {
    resolve(artists: ReadonlyArray<{ id: string; name?: string }>): Promise<void>;
    cachedGenres(ids: readonly string[]): Promise<ArtistGenreLookup>;
    remainingBudget(): Promise<number>;
    jobs: SortJobRepository;
    choices: GenreChoiceRepository;
    now?: () => number;
  },
): Promise<SplitPreview | undefined> {
  const names = new Map<string, string>();
  for (const item of choice.source.items)
    if (item.artistIds[0] && item.artistName) names.set(item.artistIds[0], item.artistName);
  const ids = splitArtistIds(choice.source.items);
  await deps.resolve(ids.map((id) => ({ id, name: names.get(id) })));
  // The member may have unlinked (erasing the choice) or answered elsewhere while MusicBrainz worked.
  if ((await deps.choices.get(choice.id))?.status !== 'thrifty') return undefined;
  const noReads = () => Promise.reject(new Error('a thrifty preview reads nothing from Spotify'));
  const preview = await previewSplit(choice.request, {
    jobs: deps.jobs,
    now: deps.now,
    source: choice.source,
    spotify: {
      playlist: noReads,
      playlistItems: noReads,
      // Nothing is looked up on Spotify: the preview's request count is the reading already done.
      cachedArtistIds: async (artistIds) => new Set(artistIds),
      genresForArtists: (artistIds) => deps.cachedGenres(artistIds),
      remainingBudget: deps.remainingBudget,
    },
  });
  await deps.choices.save({ ...choice, status: 'done' });
  return preview;
}

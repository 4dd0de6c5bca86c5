import { startLink } from '../../app/accounts/linking.js';
import type { NowPlayingDeps, NowPlayingSource, PlayedTrack, SourceReading } from '../../app/nowPlaying/ports.js';
import { SourceError, type SourceListen } from '../../app/sources/ports.js';
import { NotLinkedError, UserError } from '../../core/errors.js';
import { NOW_PLAYING_SCOPE, ScopeMissingError, type Track } from '../../spotify/index.js';
import { createNowPlayingReader } from '../../store/nowPlaying/nowPlayingReader.js';
import { accountsOf, type FeatureFactory } from '../feature.js';

/** Enough for any server's opted-in listeners of one artist to be counted. */
const LISTENERS_CAP = 10_000;

/** Spotify's cover closest to a thumbnail (it lists 640, 300 and 64 px wide). */
function coverOf(track: Track): string | undefined {
  const images = track.album?.images ?? [];
  return (images.find((i) => (i.width ?? 0) >= 100 && (i.width ?? 0) <= 300) ?? images[0])?.url;
}

function fromSpotify(track: Track): PlayedTrack {
  const cover = coverOf(track);
  const url = track.external_urls?.spotify ?? (track.id ? `https://open.spotify.com/track/${track.id}` : undefined);
  return {
    name: track.name,
    artists: track.artists.map((a) => ({ name: a.name, ...(a.id ? { spotifyId: a.id } : {}) })),
    ...(track.album?.name ? { album: track.album.name } : {}),
    ...(cover ? { imageUrl: cover } : {}),
    ...(url && !track.is_local ? { url } : {}),
    ...(track.id ? { spotifyId: track.id } : {}),
    ...(track.external_ids?.isrc ? { isrc: track.external_ids.isrc } : {}),
    ...(track.duration_ms ? { durationMs: track.duration_ms } : {}),
  };
}

function fromSource(listen: SourceListen): PlayedTrack {
  return {
    name: listen.track.name,
    artists: listen.artists.map((a) => ({ name: a.name, ...(a.mbid ? { mbid: a.mbid } : {}) })),
    ...(listen.album?.name ? { album: listen.album.name } : {}),
    ...(listen.imageUrl ? { imageUrl: listen.imageUrl } : {}),
    ...(listen.track.spotifyId ? { spotifyId: listen.track.spotifyId } : {}),
    ...(listen.track.mbid ? { mbid: listen.track.mbid } : {}),
    ...(listen.track.isrc ? { isrc: listen.track.isrc } : {}),
    ...(listen.track.durationMs ? { durationMs: listen.track.durationMs } : {}),
  };
}

/**
 * Now playing (issue 25): /np asks each source the member connected, reads the counts from the
 * history totals and the server's listeners as /whoknows counts them. Nothing of its own is stored.
 */
export const nowPlayingFeature: FeatureFactory = (context) => {
  const { store, services } = context;
  const accounts = accountsOf(context);
  const reader = createNowPlayingReader(store.pool);
  const now = () => services.now?.() ?? Date.now();

  async function readSpotify(memberId: string): Promise<SourceReading> {
    const tokens = await accounts.repo.loadTokens(memberId);
    if (!tokens) throw new NotLinkedError();
    const granted = tokens.scope.split(' ');
    // Known from the stored grant: no request, and no refresh, to learn that Spotify would refuse.
    if (!granted.includes(NOW_PLAYING_SCOPE) && !granted.includes('user-read-playback-state'))
      return { kind: 'needs-consent' };
    const client = await accounts.spotifyFor(memberId);
    try {
      const current = await client.currentlyPlaying();
      if (current?.is_playing && current.item?.type === 'track')
        return { kind: 'playing', track: fromSpotify(current.item), at: now() };
      const last = (await client.recentlyPlayed()).items[0];
      return last
        ? { kind: 'last', track: fromSpotify(last.track), at: Date.parse(last.played_at) }
        : { kind: 'nothing' };
    } catch (error) {
      if (error instanceof ScopeMissingError) return { kind: 'needs-consent' };
      throw error;
    }
  }

  async function readSource(memberId: string, source: Exclude<NowPlayingSource, 'spotify'>): Promise<SourceReading> {
    const client = services.sources?.readers[source];
    const link = (await services.sources?.links.linksOf(memberId))?.find((l) => l.source === source);
    if (!client || !link) return { kind: 'nothing' };
    try {
      const playing = await client.nowPlaying(link.userName);
      if (playing) return { kind: 'playing', track: fromSource(playing), at: now() };
      const last = (await client.listens(link.userName, {}, 1)).listens[0];
      return last ? { kind: 'last', track: fromSource(last), at: last.listenedAt } : { kind: 'nothing' };
    } catch (error) {
      if (error instanceof SourceError)
        throw new UserError('nowPlaying.sourceUnavailable', { source, failure: error.failure });
      throw error;
    }
  }

  const nowPlaying: NowPlayingDeps = {
    async sourcesOf(memberId) {
      const found: NowPlayingSource[] = [];
      if (await accounts.repo.getLink(memberId)) found.push('spotify');
      const links = (await services.sources?.links.linksOf(memberId)) ?? [];
      for (const source of ['listenbrainz', 'lastfm'] as const)
        if (links.some((l) => l.source === source) && services.sources?.readers[source]) found.push(source);
      return found;
    },
    read: (memberId, source) => (source === 'spotify' ? readSpotify(memberId) : readSource(memberId, source)),
    lastFromHistory: (memberId) => reader.lastPlay(memberId),
    counts: (memberId, track) => reader.counts(memberId, track),
    ...(services.social
      ? {
          listenersOf: (guildId: string, artistId: string) =>
            services.social!.repo.whoKnows(guildId, 'artist', artistId, LISTENERS_CAP),
        }
      : {}),
    consentUrl: (memberId, guildId) => startLink(accounts.linking, memberId, guildId),
  };
  return { name: 'nowPlaying', services: { nowPlaying } };
};

import type { EAlbum, EArtist, EEpisode, EItem, EPlaylist, ETrack, EUser, World } from './seed.js';

/** Spotify's JSON shapes as a development-mode app sees them in 2026 (no popularity, followers, markets). */
export function createSerializers(
  world: World,
  apiUrl: () => string,
  /** An album's cover images as Spotify lists them (640, 300, 64 px), or none (covers.ts). */
  albumImages: (albumId: string) => Array<{ url: string; width: number; height: number }> = () => [],
) {
  const ext = (type: string, id: string) => ({ spotify: `https://open.spotify.com/${type}/${id}` });
  const simpleArtist = (a: EArtist) => ({
    id: a.id,
    name: a.name,
    type: 'artist',
    uri: `spotify:artist:${a.id}`,
    href: `${apiUrl()}/artists/${a.id}`,
    external_urls: ext('artist', a.id),
  });
  const artist = (a: EArtist) => ({ ...simpleArtist(a), genres: a.genres, images: [] });
  const album = (al: EAlbum) => ({
    id: al.id,
    name: al.name,
    type: 'album',
    album_type: 'album',
    uri: `spotify:album:${al.id}`,
    href: `${apiUrl()}/albums/${al.id}`,
    external_urls: ext('album', al.id),
    release_date: al.releaseDate,
    release_date_precision: al.releaseDate.length === 4 ? 'year' : 'day',
    total_tracks: 1,
    images: albumImages(al.id),
    available_markets: [],
    album_group: 'album',
    artists: al.artistIds.map((id) => simpleArtist(world.artists.get(id)!)),
  });
  const track = (t: ETrack) => ({
    id: t.id,
    name: t.name,
    type: 'track',
    uri: `spotify:track:${t.id}`,
    href: `${apiUrl()}/tracks/${t.id}`,
    external_urls: ext('track', t.id),
    duration_ms: t.durationMs,
    explicit: false,
    is_local: false,
    track_number: 1,
    disc_number: 1,
    external_ids: { isrc: t.isrc },
    artists: t.artistIds.map((id) => simpleArtist(world.artists.get(id)!)),
    album: album(world.albums.get(t.albumId)!),
  });
  const episode = (e: EEpisode) => ({
    id: e.id,
    name: e.name,
    type: 'episode',
    uri: `spotify:episode:${e.id}`,
    href: `${apiUrl()}/episodes/${e.id}`,
    external_urls: ext('episode', e.id),
    duration_ms: e.durationMs,
    explicit: false,
    description: '',
    html_description: '',
    audio_preview_url: null,
    is_externally_hosted: false,
    is_playable: true,
    languages: ['en'],
    release_date: '2026-01-01',
    release_date_precision: 'day',
    images: [],
    show: {
      id: 'encorepodcastshow00001',
      name: e.show,
      type: 'show',
      uri: 'spotify:show:encorepodcastshow00001',
      href: `${apiUrl()}/shows/encorepodcastshow00001`,
      external_urls: ext('show', 'encorepodcastshow00001'),
      description: '',
      html_description: '',
      explicit: false,
      images: [],
      is_externally_hosted: false,
      languages: ['en'],
      media_type: 'audio',
      publisher: 'Encore',
      total_episodes: 30,
      available_markets: [],
      copyrights: [],
    },
  });
  const localTrack = (item: Extract<EItem, { kind: 'local' }>) => ({
    id: null,
    name: item.name,
    type: 'track',
    uri: `spotify:local:${encodeURIComponent(item.artist)}::${encodeURIComponent(item.name)}:${Math.round(item.durationMs / 1000)}`,
    href: null,
    external_urls: {},
    duration_ms: item.durationMs,
    is_local: true,
    artists: [{ id: null, name: item.artist, type: 'artist', uri: null, href: null, external_urls: {} }],
    album: { id: null, name: '', type: 'album', uri: null, artists: [], images: [], release_date: null },
  });
  const user = (u: EUser) => ({
    id: u.id,
    display_name: u.displayName,
    type: 'user',
    uri: `spotify:user:${u.id}`,
    href: `${apiUrl()}/users/${u.id}`,
    external_urls: ext('user', u.id),
    images: [],
  });
  const owner = (id: string) => {
    const u = world.users.get(id);
    return u
      ? user(u)
      : {
          id,
          display_name: 'Spotify',
          type: 'user',
          uri: `spotify:user:${id}`,
          href: `${apiUrl()}/users/${id}`,
          external_urls: ext('user', id),
        };
  };
  const playlistItem = (item: EItem) => {
    const content =
      item.kind === 'track'
        ? track(world.tracks.get(item.id)!)
        : item.kind === 'episode'
          ? episode(world.episodes.get(item.id)!)
          : localTrack(item);
    // The 2026 API renamed `track` to `item`; the old key is still sent alongside.
    return {
      added_at: item.addedAt,
      added_by: owner(item.addedBy),
      is_local: item.kind === 'local',
      item: content,
      track: content,
    };
  };
  const playlist = (p: EPlaylist, withItems = false) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    type: 'playlist',
    uri: `spotify:playlist:${p.id}`,
    href: `${apiUrl()}/playlists/${p.id}`,
    external_urls: ext('playlist', p.id),
    public: p.public,
    collaborative: p.collaborative,
    snapshot_id: snapshotId(p),
    images: [],
    owner: owner(p.ownerId),
    // Spotify embeds the first page of items in the playlist object (full pages only in GET /playlists/{id}).
    items: firstPage(p, withItems),
    tracks: firstPage(p, withItems),
  });
  const firstPage = (p: EPlaylist, withItems: boolean) => ({
    href: `${apiUrl()}/playlists/${p.id}/items?offset=0&limit=50`,
    items: withItems ? p.items.slice(0, 50).map(playlistItem) : [],
    limit: 50,
    offset: 0,
    next: p.items.length > 50 ? `${apiUrl()}/playlists/${p.id}/items?offset=50&limit=50` : null,
    previous: null,
    total: p.items.length,
  });
  return { artist, simpleArtist, album, track, episode, user, playlist, playlistItem };
}

export const snapshotId = (p: EPlaylist) => Buffer.from(`${p.id}:${p.snapshot}`).toString('base64url');

import { topGenresFromArtists, type GenreShare } from '../../core/taste/index.js';

export type TimeRange = 'short_term' | 'medium_term' | 'long_term';
export type MemberChartKind = 'top-genres' | 'top-artists' | 'top-tracks' | 'listening-clock' | 'genre-mix';

/** What the chart use case needs from Spotify: the member's top lists (full artist objects carry genres). */
export interface TopItemsSource {
  topArtists(
    range: TimeRange,
    limit: number,
  ): Promise<ReadonlyArray<{ id: string; name: string; genres: readonly string[] }>>;
  topTracks(
    range: TimeRange,
    limit: number,
  ): Promise<ReadonlyArray<{ name: string; artists: ReadonlyArray<{ name: string }> }>>;
  /** Optional: genres for artists whose Spotify genre list is empty (the resolver chain: cache, MusicBrainz …). */
  genresForArtists?(artists: Array<{ id: string; name: string }>): Promise<ReadonlyMap<string, readonly string[]>>;
}

interface Titled {
  title: string;
  subtitle: string;
}
/** A bar's length and the figure printed at its end, when real counts are known (history). */
interface Valued {
  value?: number;
  valueLabel?: string;
}
export type MemberChartData =
  | (Titled & { kind: 'top-genres'; genres: Array<GenreShare & Valued> })
  | (Titled & { kind: 'top-artists'; artists: Array<{ name: string } & Valued> })
  | (Titled & { kind: 'top-tracks'; tracks: Array<{ name: string; artist: string } & Valued> })
  | (Titled & { kind: 'listening-clock'; cells: Array<{ weekday: number; hour: number; minutes: number }> })
  | (Titled & { kind: 'genre-mix'; points: Array<{ week: string; genre: string; share: number }> });

export const RANGE_LABELS: Record<TimeRange, string> = {
  short_term: 'Last 4 weeks',
  medium_term: 'Last 6 months',
  long_term: 'Last 12 months',
};

/**
 * The data behind a member's /chart, from their Spotify top items (one or two requests). The clock
 * and the genre mix exist only in collected history (historyChart.ts draws them); when this process
 * has no history, they come back empty and the chart says so instead of guessing.
 */
export async function memberChartData(
  kind: MemberChartKind,
  range: TimeRange,
  source: TopItemsSource,
): Promise<MemberChartData> {
  const period = RANGE_LABELS[range];
  switch (kind) {
    case 'top-genres': {
      const artists = await source.topArtists(range, 50);
      const missing = artists.filter((a) => a.genres.length === 0).map((a) => ({ id: a.id, name: a.name }));
      const extra =
        missing.length && source.genresForArtists
          ? await source.genresForArtists(missing)
          : new Map<string, readonly string[]>();
      const withGenres = artists.map((a) => ({ genres: a.genres.length ? a.genres : (extra.get(a.id) ?? []) }));
      const top = topGenresFromArtists(withGenres);
      const note = top.unclassifiedArtists ? ` · ${top.unclassifiedArtists} without a known genre` : '';
      return {
        kind,
        title: 'Your top genres',
        subtitle: `${period} · from your top ${artists.length} artists${note}`,
        genres: top.genres,
      };
    }
    case 'top-artists': {
      const artists = await source.topArtists(range, 10);
      return { kind, title: 'Your top artists', subtitle: period, artists: artists.map((a) => ({ name: a.name })) };
    }
    case 'top-tracks': {
      const tracks = await source.topTracks(range, 10);
      return {
        kind,
        title: 'Your top tracks',
        subtitle: period,
        tracks: tracks.map((t) => ({
          name: t.name,
          artist: t.artists.map((a) => a.name).join(', ') || 'Unknown artist',
        })),
      };
    }
    case 'listening-clock':
      return { kind, title: 'Your listening clock', subtitle: period, cells: [] };
    case 'genre-mix':
      return { kind, title: 'Your genre mix', subtitle: period, points: [] };
  }
}

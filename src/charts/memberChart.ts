import type { MemberChartData } from '../app/charts/memberChart.js';
import {
  genreMixChart,
  listeningClockChart,
  topArtistsChart,
  topGenresChart,
  topTracksChart,
  type ChartResult,
} from './builders.js';

/** Turns a member chart's data into a chart request (or a "not enough data" result). */
export function buildMemberChart(data: MemberChartData): ChartResult {
  const titles = { title: data.title, subtitle: data.subtitle };
  switch (data.kind) {
    case 'top-genres':
      return topGenresChart(data.genres, titles);
    case 'top-artists':
      return topArtistsChart(data.artists, titles);
    case 'top-tracks':
      return topTracksChart(data.tracks, titles);
    case 'listening-clock':
      return listeningClockChart(data.cells, titles);
    case 'genre-mix':
      return genreMixChart(data.points, titles);
  }
}

import type { ServerChartData } from '../app/social/social.js';
import { PERIOD_LABELS, type HistoryPeriod } from '../core/history/index.js';
import { genreDisplayName } from '../core/taste/index.js';
import { listeningClockChart, topArtistsChart, topGenresChart, type ChartResult } from './builders.js';

const plays = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'play' : 'plays'}`;

/**
 * A server chart (/chart scope:server): the titles say it is the server's, so the alt text does
 * too; only members who share their listening there are counted.
 */
export function buildServerChart(
  data: ServerChartData,
  context: { guildName: string; period: HistoryPeriod },
): ChartResult {
  const subtitle = `${PERIOD_LABELS[context.period]} · members who share their listening here`;
  switch (data.kind) {
    case 'top-genres': {
      // Shares of all the listening, as a member's own genre chart and the digest count them; what is
      // not classified yet is drawn last (the rule in src/core/taste/unclassified.ts).
      const total = data.genres.reduce((sum, g) => sum + g.ms, 0);
      return topGenresChart(
        data.genres.map((g) => ({ genre: genreDisplayName(g.genre), share: total > 0 ? g.ms / total : 0 })),
        { title: `Top genres in ${context.guildName}`, subtitle },
      );
    }
    case 'top-artists':
      return topArtistsChart(
        data.artists.map((a) => ({ name: a.name, value: a.plays, valueLabel: plays(a.plays) })),
        { title: `Top artists in ${context.guildName}`, subtitle },
      );
    case 'listening-clock':
      return listeningClockChart(
        data.cells.map(({ weekday, hour, minutes }) => ({ weekday, hour, minutes })),
        {
          title: `When ${context.guildName} listens`,
          subtitle: `${subtitle} · UTC · minutes from plays × the mean play length`,
        },
      );
  }
}

import type { DigestDeps } from '../../app/digest/ports.js';
import { isEmptyChart, listeningClockChart, topArtistsChart, topGenresChart } from '../../charts/builders.js';
import type { ChartRenderer } from '../../charts/index.js';
import { genreLabel } from '../../core/history/index.js';
import { digestChartTitles, listeningTime } from '../../discord/messages/digestMessages.js';

/** The digest's and the weekly-wrapped DM's charts: drawn here, titled by the message builders. */
export function digestCharts(charts: ChartRenderer): Pick<DigestDeps, 'wrappedCard' | 'charts'> {
  return {
    async wrappedCard(week) {
      const chart = topArtistsChart(
        week.topArtists.map((a) => ({ name: a.name, value: a.ms, valueLabel: listeningTime(a.ms) })),
        { title: digestChartTitles.wrappedArtists(week.period) },
      );
      return isEmptyChart(chart) ? undefined : { png: await charts.render(chart), altText: chart.altText };
    },
    async charts(digest) {
      const wanted = [
        {
          name: 'digest-genres.png',
          chart: topGenresChart(
            digest.topGenres.map((g) => ({ genre: genreLabel(g.genre), share: g.share })),
            { title: digestChartTitles.genres },
          ),
        },
        {
          name: 'digest-clock.png',
          chart: listeningClockChart(digest.clock, { title: digestChartTitles.clock }),
        },
      ];
      const drawn = [];
      for (const { name, chart } of wanted)
        if (!isEmptyChart(chart))
          drawn.push({ name, title: chart.title, png: await charts.render(chart), altText: chart.altText });
      return drawn;
    },
  };
}

import { describe, expect, it } from 'vitest';
import type { LeaderboardView } from '../../src/app/social/social.js';
import { decodeComponentId } from '../../src/discord/customId.js';
import { leaderboardMessage, metricValue } from '../../src/discord/messages/socialMessages.js';
import { buttons, layoutTexts } from '../support/messages.js';

const view = (over: Partial<LeaderboardView>): LeaderboardView => ({
  metric: 'minutes',
  period: 'week',
  page: 0,
  pages: 1,
  total: 0,
  rows: [],
  you: { kind: 'hidden' },
  ...over,
});
const context = { guildName: 'Server', callerId: 'caller' };

describe('leaderboard messages', () => {
  it('an empty board says how members join (/link, then /privacy), with no buttons', () => {
    const message = leaderboardMessage(view({}), context);
    expect(JSON.stringify(layoutTexts(message))).toContain('/link');
    expect(JSON.stringify(layoutTexts(message))).toContain('/privacy');
    expect(buttons(message)).toEqual([]);
    expect(message.allowedMentions).toEqual({ parse: [] });
  });

  it('page buttons carry the board, the page and the asker, and stop at either end', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ memberId: `m${i}`, value: 100 - i, rank: i + 1 }));
    const message = leaderboardMessage(
      view({ rows, pages: 3, page: 2, total: 25, metric: 'plays', period: 'all' }),
      context,
    );
    const [previous, next] = buttons(message) as Array<{ custom_id: string; disabled: boolean }>;
    expect(decodeComponentId(previous!.custom_id)).toEqual({
      command: 'leaderboard',
      action: 'prev',
      fields: ['plays', 'all', '1', 'caller'],
    });
    expect(next!.disabled).toBe(true);
    expect(previous!.disabled).toBe(false);
  });

  it('values read as a person would say them', () => {
    expect(metricValue('minutes', 125 * 60_000)).toBe('2 h 5 min');
    expect(metricValue('plays', 1)).toBe('1 play');
    expect(metricValue('artists', 1200)).toBe('1,200 artists');
    expect(metricValue('diversity', 2)).toBe('2.00 bits (≈4 genres evenly)');
    expect(metricValue('discoveries', 3)).toBe('3 new artists');
  });
});

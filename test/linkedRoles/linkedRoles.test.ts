import { describe, expect, it } from 'vitest';
import {
  DiscordRateLimitedError,
  refreshRoleConnections,
  type DiscordRoleConnectionsApi,
  type LinkedRolesDeps,
  type RoleConnection,
} from '../../src/app/linkedRoles/linkedRoles.js';
import { roleMetadataValues, type RoleFigures } from '../../src/core/linkedRoles.js';
import { createTokenCipher } from '../../src/store/accounts/tokenCipher.js';
import {
  createRoleConnectionsRepository,
  createRoleFiguresReader,
} from '../../src/store/linkedRoles/roleConnectionsRepository.js';
import { useTestStore } from '../support/database.js';

const DAY = 86_400_000;
const store = useTestStore();

describe('Linked Roles figures', () => {
  it('counts this UTC month’s hours, the most crowns held in one server, and the earliest link', async () => {
    const pool = store().pool;
    const now = Date.UTC(2026, 10, 20, 12);
    await pool.query(`INSERT INTO artists (id, name) VALUES ('a1', 'A1'), ('a2', 'A2'), ('a3', 'A3')`);
    await pool.query(
      `INSERT INTO member_daily (member_id, day, plays, ms) VALUES
         ('m1', '2026-10-31', 50, 36000000), ('m1', '2026-11-01', 20, 5400000), ('m1', '2026-11-20', 30, 5400000)`,
    );
    await pool.query(
      `INSERT INTO crowns (guild_id, artist_id, holder_id, plays, since) VALUES
         ('g1', 'a1', 'm1', 40, now()), ('g1', 'a2', 'm1', 40, now()), ('g2', 'a1', 'm1', 40, now()),
         ('g2', 'a2', 'm2', 40, now()), ('g2', 'a3', 'm1', 40, now())`,
    );
    await pool.query(
      `INSERT INTO source_links (member_id, source, user_name, linked_at) VALUES ('m1', 'lastfm', 'm1fm', $1)`,
      [new Date(now - 40 * DAY)],
    );
    const reader = createRoleFiguresReader(pool, async (id) => (id === 'm1' ? now - 10 * DAY : undefined));
    const figures = await reader.figuresOf('m1', now);
    // October's 10 hours are not November's; crowns are per server (2 in g1, 2 in g2), never added up.
    expect(figures).toEqual({ msThisMonth: 10_800_000, crowns: 2, linkedSince: now - 40 * DAY });
    expect(roleMetadataValues(figures)).toEqual({
      hours_this_month: '3',
      crowns: '2',
      linked_since: new Date(now - 40 * DAY).toISOString(),
    });
    expect(await reader.figuresOf('nobody', now)).toEqual({ msThisMonth: 0, crowns: 0 });
    expect(roleMetadataValues({ msThisMonth: 0, crowns: 0 })).toEqual({ hours_this_month: '0', crowns: '0' });
  });

  it('stores the grant sealed and reads it back', async () => {
    const cipher = createTokenCipher([Buffer.alloc(32, 3).toString('base64')]);
    const repo = createRoleConnectionsRepository(store(), cipher);
    const grant = { accessToken: 'access-secret', refreshToken: 'refresh-secret', expiresAt: 5, scope: 'identify' };
    await repo.save({ discordUserId: 'm9', username: 'nine', grant, connectedAt: 1 });
    const { rows } = await store().pool.query<{ g: string }>(
      `SELECT grant_sealed::text AS g FROM linked_role_connections WHERE member_id = 'm9'`,
    );
    expect(rows[0]!.g).not.toContain('secret');
    expect((await repo.get('m9'))!.grant).toEqual(grant);
    expect(await repo.delete('m9')).toBe(true);
    expect(await repo.get('m9')).toBeUndefined();
  });
});

describe('the refresh job’s pacing', () => {
  /** Three connected members whose figures all changed, and a Discord that answers as told. */
  function world(answers: Array<'ok' | 429 | 'bucket-empty'>) {
    const connections = new Map<string, RoleConnection>(
      ['m1', 'm2', 'm3'].map((id) => [
        id,
        {
          discordUserId: id,
          username: id,
          grant: { accessToken: `t-${id}`, refreshToken: 'r', expiresAt: Number.MAX_SAFE_INTEGER, scope: '' },
          connectedAt: 0,
          lastPushed: roleMetadataValues({ msThisMonth: 0, crowns: 0 }),
        },
      ]),
    );
    const events: string[] = [];
    const discord: DiscordRoleConnectionsApi = {
      authorizeUrl: () => '',
      exchangeCode: () => Promise.reject(new Error('unused')),
      refresh: () => Promise.reject(new Error('unused')),
      currentUser: () => Promise.reject(new Error('unused')),
      async pushRoleConnection(token) {
        const answer = answers.shift() ?? 'ok';
        events.push(`push ${token} → ${answer}`);
        if (answer === 429) throw new DiscordRateLimitedError(2_500);
        return { waitMs: answer === 'bucket-empty' ? 4_000 : 0 };
      },
    };
    const deps: LinkedRolesDeps = {
      discord,
      figures: { figuresOf: async (): Promise<RoleFigures> => ({ msThisMonth: 7_200_000, crowns: 1 }) },
      repo: {
        get: async (id) => connections.get(id),
        save: async (c) => void connections.set(c.discordUserId, c),
        markPushed: async (id, values) => void connections.set(id, { ...connections.get(id)!, lastPushed: values }),
        listMembers: async () => [...connections.keys()],
        delete: async (id) => connections.delete(id),
        saveState: async () => {},
        consumeState: async () => undefined,
      },
    };
    const pacing = { spacingMs: 1_000, sleep: async (ms: number) => void events.push(`wait ${ms}`) };
    return { deps, pacing, events };
  }

  it('pushes one at a time, spaced, longer when Discord’s bucket is empty; a 429 waits its retry_after once', async () => {
    const { deps, pacing, events } = world(['bucket-empty', 429, 'ok', 'ok']);
    const counts = await refreshRoleConnections(deps, 0, pacing);
    expect(counts).toEqual({ pushed: 3, unchanged: 0, gone: 0, rateLimited: false });
    expect(events).toEqual([
      'push t-m1 → bucket-empty',
      'wait 4000',
      'push t-m2 → 429',
      'wait 2500',
      'push t-m2 → ok',
      'wait 1000',
      'push t-m3 → ok',
    ]);
    // Nothing changed since: a second run pushes nothing.
    expect(await refreshRoleConnections(deps, 0, pacing)).toEqual({
      pushed: 0,
      unchanged: 3,
      gone: 0,
      rateLimited: false,
    });
  });

  it('stops the run at a second 429 in a row, leaving the rest to the next tick', async () => {
    const { deps, pacing, events } = world([429, 429]);
    expect(await refreshRoleConnections(deps, 0, pacing)).toEqual({
      pushed: 0,
      unchanged: 0,
      gone: 0,
      rateLimited: true,
    });
    expect(events).toEqual(['push t-m1 → 429', 'wait 2500', 'push t-m1 → 429']);
  });
});

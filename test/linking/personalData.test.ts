import { describe, expect, it } from 'vitest';
import { createPersonalDataRegistry, unlinkMember } from '../../src/app/accounts/personalData.js';
import { unlinkedMessage } from '../../src/discord/messages/accountMessages.js';
import { userKeyedNamespace } from '../../src/store/accounts/personalNamespaces.js';
import { useTestStore } from '../support/database.js';
import { aMemberId } from './factories.js';

const store = useTestStore();
const keys = async () =>
  (await store().pool.query<{ key: string }>('SELECT key FROM keyv ORDER BY key')).rows.map((r) => r.key);

describe('the registry of personal data that /unlink erases', () => {
  it('erases a registered namespace keyed by the member: their keys and sub-keys, no one else’s', async () => {
    const member = aMemberId();
    const history = store().namespace<number>('history');
    await history.set(member, 1);
    await history.set(`${member}:2026-11-20`, 2);
    await history.set(`${member}:2026-11-21`, 3);
    await history.set(`${member}0`, 4); // another member whose id merely starts the same
    await history.set('other-member:2026-11-20', 5);
    const registry = createPersonalDataRegistry([userKeyedNamespace(store(), 'history', 'listening-history')]);
    expect(await unlinkMember(registry, member)).toEqual({ deleted: [{ kind: 'listening-history', count: 3 }] });
    expect((await keys()).filter((k) => k.startsWith('history:'))).toEqual([
      `history:${member}0`,
      'history:other-member:2026-11-20',
    ]);
    expect(await unlinkMember(registry, member)).toEqual({ deleted: [] });
  });

  it('reports what each kind deleted, in the order the kinds were registered', async () => {
    const registry = createPersonalDataRegistry();
    registry.register({ name: 'first', erase: async () => [{ kind: 'spotify-link', count: 1 }] });
    registry.register({ name: 'empty', erase: async () => [] });
    registry.register({ name: 'last', erase: async () => [{ kind: 'sort-jobs', count: 2 }] });
    expect(registry.names()).toEqual(['first', 'empty', 'last']);
    const { deleted } = await unlinkMember(registry, aMemberId());
    expect(deleted).toEqual([
      { kind: 'spotify-link', count: 1 },
      { kind: 'sort-jobs', count: 2 },
    ]);
    // One builder words the receipt the member reads.
    expect(JSON.stringify(unlinkedMessage(deleted))).toContain('Deleted: your Spotify link, 2 sort jobs.');
  });

  it('keeps erasing when one kind fails, then reports the failure', async () => {
    const erased: string[] = [];
    const registry = createPersonalDataRegistry([
      { name: 'broken', erase: async () => Promise.reject(new Error('database went away')) },
      { name: 'fine', erase: async (id) => (erased.push(id), [{ kind: 'privacy', count: 1 }]) },
    ]);
    const member = aMemberId();
    await expect(unlinkMember(registry, member)).rejects.toThrow('database went away');
    expect(erased).toEqual([member]);
  });

  it('refuses the same kind twice, so no feature is erased by two owners', () => {
    const registry = createPersonalDataRegistry([{ name: 'privacy', erase: async () => [] }]);
    expect(() => registry.register({ name: 'privacy', erase: async () => [] })).toThrow('registered twice');
  });
});

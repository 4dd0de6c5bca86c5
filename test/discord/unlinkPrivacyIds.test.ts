import { describe, expect, it } from 'vitest';
import type { PrivacySettings } from '../../src/app/privacy/privacy.js';
import { unlinkComponentIds, unlinkQuestionMessage } from '../../src/discord/messages/accountMessages.js';
import { privacyComponentIds, privacyMessage } from '../../src/discord/messages/privacyMessage.js';
import { leaderboardComponentIds, leaderboardPageId } from '../../src/discord/messages/socialMessages.js';
import { suggestComponentIds } from '../../src/discord/messages/suggestMessage.js';

const customIds = (message: { components: Array<{ toJSON(): unknown }> }) =>
  message.components.flatMap((row) =>
    (row.toJSON() as { components: Array<{ custom_id: string }> }).components.map((c) => c.custom_id),
  );
const settings = (over: Partial<PrivacySettings> = {}): PrivacySettings => ({
  visibleIn: [],
  weeklyDm: false,
  ...over,
});

describe('/unlink component ids', () => {
  it('carry the asker in the format already-posted questions use, and decode back to them', () => {
    const ids = customIds(unlinkQuestionMessage('4242'));
    expect(ids).toEqual(['unlink:confirm:4242', 'unlink:cancel:4242']);
    expect(ids.map((id) => unlinkComponentIds.decode(id))).toEqual([
      { action: 'confirm', ownerId: '4242' },
      { action: 'cancel', ownerId: '4242' },
    ]);
  });

  it('decode a forged or malformed id to nothing (an unknown action never erases anything)', () => {
    for (const forged of [
      'unlink:erase:4242',
      'unlink:confirm',
      'unlink:confirm:',
      'unlink:confirm:4242:x',
      'sort:confirm:4242',
    ])
      expect(unlinkComponentIds.decode(forged), forged).toBeUndefined();
  });
});

describe('/privacy component ids', () => {
  it('keep each button\'s field order, so the buttons of "Linked as" DMs sent earlier still work', () => {
    const inServer = customIds(privacyMessage(settings(), { id: '77', name: 'Club' }));
    expect(inServer).toEqual(['privacy:visible:77:on', 'privacy:dm:on:77']);
    expect(inServer.map((id) => privacyComponentIds.decode(id))).toEqual([
      { action: 'visible', guildId: '77', to: 'on' },
      { action: 'dm', to: 'on', guildId: '77' },
    ]);
    // In a DM the panel is about no server: the weekly-DM button carries none.
    const inDm = customIds(privacyMessage(settings({ weeklyDm: true })));
    expect(inDm).toEqual(['privacy:dm:off:']);
    expect(privacyComponentIds.decode(inDm[0]!)).toEqual({ action: 'dm', to: 'off', guildId: '' });
  });

  it('decode a forged or malformed id to nothing: showing oneself always names a server', () => {
    for (const forged of [
      'privacy:visible::on',
      'privacy:visible:77',
      'privacy:dm:on',
      'privacy:share:77:on',
      'privacy:dm::77',
      'unlink:dm:on:77',
    ])
      expect(privacyComponentIds.decode(forged), forged).toBeUndefined();
  });
});

describe('/leaderboard and /suggest component ids', () => {
  it('keep the format of buttons already posted and decode forged or malformed ids to nothing', () => {
    expect(leaderboardPageId('plays', 'all', 1, 'caller', 'prev')).toBe('leaderboard:prev:plays:all:1:caller');
    expect(leaderboardComponentIds.decode('leaderboard:next:minutes:week:2:caller')).toEqual({
      action: 'next',
      metric: 'minutes',
      period: 'week',
      page: '2',
      ownerId: 'caller',
    });
    expect(suggestComponentIds.decode('suggest:save:ans1:4242')).toEqual({
      action: 'save',
      answerId: 'ans1',
      ownerId: '4242',
    });
    for (const forged of ['leaderboard:jump:plays:all:1:caller', 'leaderboard:next:plays:all:1', 'suggest:save:ans1'])
      expect(leaderboardComponentIds.decode(forged) ?? suggestComponentIds.decode(forged), forged).toBeUndefined();
    expect(suggestComponentIds.decode('suggest:delete:ans1:4242')).toBeUndefined();
    expect(suggestComponentIds.decode('suggest:save::4242')).toBeUndefined();
  });
});

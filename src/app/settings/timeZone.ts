import { timeZoneLabel } from '../../core/time/timeZoneLabel.js';
import { erased, type PersonalDataKind } from '../accounts/personalData.js';
import type { MemberSettingsRepository } from '../charts/ports.js';
import { UserError } from '../../core/errors.js';
import { canonicalTimeZone, matchTimeZones } from '../../core/history/index.js';

/**
 * Saves the member's time zone after Intl has confirmed it is a real IANA zone, in its canonical
 * spelling; anything else is the member's to fix.
 */
export async function setMemberTimeZone(
  repo: MemberSettingsRepository,
  memberId: string,
  input: string,
): Promise<string> {
  const zone = canonicalTimeZone(input);
  if (!zone) throw new UserError('settings.unknownTimeZone', { input: input.slice(0, 64) });
  await repo.setTimeZone(memberId, zone);
  return zone;
}

/** Autocomplete for /settings timezone: at most 25 zones matching what was typed. */
export function timeZoneChoices(typed: string): Array<{ name: string; value: string }> {
  return matchTimeZones(typed, 25).map((zone) => ({ name: timeZoneLabel(zone), value: zone }));
}

/** The member's settings (their time zone), for /unlink. */
export const memberSettingsData = (repo: MemberSettingsRepository): PersonalDataKind => ({
  name: 'member-settings',
  erase: async (id) => erased('member-settings', await repo.deleteForUser(id)),
});

import type { DigestDeps } from '../../app/digest/ports.js';
import type { Services } from '../../app/services.js';
import { withdrawGone } from '../../app/social/membership.js';
import { crownChangesForDigest } from '../../app/social/social.js';

/** Server social as the digest uses it (crown changes, members gone), when that feature is on. */
export function socialForDigest(social: Services['social']): DigestDeps['social'] {
  return (
    social && {
      crownChanges: (guildId: string, from: number, to: number) =>
        crownChangesForDigest(social, guildId, from, to).then((changes) =>
          changes.map((c) => ({ artist: c.artistName, toId: c.toId, fromId: c.fromId, plays: c.plays })),
        ),
      withdrawGone: (guildId: string, memberIds: readonly string[]) => withdrawGone(social, guildId, memberIds),
    }
  );
}

import { timeZoneLabel } from '../../core/time/timeZoneLabel.js';
import { brandEmbed } from '../replies.js';

/** /settings timezone: what was saved and where it shows. */
export function timeZoneSavedMessage(timeZone: string, now: number) {
  const localTime = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  }).format(now);
  return {
    embeds: [
      brandEmbed({
        title: 'Time zone saved',
        description: `Your time zone is now **${timeZoneLabel(timeZone)}** (it is ${localTime} there). Your listening clock (**/chart kind:listening-clock**) counts hours in it.`,
      }),
    ],
  };
}

/** /settings timezone without a zone: what is set now. */
export function timeZoneShownMessage(timeZone: string | undefined, defaultZone: string) {
  return {
    embeds: [
      brandEmbed({
        title: 'Your time zone',
        description: timeZone
          ? `Your time zone is **${timeZoneLabel(timeZone)}**. Change it with **/settings timezone zone:<name>**.`
          : `You haven’t set a time zone, so charts use **${timeZoneLabel(defaultZone)}**. Set yours with **/settings timezone zone:<name>** (start typing a city).`,
      }),
    ],
  };
}

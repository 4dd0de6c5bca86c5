/**
 * A time zone as members read it: the IANA name with its underscores as spaces
 * ("America/Argentina/La_Rioja" → "America/Argentina/La Rioja"). Stored and submitted values keep
 * the IANA spelling; every message and autocomplete list shows this label.
 */
export function timeZoneLabel(timeZone: string): string {
  return timeZone.replace(/_/g, ' ');
}

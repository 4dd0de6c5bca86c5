/**
 * Linked Roles (issue 26): the figures a server can require for a role, as Discord's application
 * role connection metadata. Discord keeps one set of values per user per application, not per
 * server, so every figure here is the member's own across Encore (crowns: the most they hold in
 * any one server). See docs/discord-linked-roles.md.
 */

/** Discord's ApplicationRoleConnectionMetadataType values that Encore uses. */
export const INTEGER_GREATER_THAN_OR_EQUAL = 2;
export const DATETIME_GREATER_THAN_OR_EQUAL = 6;

export interface RoleConnectionMetadataRecord {
  key: string;
  name: string;
  description: string;
  type: number;
}

/** What `npm run deploy-commands` registers: at most 5 records, keys a-z0-9_ (1–50). */
export const ROLE_CONNECTION_METADATA: readonly RoleConnectionMetadataRecord[] = [
  {
    key: 'hours_this_month',
    name: 'Hours listened this month',
    description: 'Hours of music Encore counted this calendar month (UTC)',
    type: INTEGER_GREATER_THAN_OR_EQUAL,
  },
  {
    key: 'crowns',
    name: 'Artist crowns',
    description: 'The most artist crowns the member holds in any one server Encore shares with them',
    type: INTEGER_GREATER_THAN_OR_EQUAL,
  },
  {
    key: 'linked_since',
    name: 'Days since linking Encore',
    description: 'Days since the member first linked a listening account to Encore',
    type: DATETIME_GREATER_THAN_OR_EQUAL,
  },
];

/** The member's figures, as read from the history, the crowns and the links. */
export interface RoleFigures {
  /** Milliseconds listened in the current UTC calendar month. */
  msThisMonth: number;
  /** The most crowns held in one server. */
  crowns: number;
  /** When the member first linked a listening account (epoch ms); undefined when they never did. */
  linkedSince?: number;
}

/** Metadata values as Discord takes them: every value a string (integers in base 10, dates ISO 8601). */
export type RoleMetadataValues = Record<string, string>;

const HOUR_MS = 3_600_000;

/** The values pushed for these figures. Whole hours only: Discord compares integers, and a value that changes less often is pushed less. */
export function roleMetadataValues(figures: RoleFigures): RoleMetadataValues {
  return {
    hours_this_month: String(Math.floor(Math.max(0, figures.msThisMonth) / HOUR_MS)),
    crowns: String(Math.max(0, figures.crowns)),
    ...(figures.linkedSince !== undefined ? { linked_since: new Date(figures.linkedSince).toISOString() } : {}),
  };
}

/** True when two pushes would say the same thing (so the second is not sent). */
export function sameMetadata(a: RoleMetadataValues | undefined, b: RoleMetadataValues): boolean {
  if (!a) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

/** The first instant of the UTC calendar month that holds `at`. */
export function utcMonthStart(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

import { z } from 'zod';

/**
 * Spotify accepts HTTPS redirect URIs, or plain HTTP only on loopback IP literals
 * (127.0.0.1 / [::1]); `localhost` is rejected by its dashboard.
 */
function isAllowedPublicUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]');
}

function isBase64Key(value: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32;
}

const httpUrlAsWritten = (example: string) =>
  z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
    message: `must be an http(s) URL, e.g. ${example}`,
  });
const httpUrl = (example: string) => httpUrlAsWritten(example).transform((v) => v.replace(/\/+$/, ''));

const snowflake = z
  .string()
  .regex(/^\d{17,20}$/, 'must be a Discord snowflake (17–20 digits), e.g. 1234567890123456789');

/** "0", "0,1", "0-3", "0-1,4": the shard ids one process runs, ascending and without repeats. */
export function parseShardIds(text: string): number[] | undefined {
  const ids = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return undefined;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

const schema = z.object({
  DISCORD_TOKEN: z.string().min(50, 'must be the bot token from the Discord developer portal (Bot → Reset Token)'),
  DISCORD_APP_ID: snowflake,
  SPOTIFY_CLIENT_ID: z
    .string()
    .regex(/^[0-9a-zA-Z]{16,64}$/, 'must be the Client ID of your Spotify app (32 hex characters)'),
  SPOTIFY_CLIENT_SECRET: z
    .string()
    .regex(/^[0-9a-zA-Z]{16,64}$/, 'must be the Client secret of your Spotify app (32 hex characters)'),
  PUBLIC_URL: z
    .string()
    .refine(isAllowedPublicUrl, {
      message:
        'must be an https:// URL, or http:// on 127.0.0.1 or [::1] (Spotify rejects other http and "localhost"), e.g. https://encore.example.com',
    })
    .transform((v) => v.replace(/\/+$/, '')),
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      'must be a postgres:// URL, e.g. postgres://user:pass@host:5432/encore (leave unset for the embedded store)',
    )
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  ENCRYPTION_KEY: z.string().refine(isBase64Key, {
    message:
      'must be 32 random bytes in base64; generate one with: node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))"',
  }),
  PORT: z.coerce.number({ message: 'must be a port number, e.g. 3000' }).int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SPOTIFY_USER_CAP: z.coerce.number({ message: 'must be a whole number ≥ 1, e.g. 5' }).int().min(1).default(5),
  DISCORD_API_URL: httpUrl('https://discord.com/api').default('https://discord.com/api'),
  // Unset: Linked Roles is off. The OAuth2 code exchange behind /linked-roles needs the app's secret.
  DISCORD_CLIENT_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be the Client Secret from the Developer Portal (OAuth2 → Client Secret)')
    .optional(),
  SPOTIFY_API_URL: httpUrl('https://api.spotify.com/v1').default('https://api.spotify.com/v1'),
  SPOTIFY_ACCOUNTS_URL: httpUrl('https://accounts.spotify.com').default('https://accounts.spotify.com'),
  MUSICBRAINZ_URL: httpUrl('https://musicbrainz.org/ws/2').optional(),
  // The /chart cover grids: covers for releases the source gave only an MBID for; unset: the real archive.
  COVER_ART_ARCHIVE_URL: httpUrl('https://coverartarchive.org').optional(),
  // Unset: DATA_DIR/covers. Covers fetched for the grids, capped (64 MB) and refetched after 30 days.
  COVER_CACHE_DIR: z.string().min(1).optional(),
  // Unset: on. ListenBrainz needs nothing from the operator; false leaves it out of /link.
  LISTENBRAINZ_ENABLED: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
  LISTENBRAINZ_API_URL: httpUrl('https://api.listenbrainz.org').optional(),
  // Last.fm needs the operator's API account (https://www.last.fm/api/account/create): both or neither.
  LASTFM_API_KEY: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, 'must be the 32-character API key Last.fm shows for your API account')
    .optional(),
  LASTFM_SHARED_SECRET: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, 'must be the 32-character shared secret Last.fm shows beside the API key')
    .optional(),
  // Kept as written: Last.fm's addresses end in a slash that matters.
  LASTFM_API_URL: httpUrlAsWritten('https://ws.audioscrobbler.com/2.0/').optional(),
  LASTFM_AUTH_URL: httpUrlAsWritten('https://www.last.fm/api/auth/').optional(),
  // Unset: 2. Each upload may spool up to 1 GiB and read for minutes; one per member whatever this says.
  IMPORT_MAX_CONCURRENT_UPLOADS: z.coerce
    .number({ message: 'must be a whole number from 1 to 64, e.g. 2' })
    .int('must be a whole number from 1 to 64, e.g. 2')
    .min(1, 'must be a whole number from 1 to 64, e.g. 2')
    .max(64, 'must be a whole number from 1 to 64, e.g. 2')
    .optional(),
  // Unset: sized from the machine (src/charts/renderer.ts: 1 on a 512 MB or 2-core machine, at most 2).
  // Each chart worker is about 110 MB once warm; it starts with the first chart and exits when idle.
  CHART_WORKERS: z.coerce
    .number({ message: 'must be a whole number from 1 to 8, e.g. 1' })
    .int('must be a whole number from 1 to 8, e.g. 1')
    .min(1, 'must be a whole number from 1 to 8, e.g. 1')
    .max(8, 'must be a whole number from 1 to 8, e.g. 1')
    .optional(),
  // Unset: off. The Guild Members intent is privileged: Discord refuses the login (4014) unless it is
  // enabled in the developer portal. With it, a member who leaves is taken off the boards at once;
  // without it, the membership sweep finds them within minutes.
  DISCORD_MEMBERS_INTENT: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
  // Unset: one shard, as discord.js does by default. Discord requires sharding from 2,500 servers.
  DISCORD_SHARD_COUNT: z
    .string()
    .transform((value, ctx): number | 'auto' => {
      if (value === 'auto') return 'auto';
      if (/^\d{1,5}$/.test(value) && Number(value) >= 1) return Number(value);
      ctx.addIssue({ code: 'custom', message: 'must be a whole number ≥ 1 or "auto", e.g. 2' });
      return z.NEVER;
    })
    .optional(),
  DISCORD_SHARDS: z
    .string()
    .transform((value, ctx) => {
      const ids = parseShardIds(value);
      if (ids) return ids;
      ctx.addIssue({ code: 'custom', message: 'must list shard ids and ranges, e.g. "0", "0,1" or "0-3"' });
      return z.NEVER;
    })
    .optional(),
});

export type Config = Readonly<z.infer<typeof schema>>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Parses an environment into a Config, or lists one problem per bad variable. */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  // An empty variable in a .env file means "unset", not "the empty string".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) {
    const shardProblem = shardSettingsProblem(result.data) ?? lastfmSettingsProblem(result.data);
    if (!shardProblem) return { ok: true, config: Object.freeze(result.data) };
    return { ok: false, problems: [shardProblem] };
  }
  const byVariable = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? 'config');
    if (byVariable.has(name)) continue;
    const message = cleaned[name] === undefined ? 'is required but not set' : issue.message;
    byVariable.set(name, `${name} ${message}`);
  }
  return { ok: false, problems: [...byVariable.values()] };
}

/** Last.fm's key and secret only work as a pair. */
function lastfmSettingsProblem(config: z.infer<typeof schema>): string | undefined {
  if (!!config.LASTFM_API_KEY === !!config.LASTFM_SHARED_SECRET) return undefined;
  return config.LASTFM_API_KEY
    ? 'LASTFM_SHARED_SECRET is required when LASTFM_API_KEY is set (both come from your Last.fm API account)'
    : 'LASTFM_API_KEY is required when LASTFM_SHARED_SECRET is set (both come from your Last.fm API account)';
}

/** The two shard settings only make sense together: ids must exist in the count. */
function shardSettingsProblem(config: z.infer<typeof schema>): string | undefined {
  const ids = config.DISCORD_SHARDS;
  if (!ids) return undefined;
  const count = config.DISCORD_SHARD_COUNT;
  if (count === undefined)
    return 'DISCORD_SHARDS needs DISCORD_SHARD_COUNT too (the total across every process), e.g. DISCORD_SHARD_COUNT=2';
  if (count === 'auto')
    return 'DISCORD_SHARDS cannot be set with DISCORD_SHARD_COUNT=auto (Discord picks the count, so the ids are unknown): give the count, or leave DISCORD_SHARDS unset to run them all';
  const beyond = ids.filter((id) => id >= count);
  if (beyond.length)
    return `DISCORD_SHARDS has ${beyond.join(', ')}, but ids must be below DISCORD_SHARD_COUNT (${count}): 0-${count - 1}`;
  // The other shards run in other processes, which must see the same links, leases and claims.
  if (ids.length < count && !config.DATABASE_URL)
    return `DATABASE_URL must be set when DISCORD_SHARDS runs only some of the ${count} shards: every process shares one Postgres (the embedded store belongs to one process)`;
  return undefined;
}

/** The shards this process runs and the total, as discord.js takes them; undefined count means one shard. */
export function shardPlan(config: Pick<Config, 'DISCORD_SHARD_COUNT' | 'DISCORD_SHARDS'>): {
  shards: number[] | 'auto';
  shardCount: number;
} {
  const count = config.DISCORD_SHARD_COUNT ?? 1;
  if (count === 'auto') return { shards: 'auto', shardCount: 1 };
  return { shards: config.DISCORD_SHARDS ?? Array.from({ length: count }, (_, i) => i), shardCount: count };
}

/** Reads the process environment once; on a bad value prints one line per variable and exits 1. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  const result = parseConfig(env);
  if (result.ok) return result.config;
  process.stderr.write(`Encore cannot start: fix these settings (see .env.example):\n`);
  for (const line of result.problems) process.stderr.write(`  ${line}\n`);
  process.exit(1);
}

import { existsSync } from 'node:fs';
import { REST, Routes } from 'discord.js';
import { z } from 'zod';
import { COMMANDS_DIR, loadCommands } from './command.js';
import { registerRoleConnectionMetadata } from './roleConnectionMetadata.js';

/**
 * `npm run deploy-commands [-- --guild ID]`: registers every command by bulk overwrite, once per
 * release. Never on boot: Discord limits command creation to 200 a day per guild.
 */
if (existsSync('.env')) process.loadEnvFile('.env');
const env = z
  .object({
    DISCORD_TOKEN: z.string().min(50, 'must be the bot token'),
    DISCORD_APP_ID: z.string().regex(/^\d{17,20}$/, 'must be the application id (a snowflake)'),
    DISCORD_API_URL: z.string().url('must be an http(s) URL').default('https://discord.com/api'),
  })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)));
if (!env.success) {
  for (const issue of env.error.issues) process.stderr.write(`${String(issue.path[0])} ${issue.message}\n`);
  process.exit(1);
}
const guildIndex = process.argv.indexOf('--guild');
const guildId = guildIndex > 0 ? process.argv[guildIndex + 1] : undefined;
const commands = await loadCommands(COMMANDS_DIR);
const rest = new REST({ api: env.data.DISCORD_API_URL }).setToken(env.data.DISCORD_TOKEN);
const body = [...commands.values()].map((c) => c.data.toJSON());
const route = guildId
  ? Routes.applicationGuildCommands(env.data.DISCORD_APP_ID, guildId)
  : Routes.applicationCommands(env.data.DISCORD_APP_ID);
const saved = (await rest.put(route, { body })) as unknown[];
console.log(
  `Registered ${saved.length} commands ${guildId ? `in guild ${guildId}` : 'globally'}: ${[...commands.keys()].map((n) => `/${n}`).join(' ')}`,
);
// Linked Roles' figures are per application, never per guild: registered on every run.
const metadata = await registerRoleConnectionMetadata(rest, env.data.DISCORD_APP_ID);
console.log(`Registered ${metadata.length} Linked Roles figures: ${metadata.map((m) => m.key).join(' ')}`);

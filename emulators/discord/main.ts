import { startDiscordEmulator } from './index.js';

// npm run emulator:discord -- --port N [--shards N] : a Discord stand-in the real discord.js can log into.
const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : undefined;
};
const shards = arg('--shards') ?? 1;
const emulator = await startDiscordEmulator({ port: arg('--port') ?? 0, shards });
// One server per shard, so that each process of a sharded bot has one (shard 0's is the first).
for (let shard = 0; shard < shards; shard++) {
  const guild = emulator.addGuild(shard ? `Encore sandbox ${shard}` : 'Encore sandbox', ['general', 'digest'], {
    shard,
  });
  for (const name of ['alice', 'bob', 'carol']) emulator.addMember(guild, shard ? `${name}${shard}` : name);
}
console.log(`DISCORD_API_URL=${emulator.apiUrl}`);
console.log(`DISCORD_TOKEN=${emulator.token}`);
console.log(`DISCORD_APP_ID=${emulator.applicationId}`);
console.log(`DISCORD_CLIENT_SECRET=${emulator.oauth2.clientSecret}`);
if (shards > 1) console.log(`DISCORD_SHARD_COUNT=${shards}\n# and DISCORD_SHARDS=<ids> in each process`);
console.log('# Ctrl-C to stop');
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));

import { startDiscordEmulator } from './index.js';

// npm run emulator:discord -- --port N : a Discord stand-in the real discord.js can log into.
const portArg = process.argv.indexOf('--port');
const emulator = await startDiscordEmulator({ port: portArg > 0 ? Number(process.argv[portArg + 1]) : 0 });
const guild = emulator.addGuild('Encore sandbox', ['general', 'digest']);
for (const name of ['alice', 'bob', 'carol']) emulator.addMember(guild, name);
console.log(`DISCORD_API_URL=${emulator.apiUrl}`);
console.log(`DISCORD_TOKEN=${emulator.token}`);
console.log(`DISCORD_APP_ID=${emulator.applicationId}`);
console.log('# Ctrl-C to stop');
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));

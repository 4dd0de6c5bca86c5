import { startSpotifyEmulator } from './index.js';

// npm run emulator:spotify -- --port N : a Spotify stand-in anyone can point a bot at.
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
const emulator = await startSpotifyEmulator({ port });
console.log(`SPOTIFY_API_URL=${emulator.apiUrl}`);
console.log(`SPOTIFY_ACCOUNTS_URL=${emulator.accountsUrl}`);
console.log(
  `# users: ${[...emulator.world.users.values()].map((u) => `${u.id}${emulator.control.allowlist.has(u.id) ? '' : ' (not allowlisted)'}`).join(', ')}`,
);
console.log('# Ctrl-C to stop');
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));

import { startSpotifyEmulator } from './index.js';

// npm run emulator:spotify -- --port N [--listeners N] [--clusters N] [--new-releases N]: a Spotify
// stand-in anyone can point a bot at; the optional flags make the crowd the suggestions are evaluated on.
const numberArg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : undefined;
};
const port = numberArg('--port') ?? 0;
const emulator = await startSpotifyEmulator({
  port,
  listeners: numberArg('--listeners'),
  clusters: numberArg('--clusters'),
  newReleases: numberArg('--new-releases'),
});
console.log(`SPOTIFY_API_URL=${emulator.apiUrl}`);
console.log(`SPOTIFY_ACCOUNTS_URL=${emulator.accountsUrl}`);
console.log(
  `# users: ${[...emulator.world.users.values()].map((u) => `${u.id}${emulator.control.allowlist.has(u.id) ? '' : ' (not allowlisted)'}`).join(', ')}`,
);
console.log('# Ctrl-C to stop');
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));

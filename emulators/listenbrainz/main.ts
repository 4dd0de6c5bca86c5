import { startListenBrainzEmulator } from './index.js';

// npm run emulator:listenbrainz -- --port N (or LISTENBRAINZ_EMULATOR_PORT): a ListenBrainz stand-in
// anyone can point a bot at; prints the base URL and each seeded user's token.
const at = process.argv.indexOf('--port');
const port = Number(at > 0 ? process.argv[at + 1] : (process.env.LISTENBRAINZ_EMULATOR_PORT ?? 0));
const emulator = await startListenBrainzEmulator({ port });
console.log(`LISTENBRAINZ_API_URL=${emulator.url}`);
for (const name of ['rob', 'ana', 'quiet']) {
  const user = emulator.user(name);
  console.log(`# user ${name}: ${user.history.count()} listens, token ${user.token}`);
}
console.log('# Ctrl-C to stop');
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));

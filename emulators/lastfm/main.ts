import { SEEDED_LASTFM_USERS, startLastfmEmulator } from './server.js';

// npm run emulator:lastfm -- --port N [--rate N]: a Last.fm stand-in anyone can point a bot at;
// --rate caps requests per API key per second (error 29 beyond it), like the real service's limit.
const numberArg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : undefined;
};
const rate = numberArg('--rate');
const emulator = await startLastfmEmulator({
  port: numberArg('--port') ?? 0,
  rateLimit: rate ? { requests: rate, windowMs: 1000 } : undefined,
});
console.log(`LASTFM_API_URL=${emulator.apiUrl}`);
console.log(`LASTFM_AUTH_URL=${emulator.authUrl}`);
console.log(`LASTFM_API_KEY=${emulator.apiKey}`);
console.log(`LASTFM_SHARED_SECRET=${emulator.sharedSecret}`);
console.log(
  `# users: ${SEEDED_LASTFM_USERS.map((u) => `${u.name} (${u.history.count} scrobbles${u.private ? ', private' : ''})`).join(', ')}`,
);
console.log('# Ctrl-C to stop');
process.on('SIGINT', () => void emulator.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));

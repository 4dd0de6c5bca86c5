import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may carry secrets anywhere in a log object. pino replaces them before a line is
 * written, so a token can't reach the logs even when a whole object is logged by mistake.
 */
const REDACT = [
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.code',
  '*.code_verifier',
  '*.client_secret',
  '*.token',
  '*.authorization',
  '*.Authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.code',
  'req.query.state',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'encore' },
      redact: { paths: REDACT, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

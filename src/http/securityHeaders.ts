import type { RequestHandler } from 'express';
import { PAGE_STYLE_HASHES } from './linking/pages.js';

/**
 * The Content-Security-Policy of Encore's pages: nothing loads from anywhere, only the pages' own
 * inline styles (by hash) apply, no script runs, no other site may frame them (clickjacking a
 * Continue button), and `<base>` can't be planted. There is no form-action: the link page's
 * Continue ends in a redirect to Spotify, which form-action would block.
 */
export function contentSecurityPolicy(
  extra: { styles?: readonly string[]; scripts?: readonly string[]; connectSelf?: boolean } = {},
) {
  return [
    "default-src 'none'",
    `style-src ${[...PAGE_STYLE_HASHES, ...(extra.styles ?? [])].join(' ')}`,
    ...(extra.scripts?.length ? [`script-src ${extra.scripts.join(' ')}`] : []),
    ...(extra.connectSelf ? ["connect-src 'self'"] : []),
    "img-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const PAGE_CSP = contentSecurityPolicy();

/**
 * On every answer: one-time tokens travel in the paths of these pages, so none may be framed,
 * cached, sniffed into another type, or named in a Referer to another site. A route whose page
 * needs more (the upload page's script) sets its own policy over this one.
 */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': PAGE_CSP,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  next();
};

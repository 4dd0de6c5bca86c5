import express, { type Router } from 'express';
import { coverArtPng } from '../coverart/art.js';
import type { World } from './seed.js';

/** Which albums' covers misbehave, for tests: none by default. */
export interface EmulatedCovers {
  /** Albums whose objects list no images at all (as some of Spotify's do). */
  readonly withoutImage: Set<string>;
  /** Albums whose image URLs answer 404 (a CDN file gone). */
  readonly broken: Set<string>;
  /** Image requests, album id and size, in order: tests count them. */
  readonly requests: Array<{ albumId: string; size: number }>;
}

const SIZES = [640, 300, 64];

/**
 * Spotify's image CDN (i.scdn.co) for the emulator's albums: every album has a real PNG cover,
 * served without a token like the CDN's.
 */
export function createCovers(world: World, base: () => string) {
  const covers: EmulatedCovers = { withoutImage: new Set(), broken: new Set(), requests: [] };
  const albumImages = (albumId: string) =>
    covers.withoutImage.has(albumId)
      ? []
      : SIZES.map((size) => ({ url: `${base()}/image/${albumId}/${size}`, width: size, height: size }));
  const router: Router = express.Router();
  router.get('/image/:albumId/:size', (req, res) => {
    const albumId = String(req.params.albumId);
    const size = Number(req.params.size);
    covers.requests.push({ albumId, size });
    if (!world.albums.has(albumId) || !SIZES.includes(size) || covers.broken.has(albumId)) {
      res.status(404).type('text/plain').send('Not Found');
      return;
    }
    res.type('image/png').set('cache-control', 'public, max-age=31536000').send(coverArtPng(albumId, size));
  });
  return { covers, albumImages, router };
}

import type { ClockCell, MixPoint } from '../../src/charts/index.js';

export const genreShares = (n = 8) =>
  Array.from({ length: n }, (_, i) => ({
    genre: `Genre ${String.fromCharCode(65 + i)}`,
    share: (n - i) / ((n * (n + 1)) / 2),
  }));

export const artists = (n = 10) => Array.from({ length: n }, (_, i) => ({ name: `Artist ${i + 1}` }));

export const tracks = (n = 10) =>
  Array.from({ length: n }, (_, i) => ({ name: `Track ${i + 1}`, artist: `Artist ${(i % 3) + 1}` }));

export const members = (n = 5) =>
  Array.from({ length: n }, (_, i) => ({
    name: `member${i + 1}`,
    value: (n - i) * 100,
    valueLabel: `${(n - i) * 100} min`,
  }));

export const sortGroups = () => [
  { genre: 'Rock', count: 312 },
  { genre: 'Hip hop', count: 96 },
  { genre: 'Other', count: 43 },
];

export const clockCells = (minutesPerCell = 5): ClockCell[] =>
  Array.from({ length: 7 * 24 }, (_, i) => ({
    weekday: Math.floor(i / 24),
    hour: i % 24,
    minutes: i % 24 >= 8 && i % 24 < 20 ? minutesPerCell : 0,
  }));

export const mixPoints = (weeks = 4, genres = ['Rock', 'Pop', 'Jazz']): MixPoint[] =>
  Array.from({ length: weeks }, (_, w) => `2026-10-${String(5 + w * 7).padStart(2, '0')}`).flatMap((week, w) =>
    genres.map((genre, g) => ({ week, genre, share: 1 + ((w + g) % 3) })),
  );

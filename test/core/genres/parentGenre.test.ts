import { describe, expect, it } from 'vitest';
import { EXPLICIT_GENRE_TABLE } from '../../../src/core/genres/explicitTable.js';
import { FAMILY_TREE, normaliseGenre, parentGenreOf, displayFineGenre } from '../../../src/core/genres/index.js';

const parentName = (genre: string) => parentGenreOf(genre)?.name;

describe('the family tree', () => {
  it('has between 20 and 30 parent genres with unique ids and readable names', () => {
    expect(FAMILY_TREE.length).toBeGreaterThanOrEqual(20);
    expect(FAMILY_TREE.length).toBeLessThanOrEqual(30);
    expect(new Set(FAMILY_TREE.map((g) => g.id)).size).toBe(FAMILY_TREE.length);
    expect(FAMILY_TREE.map((g) => g.name)).toEqual(
      expect.arrayContaining(['Hip hop', 'R&B / Soul', 'Metal', 'K-pop', 'Latin']),
    );
    expect(FAMILY_TREE.map((g) => g.order)).toEqual(FAMILY_TREE.map((_, i) => i));
  });
});

describe('parentGenreOf', () => {
  it.each([
    ['stomp and holler', 'Folk / Singer-songwriter'],
    ['trap latino', 'Latin'],
    ['melodic drill', 'Hip hop'],
    ['escape room', 'Electronic'],
    ['art pop', 'Pop'],
    ['pov: indie', 'Indie / Alternative'],
    ['mellow gold', 'Rock'],
    ['permanent wave', 'Rock'],
    ['neo mellow', 'Pop'],
    ['new jack swing', 'R&B / Soul'],
    ['western swing', 'Country'],
    ['electro swing', 'Electronic'],
    ['jazz rap', 'Hip hop'],
    ['chamber pop', 'Indie / Alternative'],
    ['tropical house', 'Electronic'],
    ['ska punk', 'Punk / Emo'],
    ['city pop', 'J-pop / Anime'],
  ])('maps the misleading name "%s" to %s through the explicit table', (genre, expected) => {
    expect(parentName(genre)).toBe(expected);
  });

  it.each([
    ['swedish melodic death metal', 'Metal'],
    ['nu-metal', 'Metal'],
    ['latin metal', 'Metal'],
    ['k-pop boy group', 'K-pop'],
    ['korean city pop', 'K-pop'],
    ['deathcore revival', 'Metal'],
    ['minnesota hip hop', 'Hip hop'],
    ['fresno indie', 'Indie / Alternative'],
    ['reggaeton chileno', 'Latin'],
    ['hardcore techno', 'Electronic'],
    ['kansas city hardcore', 'Punk / Emo'],
    ['liverpool indie rock', 'Indie / Alternative'],
    ['belgian krautrock', 'Rock'],
    ['dutch vaporwave', 'Electronic'],
    ['icelandic jazz', 'Jazz'],
    ['icelandic', 'World / Traditional'],
  ])('falls back by words for the unlisted name "%s" → %s', (genre, expected) => {
    expect(parentName(genre)).toBe(expected);
  });

  it('ignores case, spacing, accents, dashes and edge punctuation', () => {
    for (const variant of ['Hip-Hop', '  HIP   HOP ', 'hiphop', 'hip‐hop!', '(hip hop)'])
      expect(parentName(variant)).toBe('Hip hop');
    expect(parentName('Reggaetón')).toBe('Latin');
    expect(parentName('Stomp & Holler')).toBe('Folk / Singer-songwriter');
    expect(parentName('R n B')).toBe('R&B / Soul');
    expect(parentName('FORRÓ')).toBe('Brazilian');
  });

  it('answers undefined, without throwing, for empty, blank, symbol-only, non-latin or unknown strings', () => {
    for (const odd of ['', '   ', '\n\t', '🎸🎶', '!!!', '한국 힙합', 'zzqx', 'a'.repeat(10_000), '\u0000', '\ud800'])
      expect(parentGenreOf(odd)).toBeUndefined();
    expect(parentGenreOf(undefined as unknown as string)).toBeUndefined();
    expect(parentGenreOf(42 as unknown as string)).toBeUndefined();
  });

  it('does not match words inside other words', () => {
    expect(parentName('trip hop')).toBe('Electronic');
    expect(parentName('dubstep')).toBe('Electronic');
    expect(parentName('dub')).toBe('Reggae / Dancehall');
    expect(parentName('rapture')).toBeUndefined();
    expect(parentName('new wave')).toBe('Rock');
  });
});

describe('the explicit table', () => {
  const entries = Object.entries(EXPLICIT_GENRE_TABLE).flatMap(([parent, names]) =>
    (names ?? []).map((name) => ({ parent, name })),
  );

  it('lists a few hundred real genre names, each once, each already canonical', () => {
    expect(entries.length).toBeGreaterThan(300);
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
    expect(entries.filter((e) => normaliseGenre(e.name) !== e.name)).toEqual([]);
  });

  it('decides every name it lists', () => {
    expect(entries.filter((e) => parentGenreOf(e.name)?.id !== e.parent)).toEqual([]);
  });
});

describe('normaliseGenre and displayFineGenre', () => {
  it.each([
    ['Hip-Hop', 'hip hop', 'Hip hop'],
    ['RnB', 'r&b', 'R&B'],
    ["Drum 'n' Bass", 'drum and bass', 'Drum and bass'],
    ['KPOP', 'k-pop', 'K-pop'],
    ['Lo Fi Beats', 'lo-fi beats', 'Lo-fi beats'],
    ['UK Drill', 'uk drill', 'UK drill'],
    ['post punk', 'post-punk', 'Post-punk'],
    ['Rock’n’Roll', 'rock and roll', 'Rock and roll'],
  ])('spells "%s" as Spotify does: "%s", shown as "%s"', (input, canonical, display) => {
    expect(normaliseGenre(input)).toBe(canonical);
    expect(displayFineGenre(input)).toBe(display);
  });

  it('keeps non-latin scripts intact and cuts absurdly long strings', () => {
    expect(normaliseGenre('  한국   힙합 ')).toBe('한국 힙합');
    expect(normaliseGenre('ポップ')).toBe('ポップ');
    expect(Array.from(normaliseGenre('😀'.repeat(30) + 'x'.repeat(500))).length).toBeLessThanOrEqual(80);
    expect(normaliseGenre('')).toBe('');
    expect(normaliseGenre(' - ')).toBe('');
  });
});

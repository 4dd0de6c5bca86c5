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
    ['icelandic traditional', 'World / Traditional'],
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

describe('names in other languages and from other traditions (issue 27)', () => {
  it.each([
    // children's songs and stories
    ['kinderlieder', "Children's"],
    ['musique pour enfants', "Children's"],
    ['canciones infantiles', "Children's"],
    ['musica para criancas', "Children's"],
    ['canzoni per bambini', "Children's"],
    ['kodomo no ongaku', "Children's"],
    ['detskie pesni', "Children's"],
    // church music
    ['musica cristiana', 'Gospel / Christian'],
    ['louvor e adoracao', 'Gospel / Christian'],
    ['christliche lieder', 'Gospel / Christian'],
    ['chant religieux', 'Gospel / Christian'],
    ['muzica crestina', 'Gospel / Christian'],
    // spoken word
    ['horbuch', 'Comedy / Spoken word'],
    ['kabarett', 'Comedy / Spoken word'],
    ['rakugo', 'Comedy / Spoken word'],
    ['humour', 'Comedy / Spoken word'],
    // classical and early music
    ['musica sinfonica', 'Classical'],
    ['musique ancienne', 'Classical'],
    ['italian tenor', 'Classical'],
    ['ars subtilior', 'Classical'],
    // devotional music of other faiths stays with its tradition, not with Gospel
    ['bhajan', 'World / Traditional'],
    ['nasheed', 'World / Traditional'],
    ['shabad', 'World / Traditional'],
    ['jewish cantorial', 'World / Traditional'],
    // regional styles, instruments and scenes
    ['musica capixaba', 'Brazilian'],
    ['rock catarinense', 'Brazilian'],
    ['candombe', 'Latin'],
    ['cumbia paraguaya', 'Latin'],
    ['musica sarda', 'World / Traditional'],
    ['lagu sunda', 'World / Traditional'],
    ['sevdah', 'World / Traditional'],
    ['cimbalom', 'World / Traditional'],
    ['benga', 'Afrobeats / African'],
    ['musica angolana', 'Afrobeats / African'],
    ["min'yo", 'J-pop / Anime'],
  ])('places "%s" in %s', (genre, expected) => {
    expect(parentName(genre)).toBe(expected);
  });

  it.each([
    // a style word beats a city, a country or an instrument that also names a family
    ['memphis americana', 'Country'],
    ['spanish folk rock', 'Folk / Singer-songwriter'],
    ['spanish post-punk', 'Punk / Emo'],
    ['jazz orchestra', 'Jazz'],
    ['celtic harp', 'Folk / Singer-songwriter'],
    ['bagpipe marching band', 'World / Traditional'],
    ['drone rock', 'Rock'],
    ['western mass indie', 'Indie / Alternative'],
    ['italian occult psychedelia', 'Rock'],
    ['swedish melodeath', 'Metal'],
    ['sufi chant', 'World / Traditional'],
    ['cantonese opera', 'World / Traditional'],
    ['disney espanol', 'Soundtrack / Score'],
    ['cyberpunk', 'Electronic'],
    ['kindie rock', "Children's"],
  ])('lets the word that names the style decide "%s" → %s', (genre, expected) => {
    expect(parentName(genre)).toBe(expected);
  });

  it('matches word beginnings and endings only with more letters around them', () => {
    expect(parentName('austindie')).toBe('Indie / Alternative');
    expect(parentName('indiecoustica')).toBe('Indie / Alternative');
    expect(parentName('cybergrind')).toBe('Metal');
    expect(parentName('grind')).toBeUndefined();
    expect(parentName('tarantella')).toBe('World / Traditional');
    expect(parentName('star')).toBeUndefined();
  });
});

describe('free-text tags that are not genres (MusicBrainz, Last.fm)', () => {
  it.each([
    'seen live',
    'Seen Live',
    'female vocalists',
    'male vocalists',
    'favorites',
    'favourite',
    'my favorite',
    'albums i own',
    '00s',
    '80s',
    "90's",
    '1980s',
    '1994',
    'under 2000 listeners',
    'british',
    'american',
    'german',
    'French',
    'swedish',
    'icelandic',
    'instrumental',
    'remix',
    'covers',
    'love',
    'beautiful',
    'awesome',
  ])('maps "%s" to no family', (tag) => {
    expect(parentGenreOf(tag)).toBeUndefined();
  });

  it('still lets a style word beside such a word decide', () => {
    expect(parentName('british folk')).toBe('Folk / Singer-songwriter');
    expect(parentName('80s pop')).toBe('Pop');
    expect(parentName('german hip hop')).toBe('Hip hop');
    expect(parentName('instrumental hip hop')).toBe('Hip hop');
    expect(parentName('female vocalists jazz')).toBe('Jazz');
  });

  it('keeps a region on its own where the region is the family', () => {
    expect(parentName('korean')).toBe('K-pop');
    expect(parentName('brazilian')).toBe('Brazilian');
    expect(parentName('latin')).toBe('Latin');
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

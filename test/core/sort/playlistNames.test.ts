import { describe, expect, it } from 'vitest';
import { genrePlaylistName, MAX_PLAYLIST_NAME_LENGTH, truncateText } from '../../../src/core/sort/index.js';

describe('genrePlaylistName', () => {
  it('names a genre playlist "<playlist> · <genre>"', () => {
    expect(genrePlaylistName('Road trip', 'Indie / Alternative')).toBe('Road trip · Indie / Alternative');
    expect(genrePlaylistName('  Road \n trip ', 'Rock')).toBe('Road trip · Rock');
    expect(genrePlaylistName('', 'Rock')).toBe('Playlist · Rock');
  });

  it('shortens a long source name, never the genre, to 100 characters', () => {
    const name = genrePlaylistName('x'.repeat(300), 'Hip hop');
    expect(name.length).toBe(MAX_PLAYLIST_NAME_LENGTH);
    expect(name.endsWith('… · Hip hop')).toBe(true);
  });

  it('does not split emoji, flags or accented letters when shortening', () => {
    for (const unit of ['🎸', '🇧🇷', 'é', '👩‍👩‍👧']) {
      const name = genrePlaylistName(unit.repeat(120), 'Latin');
      expect(name.length).toBeLessThanOrEqual(MAX_PLAYLIST_NAME_LENGTH);
      const source = name.slice(0, name.indexOf('… · Latin'));
      expect(source.length % unit.length).toBe(0);
      expect(source).toBe(unit.repeat(source.length / unit.length));
    }
  });

  it('still fits when the genre name itself is absurdly long', () => {
    expect(genrePlaylistName('Mix', 'g'.repeat(500)).length).toBeLessThanOrEqual(MAX_PLAYLIST_NAME_LENGTH);
  });
});

describe('truncateText', () => {
  it('leaves short text alone and marks cut text with an ellipsis', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('a longer text', 8)).toBe('a longe…');
    expect(truncateText('anything', 0)).toBe('');
  });
});

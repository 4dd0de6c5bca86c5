/** A playlist id from a link or URI, or from the member's own playlists by id or name. */
export function playlistIdFrom(input: string, own: ReadonlyArray<{ id: string; name: string }>): string | undefined {
  const trimmed = input.trim();
  const linked =
    /open\.spotify\.com\/(?:[\w-]+\/)?playlist\/([A-Za-z0-9]+)/.exec(trimmed) ??
    /^spotify:playlist:([A-Za-z0-9]+)$/.exec(trimmed);
  if (linked) return linked[1];
  const mine =
    own.find((p) => p.id === trimmed) ?? own.find((p) => p.name.trim().toLowerCase() === trimmed.toLowerCase());
  if (mine) return mine.id;
  return /^[A-Za-z0-9]{22}$/.test(trimmed) ? trimmed : undefined; // Spotify ids are 22 base62 characters
}

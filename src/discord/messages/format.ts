/** Discord's own timestamp markup, shown in each reader's time zone; `R` is "in 2 hours". */
export function discordTime(epochMs: number, style: 'R' | 'D' | 'f' | 't' = 'R'): string {
  // Rounded up: "resumes at" must never show a moment before it really happens.
  return `<t:${Math.ceil(epochMs / 1000)}:${style}>`;
}

/** "1 playlist", "3 playlists". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/** The default for IMPORT_MAX_CONCURRENT_UPLOADS: two uploads spooling or importing at once, instance-wide. */
export const DEFAULT_CONCURRENT_UPLOADS = 2;

export type SlotAnswer = { kind: 'granted'; release(): void } | { kind: 'member-busy' } | { kind: 'full' };

/**
 * Places for uploads under way in this process: one per member, `total` in all. Each upload may
 * spool up to 1 GiB to the temp directory and read it for minutes, so the total bounds the disk,
 * the memory and the database connections imports can take together. A refused upload is refused
 * at once (before its link is spent or a byte is spooled): waiting would hold its socket open.
 */
export function uploadSlots(total: number) {
  const members = new Set<string>();
  return {
    claim(memberId: string): SlotAnswer {
      if (members.has(memberId)) return { kind: 'member-busy' };
      if (members.size >= total) return { kind: 'full' };
      members.add(memberId);
      let released = false;
      return {
        kind: 'granted',
        release() {
          if (released) return;
          released = true;
          members.delete(memberId);
        },
      };
    },
    /** Uploads under way now. */
    get inUse() {
      return members.size;
    },
  };
}
export type UploadSlots = ReturnType<typeof uploadSlots>;

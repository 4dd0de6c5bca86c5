import type { SplitGenreChoice } from '../app/sort/index.js';
import type { Job } from './scheduler.js';

/** Every minute: thrifty previews no instance is working on (a restart, a lost lease) start again here. */
export function resumeThriftySortsJob(thrifty: {
  stopping(): boolean;
  pending(): Promise<SplitGenreChoice[]>;
  start(choice: SplitGenreChoice): Promise<void>;
}): Job<unknown> {
  return {
    name: 'resume-thrifty-sorts',
    schedule: '* * * * *',
    once: false,
    async run() {
      if (thrifty.stopping()) return;
      for (const choice of await thrifty.pending()) void thrifty.start(choice);
    },
  };
}

import type { ServerYearDeps } from '../app/serverYear/ports.js';
import { postDueServerYears } from '../app/serverYear/serverYear.js';
import { DIGEST_SCHEDULE } from './digestJobs.js';
import type { Job } from './scheduler.js';

/** Posts each server's year once in December; every instance ticks, the (guild, year) lease and outcome decide who posts. */
export function serverYearJob(deps: ServerYearDeps): Job<unknown> {
  return {
    name: 'post-server-years',
    schedule: DIGEST_SCHEDULE,
    once: false,
    async run(_shared, now) {
      await postDueServerYears(deps, now.getTime());
    },
  };
}

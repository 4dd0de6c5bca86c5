import type { SocialRepository } from '../../app/social/ports.js';

/** Every method waits for `ready` first: nothing reads the visibility mirror before it is rebuilt. */
export function afterReady(repo: SocialRepository, ready: () => Promise<void>): SocialRepository {
  return new Proxy(repo, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await ready();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * vega-lite assigns `Set.prototype.toJSON` (a function returning "Set(…)") when it loads, for its
 * own hashing of specs. discord.js's event emitter (@vladfrangu/async_event_emitter bundles
 * node-inspect-extracted) builds its SafeSet when it loads by calling every zero-argument method of
 * `Set.prototype` on an empty Set and testing `Symbol.iterator in` the result: on vega-lite's string
 * that throws `TypeError: string "Set()" is not iterable`, so any process that loads vega-lite on a
 * thread before discord.js cannot load discord.js at all (`npm run bench` died so in `fairness`).
 * The same function behind an accessor changes nothing for vega-lite (`set.toJSON()` and
 * JSON.stringify still call it on the set) while node-inspect-extracted copies accessors as they are.
 * Imported by renderCore.ts; it imports vega-lite itself so that it always runs after vega-lite's patch.
 */
import 'vega-lite';

const descriptor = Object.getOwnPropertyDescriptor(Set.prototype, 'toJSON');
let toJSON: unknown = descriptor?.value;
if (typeof toJSON === 'function')
  Object.defineProperty(Set.prototype, 'toJSON', {
    get: () => toJSON,
    // A second copy of vega-lite assigning it again must not throw (strict mode, no setter).
    set: (value: unknown) => {
      toJSON = value;
    },
    configurable: true,
    enumerable: descriptor!.enumerable ?? false,
  });

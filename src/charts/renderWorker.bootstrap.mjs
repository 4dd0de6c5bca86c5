// Worker threads don't inherit tsx's loader on Node 20: register it here, then load the
// TypeScript worker. (With a build step this file would point at the compiled .js instead.)
import { register } from 'tsx/esm/api';

register();
await import('./renderWorker.ts');

export { POLL_LEASE_MS, collectDue, playsFromPage, pollMember, type PollResult } from './collect.js';
export { historyPersonalData } from './personalData.js';
export { reclassifyHistory } from './reclassify.js';
export type * from './ports.js';

/** Encore's version, as User-Agents and /healthz name it (package.json's). */
export const ENCORE_VERSION = '0.1.0';

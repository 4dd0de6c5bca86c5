export * from './listenToPlay.js';
export * from './sameListen.js';

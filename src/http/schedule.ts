/**
 * Arms a timer and returns what cancels it. The HTTP deadlines take one so tests can run minutes
 * of a slow upload on their own clock; the real one never keeps the process alive.
 */
export type Schedule = (fire: () => void, ms: number) => () => void;

export const realSchedule: Schedule = (fire, ms) => {
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

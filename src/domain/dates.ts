/** Calendar dates as ISO strings (YYYY-MM-DD) in Vietnam time (UTC+7, no daylight saving). */
export function todayInVietnam(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

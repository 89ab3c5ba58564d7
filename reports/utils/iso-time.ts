/**
 * Date.parse for the canonical `toISOString()` form, fast enough for a million load samples:
 * the date-hour-minute prefix repeats for sixty consecutive samples, so it is parsed once and the
 * seconds are added. Any other form (offsets, no milliseconds) goes to Date.parse.
 */
export function createIsoParser(): (iso: string) => number {
  let cachedPrefix = "";
  let cachedMs = NaN;
  return (iso: string) => {
    if (iso.length !== 24 || iso.charCodeAt(19) !== 46 /* . */ || iso.charCodeAt(23) !== 90 /* Z */) return Date.parse(iso);
    const prefix = iso.slice(0, 16);
    if (prefix !== cachedPrefix) {
      cachedPrefix = prefix;
      cachedMs = Date.parse(`${prefix}:00.000Z`);
    }
    const ss = (iso.charCodeAt(17) - 48) * 10 + (iso.charCodeAt(18) - 48);
    const ms = (iso.charCodeAt(20) - 48) * 100 + (iso.charCodeAt(21) - 48) * 10 + (iso.charCodeAt(22) - 48);
    if (!(ss >= 0 && ss < 60 && ms >= 0 && ms < 1000)) return Date.parse(iso);
    return cachedMs + ss * 1000 + ms;
  };
}

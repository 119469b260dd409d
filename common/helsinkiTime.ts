/**
 * Times as people here read them: Helsinki time, in the reader's language.
 * Each formatter is made once: making one per call (what toLocaleString
 * does) was the largest single cost of rendering an audit certificate.
 */

export type TimeLanguage = 'fi' | 'sv' | 'en';
type Style = 'short' | 'medium' | 'long';

const LOCALES: Record<TimeLanguage, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const formatters = new Map<string, Intl.DateTimeFormat>();

export function helsinkiTime(at: Date | string, language: TimeLanguage, dateStyle: Style, timeStyle: Style): string {
  const key = `${language}/${dateStyle}/${timeStyle}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(LOCALES[language], { timeZone: 'Europe/Helsinki', dateStyle, timeStyle });
    formatters.set(key, formatter);
  }
  return formatter.format(new Date(at));
}

// en-CA formats as YYYY-MM-DD.
const CALENDAR_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in Finland at an instant, as YYYY-MM-DD. */
export function helsinkiCalendarDate(instant: Date): string {
  return CALENDAR_DATE.format(instant);
}

import Holidays from 'date-holidays';
import { helsinkiCalendarDate } from '../common/helsinkiTime';

/**
 * Statutory time limits as Finnish law counts them, on calendar dates in
 * Finland (Europe/Helsinki). A date is an ISO string "YYYY-MM-DD".
 *
 * - Act on the Computation of Statutory Time Limits (150/1930) § 5: a
 *   period whose last day is a Saturday, Sunday, public holiday,
 *   Independence Day, May Day, Christmas Eve or Midsummer Eve ends on the
 *   next working day.
 * - Local Government Act (410/2015) § 140: a member of the municipality is
 *   deemed notified of checked minutes 7 days after they were published
 *   online; § 139: a rectification request within 14 days of notification.
 *
 * The moving holidays come from date-holidays. It lists Christmas Eve and
 * Midsummer Eve only as bank holidays (and New Year's Eve the same way,
 * which the act does not count), so those two eves are added here by rule.
 */

export type CalendarDate = string;

export const RESIDENT_NOTIFICATION_DAYS = 7;
export const RECTIFICATION_REQUEST_DAYS = 14;

const TIME_ZONE = 'Europe/Helsinki';
const DAY_MS = 24 * 3600 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const finnishHolidays = new Holidays('FI');
const nonWorkingByYear = new Map<number, Set<CalendarDate>>();

function parts(date: CalendarDate): { year: number; month: number; day: number } {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new RangeError(`No such day: ${date}`);
  return { year, month, day };
}

function toDate(date: CalendarDate): Date {
  const { year, month, day } = parts(date);
  return new Date(Date.UTC(year, month - 1, day));
}

function fromDate(date: Date): CalendarDate {
  return date.toISOString().slice(0, 10);
}

/** Midsummer Eve is the Friday between 19 and 25 June. */
export function midsummerEve(year: number): CalendarDate {
  for (let day = 19; day <= 25; day++) {
    const date = new Date(Date.UTC(year, 5, day));
    if (date.getUTCDay() === 5) return fromDate(date);
  }
  throw new Error('unreachable: every 7-day span has a Friday');
}

/** Holidays and eves on which no period ends in the given year (weekends aside). */
export function nonWorkingDaysOf(year: number): Set<CalendarDate> {
  let days = nonWorkingByYear.get(year);
  if (!days) {
    days = new Set(
      finnishHolidays
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    days.add(`${year}-05-01`);
    days.add(`${year}-12-06`);
    days.add(`${year}-12-24`);
    days.add(midsummerEve(year));
    nonWorkingByYear.set(year, days);
  }
  return days;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDate(new Date(toDate(date).getTime() + days * DAY_MS));
}

export function isWorkingDay(date: CalendarDate): boolean {
  const weekday = toDate(date).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !nonWorkingDaysOf(parts(date).year).has(date);
}

/** The date itself when it is a working day, otherwise the first working day after it. */
export function nextWorkingDay(date: CalendarDate): CalendarDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The last day of a period of `days` days counted from `start` (the day of the event itself not counted), moved past non-working days. */
export function periodLastDay(start: CalendarDate, days: number): CalendarDate {
  return nextWorkingDay(addDays(start, days));
}

/** The calendar date in Finland at an instant. */
export function finnishDate(instant: Date): CalendarDate {
  return helsinkiCalendarDate(instant);
}

/** Minutes between UTC and Finnish time at an instant (120 in winter, 180 in summer). */
function helsinkiOffsetMinutes(instant: Date): number {
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(local.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** The last moment of a day in Finland: a period that ends on this day may be used until midnight. */
export function endOfFinnishDay(date: CalendarDate): Date {
  const midnightUtc = toDate(addDays(date, 1)).getTime();
  const guess = midnightUtc - helsinkiOffsetMinutes(new Date(midnightUtc)) * 60000;
  const exact = midnightUtc - helsinkiOffsetMinutes(new Date(guess)) * 60000;
  return new Date(exact - 1);
}

export interface RectificationPeriod {
  /** The day the minutes went online. */
  publishedOn: CalendarDate;
  /** Residents are deemed to have been notified on this day. */
  notifiedOn: CalendarDate;
  /** The last day a rectification request can be made. */
  lastDay: CalendarDate;
  /** The end of that day in Finland. */
  endsAt: Date;
}

/** The rectification period of minutes published online at `publishedAt` (Local Government Act §§ 139–140). */
export function rectificationPeriod(publishedAt: Date): RectificationPeriod {
  const publishedOn = finnishDate(publishedAt);
  const notifiedOn = addDays(publishedOn, RESIDENT_NOTIFICATION_DAYS);
  const lastDay = periodLastDay(notifiedOn, RECTIFICATION_REQUEST_DAYS);
  return { publishedOn, notifiedOn, lastDay, endsAt: endOfFinnishDay(lastDay) };
}

import {
  addDays,
  endOfFinnishDay,
  finnishDate,
  isWorkingDay,
  midsummerEve,
  nextWorkingDay,
  periodLastDay,
  rectificationPeriod,
} from '../rules/rectificationPeriod';

/**
 * Every expected date below was worked out by hand from a calendar: publish,
 * +7 days to the deemed notification, +14 days to the last day, then past
 * any weekend, holiday or eve (Act 150/1930 § 5).
 */

describe('rectification period of published minutes', () => {
  it.each([
    // published (Finnish time)     notified        last day        why
    ['2026-03-04T09:00:00+02:00', '2026-03-11', '2026-03-25', 'an ordinary Wednesday: nothing moves'],
    ['2026-03-07T12:00:00+02:00', '2026-03-14', '2026-03-30', 'ends on Saturday 28.3. → Monday'],
    ['2026-03-08T12:00:00+02:00', '2026-03-15', '2026-03-30', 'ends on Sunday 29.3. → Monday'],
    [
      '2026-12-03T10:00:00+02:00',
      '2026-12-10',
      '2026-12-28',
      "Christmas Eve (Thu), Christmas Day, St Stephen's Day (Sat), Sunday → Monday 28.12.",
    ],
    ['2026-05-29T10:00:00+03:00', '2026-06-05', '2026-06-22', 'Midsummer Eve (Fri 19.6.), Midsummer Day (Sat), Sunday → Monday 22.6.'],
    ['2025-05-30T10:00:00+03:00', '2025-06-06', '2025-06-23', 'Midsummer Eve 2025 (Fri 20.6.) → Monday 23.6.'],
    ['2026-03-16T10:00:00+02:00', '2026-03-23', '2026-04-07', 'Easter Monday 6.4. → Tuesday'],
    ['2026-03-13T10:00:00+02:00', '2026-03-20', '2026-04-07', 'Good Friday 3.4., Saturday, Easter Day, Easter Monday → Tuesday 7.4.'],
    ['2027-11-15T10:00:00+02:00', '2027-11-22', '2027-12-07', 'Independence Day on Monday 6.12.2027 → Tuesday'],
    ['2026-04-10T10:00:00+03:00', '2026-04-17', '2026-05-04', 'May Day (Fri 1.5.) and the weekend → Monday 4.5.'],
    ['2026-04-23T10:00:00+03:00', '2026-04-30', '2026-05-15', 'Ascension Day (Thu 14.5.) → Friday'],
    ['2026-12-10T10:00:00+02:00', '2026-12-17', '2026-12-31', "New Year's Eve is a working day under the act: it stays"],
    ['2026-03-06T23:30:00Z', '2026-03-14', '2026-03-30', 'late Friday UTC is already Saturday in Finland'],
  ])('published %s → notified %s, last day %s (%s)', (published, notifiedOn, lastDay) => {
    const period = rectificationPeriod(new Date(published));
    expect(period.notifiedOn).toBe(notifiedOn);
    expect(period.lastDay).toBe(lastDay);
  });

  it('lasts until the end of the last day in Finnish time, summer and winter', () => {
    expect(rectificationPeriod(new Date('2026-03-04T09:00:00+02:00')).endsAt.toISOString()).toBe('2026-03-25T21:59:59.999Z');
    expect(rectificationPeriod(new Date('2026-05-29T10:00:00+03:00')).endsAt.toISOString()).toBe('2026-06-22T20:59:59.999Z');
    expect(endOfFinnishDay('2026-03-28').toISOString()).toBe('2026-03-28T21:59:59.999Z');
    expect(endOfFinnishDay('2026-03-29').toISOString()).toBe('2026-03-29T20:59:59.999Z');
  });
});

describe('the general pieces (also for decisions: 14 days from a notification date)', () => {
  it.each([
    ['2026-06-19', false, 'Midsummer Eve'],
    ['2026-06-20', false, 'Midsummer Day'],
    ['2026-12-24', false, 'Christmas Eve'],
    ['2026-12-31', true, "New Year's Eve"],
    ['2026-12-06', false, 'Independence Day (a Sunday)'],
    ['2027-12-06', false, 'Independence Day (a Monday)'],
    ['2026-05-01', false, 'May Day'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-01-06', false, 'Epiphany'],
    ['2026-10-31', false, "All Saints' Day (a Saturday)"],
    ['2026-11-02', true, 'an ordinary Monday'],
  ])('%s is a working day: %s (%s)', (date, working) => {
    expect(isWorkingDay(date)).toBe(working);
  });

  it('adds days across months and years and finds the next working day', () => {
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2028-02-27', 2)).toBe('2028-02-29');
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-28');
    expect(nextWorkingDay('2026-11-02')).toBe('2026-11-02');
    // A decision sent electronically 2.12.2026 is deemed received 5.12. (Sat); 14 days → Sat 19.12. → Monday 21.12.
    expect(periodLastDay('2026-12-05', 14)).toBe('2026-12-21');
  });

  it('knows Midsummer Eve and Finnish dates', () => {
    expect([2025, 2026, 2027, 2028].map(midsummerEve)).toEqual(['2025-06-20', '2026-06-19', '2027-06-25', '2028-06-23']);
    expect(finnishDate(new Date('2026-06-30T21:30:00Z'))).toBe('2026-07-01');
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochDaysToDate, epochToIso, timeOfDay } from '../../src/core/temporal.js';

describe('epochToIso', () => {
  it('keeps the precision of the unit', () => {
    expect(epochToIso(1624744320500, 'ms')).toBe('2021-06-26T21:52:00.500Z');
    expect(epochToIso(1624744200000001, 'us')).toBe('2021-06-26T21:50:00.000001Z');
    expect(epochToIso(1624744200000000001n, 'ns')).toBe('2021-06-26T21:50:00.000000001Z');
  });

  it('counts backwards before 1970 without losing the fraction', () => {
    expect(epochToIso(-1, 'us')).toBe('1969-12-31T23:59:59.999999Z');
    expect(epochToIso(-1n, 'ns')).toBe('1969-12-31T23:59:59.999999999Z');
    expect(epochToIso(-1500, 'ms')).toBe('1969-12-31T23:59:58.500Z');
  });

  it('refuses instants PostgreSQL could not read back as ISO text', () => {
    expect(epochToIso(253402300799999999n, 'us')).toBe('9999-12-31T23:59:59.999999Z');
    expect(epochToIso(253402300800000000n, 'us')).toBe(null);
    expect(epochToIso(-62135596800001, 'ms')).toBe(null);
    expect(epochToIso(9223372036854775807n, 'us')).toBe(null);
  });
});

describe('dates and times of day', () => {
  it('writes days since the epoch as a date', () => {
    expect(epochDaysToDate(19279)).toBe('2022-10-14');
    expect(epochDaysToDate(-1)).toBe('1969-12-31');
    expect(epochDaysToDate(3_000_000)).toBe(null);
  });

  it('writes times of day with the unit’s fraction, up to 24:00', () => {
    expect(timeOfDay(86131989360, 'us')).toBe('23:55:31.989360');
    expect(timeOfDay(3_723_004, 'ms')).toBe('01:02:03.004');
    expect(timeOfDay(1n, 'ns')).toBe('00:00:00.000000001');
    expect(timeOfDay(86_400_000, 'ms')).toBe('24:00:00.000');
    expect(timeOfDay(86_400_001, 'ms')).toBe(null);
    expect(timeOfDay(-1, 'ms')).toBe(null);
  });
});

describe('epochToIso agrees with Date#toISOString', () => {
  it('for milliseconds across the whole range it writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), (ms) => {
        expect(epochToIso(ms, 'ms')).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });
});

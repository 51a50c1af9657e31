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

  it('writes years past 9999 with more digits and years before 1 as BC, as PostgreSQL does', () => {
    expect(epochToIso(253402300799999999n, 'us')).toBe('9999-12-31T23:59:59.999999Z');
    expect(epochToIso(253402300800000000n, 'us')).toBe('10000-01-01T00:00:00.000000Z');
    expect(epochToIso(-62135596800001, 'ms')).toBe('0001-12-31T23:59:59.999Z BC');
    expect(epochToIso(-62135596800000, 'ms')).toBe('0001-01-01T00:00:00.000Z');
    expect(epochToIso(-62167219200000, 'ms')).toBe('0001-01-01T00:00:00.000Z BC');
    expect(epochToIso(-210866803200000000n, 'us')).toBe('4714-11-24T00:00:00.000000Z BC');
    expect(epochToIso(9223372036854775807n, 'us')).toBe('294247-01-10T04:00:54.775807Z');
    expect(epochToIso(9224318015999999n, 'ms')).toBe('294276-12-31T23:59:59.999Z');
  });

  it('refuses instants beyond PostgreSQL’s timestamp range', () => {
    expect(epochToIso(-210866803200000001n, 'us')).toBe(null);
    expect(epochToIso(9224318016000000n, 'ms')).toBe(null);
  });

  it('writes Debezium’s stand-ins for infinity as infinity in every unit', () => {
    expect(epochToIso(9223372036825200000n, 'us')).toBe('infinity');
    expect(epochToIso(-9223372036832400000n, 'us')).toBe('-infinity');
    expect(epochToIso(9223372036825200n, 'ms')).toBe('infinity');
    expect(epochToIso(-9223372036832400n, 'ms')).toBe('-infinity');
    expect(epochToIso(9223372036854775807n, 'ns')).toBe('infinity');
    expect(epochToIso(-9223372036854775808n, 'ns')).toBe('-infinity');
  });
});

describe('dates and times of day', () => {
  it('writes days since the epoch as a date', () => {
    expect(epochDaysToDate(19279)).toBe('2022-10-14');
    expect(epochDaysToDate(-1)).toBe('1969-12-31');
    expect(epochDaysToDate(3_000_000)).toBe('10183-09-21');
    expect(epochDaysToDate(-719_163)).toBe('0001-12-31 BC');
    expect(epochDaysToDate(-2_440_588)).toBe('4714-11-24 BC');
    expect(epochDaysToDate(2_145_042_905)).toBe('5874897-12-31');
    expect(epochDaysToDate(-2_440_589)).toBe(null);
    expect(epochDaysToDate(2_145_042_906)).toBe(null);
    expect(epochDaysToDate(-2_147_472_692)).toBe('infinity');
    expect(epochDaysToDate(-2_147_472_691)).toBe('-infinity');
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

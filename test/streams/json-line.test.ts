import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonLineWriter } from '../../src/streams/json-line.js';

/** Strings that exercise every escape: quotes, backslashes, control characters, lone and paired surrogates. */
const trickyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u2028', '\ud800', '\udfff', '\ud83d\ude00', 'é', ''),
);

const fieldValue = fc.oneof(
  trickyString,
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: false }),
  fc.array(fc.record({ key: trickyString, value: trickyString })),
  fc.jsonValue(),
);

const record = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('0', '12', '__proto__', 'a"b', 'externalId')), fieldValue);

describe('JsonLineWriter', () => {
  it('writes exactly what JSON.stringify writes, for any record and in any sequence', () => {
    const writer = new JsonLineWriter();
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), (records) => {
        for (const r of records) expect(writer.stringify(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 500 },
    );
  });

  it('writes a data object whose fullName repeats its externalId, and one with text to escape', () => {
    const writer = new JsonLineWriter();
    const id = '111122223333:eu-west-1:sales/2024/orders.parquet';
    const file = { externalId: id, name: 'orders.parquet', fullName: id, type: 'file', parentExternalId: '111122223333:eu-west-1:sales/2024' };
    expect(writer.stringify(file)).toBe(JSON.stringify(file));
    const odd = { ...file, name: 'a "quoted"\tname', description: undefined, tags: [{ key: 'k', value: 'v\\', source: 'aws-s3' }] };
    expect(writer.stringify(odd)).toBe(JSON.stringify(odd));
    expect(JSON.parse(writer.stringify(odd))).toEqual({ ...file, name: 'a "quoted"\tname', tags: [{ key: 'k', value: 'v\\', source: 'aws-s3' }] });
  });

  it('hands anything but a plain object to JSON.stringify, toJSON and class instances included', () => {
    const writer = new JsonLineWriter();
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const withToJson = { toJSON: (key: string) => `as ${key || 'root'}` };
    const nested = { at: { toJSON: (key: string) => `under ${key}` }, gone: { toJSON: () => undefined }, fn: () => 1 };
    for (const value of [new Point(1, 2), withToJson, nested, [1, 'two'], 'text', 3, null, Object.create(null) as object]) {
      expect(writer.stringify(value)).toBe(JSON.stringify(value));
    }
  });
});

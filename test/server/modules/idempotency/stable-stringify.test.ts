// The text a request hash is made of must not change with how it is computed: a push retried across a
// server upgrade would otherwise meet IDEMPOTENCY_CONFLICT for its own payload.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestHash, stableStringify, wellFormedJson } from '../../../../server/src/modules/idempotency/idempotency.service';

const hashOf = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** The first implementation, entries sorted one object at a time: what stored hashes were made from. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const line = (i: number) => ({
  product: `ROSE-${i}`,
  sellBy: i % 2 ? 'BOX' : 'UNIT',
  boxType: 'QB',
  boxes: i % 2 ? i : undefined,
  unitsPerBox: 100,
  units: i % 2 ? undefined : i * 10,
  price: i % 3 ? '0.85' : null,
  cost: '0.40',
  vendor: i % 4 ? 'FARM-A' : undefined,
  vendorCost: i % 4 ? '0.30' : null,
});

describe('stableStringify', () => {
  it('gives the text the first implementation gave: keys in localeCompare order (boxes before boxType), undefined left out', () => {
    const payloads: unknown[] = [
      [
        {
          ref: 'A',
          customer: 'FRESHMART',
          carrier: 'ARMELLINI',
          truckDate: '2027-02-10',
          holiday: false,
          lines: Array.from({ length: 30 }, (_, i) => line(i)),
        },
        { number: 'PB-000001', version: 3, customer: 'Ünïcode "quoted"', lines: [] },
      ],
      { B: 1, a: 2, A: 3, b: [null, undefined, 'x\n', 1.5, -0, true], _x: { z: {}, y: [] }, Ä: 'ä', a1: 1, a10: 2, a2: 3 },
      // The same keys in another order: the same text.
      { a2: 3, a10: 2, a1: 1, Ä: 'ä', _x: { y: [], z: {} }, b: [null, undefined, 'x\n', 1.5, -0, true], A: 3, a: 2, B: 1 },
      [],
      {},
      null,
      'text',
      42,
    ];
    for (const payload of payloads) expect(stableStringify(payload)).toBe(reference(payload));
    expect(stableStringify(payloads[1])).toBe(stableStringify(payloads[2]));
    expect(stableStringify({ boxType: 'QB', boxes: 1 })).toBe('{"boxes":1,"boxType":"QB"}');
  });

  it('tells apart objects whose keys a separator would run together (one key "a\\nb" against keys a and b)', () => {
    const two = { a: 1, b: 2 };
    const one = { 'a\nb': 3 };
    for (const payload of [two, one, { 'a,b': 1 }, { a: 1, ',b': 2 }]) expect(stableStringify(payload)).toBe(reference(payload));
  });

  it('keeps the request hash of a payload as it was', () => {
    const input = [{ customer: 'FRESHMART', lines: [line(1), line(2)] }];
    expect(requestHash('savePrebooks', input)).toBe(requestHash('savePrebooks', JSON.parse(JSON.stringify(input)) as unknown));
    // The hash as the first implementation made it.
    expect(requestHash('savePrebooks', [{ b: 1, a: 'x', lines: [{ boxes: 2, boxType: 'QB' }] }])).toBe(
      hashOf(`savePrebooks\n${reference([{ b: 1, a: 'x', lines: [{ boxes: 2, boxType: 'QB' }] }])}`),
    );
  });
});

describe('requestHash', () => {
  // The hash is made from the native serializer's text with a list of keys (idempotency.service.ts sortedJson),
  // which must be the text stableStringify gives: a record stored before keeps replaying, and no two payloads
  // share a text. Each operation keeps its own list, so every case starts from one it has not seen.
  let n = 0;
  const same = (payload: unknown) => {
    const operation = `op${++n}`;
    const expected = hashOf(`${operation}\n${reference(payload)}`);
    // Twice: once growing the operation's list of keys, once with the list as it was left.
    expect(requestHash(operation, payload)).toBe(expected);
    expect(requestHash(operation, payload)).toBe(expected);
  };

  it('hashes the text stableStringify gives, for pushes and for payloads that try the key list', () => {
    same([{ ref: 'A', customer: 'FRESHMART', lines: Array.from({ length: 50 }, (_, i) => line(i)) }]);
    same({ B: 1, a: 2, A: 3, b: [null, undefined, 'x\n', 1.5, -0, true], _x: { z: {}, y: [] }, Ä: 'ä', a1: 1, a10: 2, a2: 3 });
    for (const scalar of [null, 'text', 42, true, [], {}, [undefined], undefined]) same(scalar);
    // Values that read like keys ("x":), quotes and backslashes in keys and values, escapes, a key that is empty.
    same({ note: 'a":"b', 'q"k': '\\":', 'back\\slash': { '': 1, 'tab\t': 'é\u0001' }, lines: [{ note: '","x":1' }] });
    // Keys Object.prototype has (JSON.parse makes __proto__ an own key), and keys that come in one object only.
    same(JSON.parse('{"__proto__":{"a":1},"constructor":"c","toString":2,"b":[{"hasOwnProperty":3}]}'));
    same([{ a: 1 }, { b: 2, a: 1 }, { c: { d: { e: [{ f: 1 }] } } }]);
    // A key only in a middle item, which a sample of the first and last items misses.
    same([{ a: 1 }, { a: 1, m: 2, z: { y: [{ x: 1 }, { w: 2 }, { v: 3 }] } }, { a: 1 }]);
    // Keys localeCompare calls equal (é precomposed and decomposed): their order is the object's own.
    same({ '\u00e9': 1, e: 2, 'e\u0301': 3 });
    same({ 'e\u0301': 3, e: 2, '\u00e9': 1 });
  });

  it('tells payloads apart when a later one of the same operation has keys the first had not', () => {
    const first = requestHash('grow', [{ a: 1 }]);
    const second = requestHash('grow', [{ a: 1, b: 2 }]);
    expect(second).not.toBe(first);
    expect(second).toBe(hashOf(`grow\n${reference([{ a: 1, b: 2 }])}`));
    expect(requestHash('grow', [{ a: 1, c: undefined }])).toBe(first);
  });
});

describe('wellFormedJson', () => {
  it('is the JSON text as serialized without a lone surrogate, and puts U+FFFD for each lone one', () => {
    const answer = { ids: [1, 2], results: [{ ref: 'Ä 🌹', message: 'quote " and \\u' }] };
    expect(wellFormedJson(answer)).toBe(JSON.stringify(answer));
    expect(JSON.parse(wellFormedJson({ errors: [{ message: 'a\ud800b', field: '\udc00' }], ok: '🌹' }))).toEqual({
      errors: [{ message: 'a\ufffdb', field: '\ufffd' }],
      ok: '🌹',
    });
  });
});

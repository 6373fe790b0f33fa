// The resolver on small hand-made cases: each evidence rule proposes what it should and says so in words,
// namesakes are refused, and a pair's fingerprint changes when (and only when) the evidence does.
import { describe, expect, it } from 'vitest';
import { findDuplicates, type ResolverRecord } from '../../server/dedupe/resolver.ts';
import { generateDupeSet, truePairs } from '../../seed/dupes.ts';

let next = 0;
function person(
  label: string,
  dob?: string,
  linked: ResolverRecord['linked'] = [],
  extra = {},
): ResolverRecord {
  return {
    id: `e${String(++next).padStart(4, '0')}`,
    type: 'Person',
    label,
    attributes: { ...(dob ? { dob } : {}), ...extra },
    linked,
  };
}
const phone = (id: string, label: string) => ({ id, type: 'Phone', label, relation: 'USES' });
const home = (id: string, label: string) => ({ id, type: 'Location', label, relation: 'RESIDES_AT' });

/** The one proposal for two records, or undefined. */
function pair(a: ResolverRecord, b: ResolverRecord) {
  const ps = findDuplicates([a, b]);
  expect(ps.length).toBeLessThanOrEqual(1);
  return ps[0];
}

describe('people', () => {
  it('same name and date of birth', () => {
    const p = pair(person('John Smith', '1990-03-04'), person('John Smith', '1990-03-04'));
    expect(p?.evidence).toEqual(['same name', 'same date of birth (1990-03-04)']);
    expect(p!.probability).toBeGreaterThan(0.5);
  });

  it('a name that differs by one letter, with the date of birth', () => {
    const p = pair(person('John Pattesron', '1990-03-04'), person('John Patterson', '1990-03-04'));
    expect(p?.evidence).toContain('Pattesron and Patterson are spelt alike');
    const q = pair(person('Jonh Smith', '1990-03-04'), person('John Smith', '1990-03-04'));
    expect(q?.evidence.join('; ')).toMatch(/Jonh and John/);
    const r = pair(person('John Parkes', '1990-03-04'), person('John Parker', '1990-03-04'));
    expect(r?.evidence).toContain('Parkes and Parker differ by one letter');
  });

  it('names that sound alike', () => {
    const p = pair(person('John Smyth', '1990-03-04'), person('John Smith', '1990-03-04'));
    expect(p?.evidence).toContain('Smyth and Smith sound alike');
  });

  it('short forms and transliterations are one name', () => {
    const bob = pair(person('Bob Jones', '1985-01-02'), person('Robert Jones', '1985-01-02'));
    expect(bob?.evidence).toContain('Bob and Robert are forms of one name (Robert)');
    const bill = pair(person('Bill Turner', '1985-01-02'), person('William Turner', '1985-01-02'));
    expect(bill?.evidence.join('; ')).toMatch(/Bill and William are forms of one name/);
    const mo = pair(person('Mohammed Khan', '1985-01-02'), person('Muhammad Khan', '1985-01-02'));
    expect(mo?.evidence.join('; ')).toMatch(/Mohammed and Muhammad (are forms of one name|sound alike)/);
    const al = pair(person('Aleksandr Ivanov', '1985-01-02'), person('Alexander Ivanov', '1985-01-02'));
    expect(al?.evidence).toContain('Aleksandr and Alexander are forms of one name (Alexander)');
  });

  it('given and family names swapped', () => {
    const p = pair(person('Smith John', '1990-03-04'), person('John Smith', '1990-03-04'));
    expect(p?.evidence).toContain('given and family names swapped');
    const q = pair(person('SMITH, John', '1990-03-04'), person('John Smith', '1990-03-04'));
    expect(q?.evidence).toEqual(['same name', 'same date of birth (1990-03-04)']);
  });

  it('an initial for the given name', () => {
    const p = pair(person('J Smith', '1990-03-04'), person('John Smith', '1990-03-04'));
    expect(p?.evidence).toContain('J is the initial of John');
  });

  it('a date of birth that differs in one part, or has day and month swapped', () => {
    const a = person('Zebedee Quayle', '1990-03-04', [phone('t1', '07700 900123')]);
    const b = person('Zebedee Quayle', '1990-03-05', [phone('t1', '07700 900123')]);
    expect(pair(a, b)?.evidence).toContain('dates of birth differ in one part (1990-03-04, 1990-03-05)');
    const c = person('Zebedee Quayle', '1990-04-03', [phone('t1', '07700 900123')]);
    expect(pair(a, c)?.evidence).toContain(
      'dates of birth with day and month swapped (1990-03-04, 1990-04-03)',
    );
  });

  it('a missing date of birth is proposed on a shared phone, not on the name alone', () => {
    const a = person('Jon Smith', '1990-03-04', [phone('t1', '07700 900123')]);
    const b = person('John Smith', undefined, [phone('t1', '07700 900123')]);
    const p = pair(a, b);
    expect(p?.evidence).toEqual([
      'Jon and John are forms of one name (John)',
      'date of birth missing on one record',
      'both use 07700 900123',
    ]);
    expect(pair(person('Jon Smith', '1990-03-04'), person('John Smith'))).toBeUndefined();
  });

  it('a shared address counts', () => {
    const h = home('a1', '1 High Street');
    const p = pair(person('Amy Grant', undefined, [h]), person('Amy Grant', '1990-01-01', [h]));
    expect(p?.evidence).toContain('both linked to 1 High Street');
  });

  it('namesakes (same name, different dates of birth, nothing shared) are not proposed', () => {
    expect(pair(person('John Smith', '1990-03-04'), person('John Smith', '1971-11-23'))).toBeUndefined();
    expect(
      pair(person('Mohammed Khan', '1985-01-02'), person('Muhammad Khan', '1962-07-19')),
    ).toBeUndefined();
  });

  it('family members at one address with different names and dates of birth are not proposed', () => {
    const h = home('a1', '1 High Street');
    expect(
      pair(person('John Smith', '1960-03-04', [h]), person('Sarah Smith', '1992-08-01', [h])),
    ).toBeUndefined();
  });

  it('different people born on one day are not proposed', () => {
    expect(pair(person('John Smith', '1990-03-04'), person('Amir Patel', '1990-03-04'))).toBeUndefined();
  });
});

describe('phones and vehicles', () => {
  const handset = (
    label: string,
    attributes: Record<string, unknown>,
    linked: ResolverRecord['linked'] = [],
  ) => ({
    id: `t${String(++next).padStart(4, '0')}`,
    type: 'Phone',
    label,
    attributes,
    linked,
  });
  const user = { id: 'e9999', type: 'Person', label: 'John Smith', relation: 'USES' };

  it('one handset under two numbers', () => {
    const p = pair(
      handset('07700 900123', { number: '+447700900123', imei: '356938035643809' }),
      handset('07700 900456', { number: '+447700900456', imei: '356938035643809' }),
    );
    expect(p?.evidence).toEqual(['same handset (IMEI 35693803564380)']);
  });

  it('a number one digit out, with the same user; two burners of one user are not', () => {
    const p = pair(
      handset('07700 900123', { number: '+447700900123' }, [user]),
      handset('07700 900128', { number: '+447700900128' }, [user]),
    );
    expect(p?.evidence).toEqual([
      'numbers differ by one digit (07700 900123, 07700 900128)',
      'both used by John Smith',
    ]);
    expect(
      pair(
        handset('07700 900123', { number: '+447700900123' }, [user]),
        handset('07911 123456', { number: '+447911123456' }, [user]),
      ),
    ).toBeUndefined();
  });

  const car = (label: string, attributes: Record<string, unknown>) => ({
    id: `v${String(++next).padStart(4, '0')}`,
    type: 'Vehicle',
    label,
    attributes,
    linked: [],
  });

  it('a mistyped mark of the same make and colour', () => {
    const p = pair(
      car('AB12 CDE', { vrm: 'AB12CDE', make: 'Ford', colour: 'blue' }),
      car('AB12 CDF', { vrm: 'AB12CDF', make: 'Ford', colour: 'blue' }),
    );
    expect(p?.evidence).toEqual([
      'marks differ by one character (AB12 CDE, AB12 CDF)',
      'same make (Ford)',
      'same colour (blue)',
    ]);
    const o = pair(
      car('AB12 CDE', { vrm: 'AB12CDE', make: 'Ford' }),
      car('AB12 CD3', { vrm: 'AB12CD3', make: 'Ford' }),
    );
    expect(o?.evidence[0]).toBe('marks differ by one character (AB12 CDE, AB12 CD3)');
  });

  it('a partly read mark', () => {
    const p = pair(
      car('AB12 CDE', { vrm: 'AB12CDE', make: 'Ford', colour: 'blue' }),
      car('AB12 C?E', { vrm: 'AB12C?E', make: 'Ford' }),
    );
    expect(p?.evidence[0]).toBe('one mark is part of the other (AB12 CDE, AB12 C?E)');
  });

  it('near marks on cars of different makes and colours are not proposed', () => {
    expect(
      pair(
        car('AB12 CDE', { vrm: 'AB12CDE', make: 'Ford', colour: 'blue' }),
        car('AB12 CDF', { vrm: 'AB12CDF', make: 'Audi', colour: 'red' }),
      ),
    ).toBeUndefined();
  });
});

describe('proposals', () => {
  it('name the pair in order, by type, strongest first', () => {
    const a = person('John Smith', '1990-03-04');
    const b = person('John Smith', '1990-03-04');
    const c = person('J Smith', '1990-03-04');
    const ps = findDuplicates([c, b, a]);
    for (const p of ps) expect(p.a < p.b).toBe(true);
    expect(ps[0]).toMatchObject({ a: a.id, b: b.id, type: 'Person' });
    for (let i = 1; i < ps.length; i++) expect(ps[i - 1].weight).toBeGreaterThanOrEqual(ps[i].weight);
  });

  it('the fingerprint changes when the evidence changes, not otherwise', () => {
    const a = person('John Smith', '1990-03-04', [], { role: 'runner' });
    const b = person('John Smith', '1990-03-04');
    const before = pair(a, b)!.fingerprint;
    expect(pair(a, b)!.fingerprint).toBe(before);
    expect(pair({ ...a, attributes: { ...a.attributes, role: 'dealer' } }, b)!.fingerprint).toBe(before);
    expect(pair({ ...a, attributes: { dob: '1990-03-05' } }, b)!.fingerprint).not.toBe(before);
    expect(pair(a, { ...b, linked: [phone('t1', '07700 900123')] })!.fingerprint).not.toBe(before);
    expect(pair({ ...a, label: 'Jon Smith' }, b)!.fingerprint).not.toBe(before);
  });

  it('a threshold and types from the options', () => {
    const a = person('John Smith', '1990-03-04');
    const b = person('John Smith', '1990-03-04');
    expect(findDuplicates([a, b], { threshold: 100 })).toEqual([]);
    expect(findDuplicates([a, b], { types: ['Phone'] })).toEqual([]);
    expect(findDuplicates([a, b], { onlyIds: ['e0'] })).toEqual([]);
    expect(findDuplicates([a, b], { onlyIds: [a.id] })).toHaveLength(1);
  });
});

describe('the labelled set', () => {
  it('at 2,000 people: recall and precision at least 0.9', () => {
    const set = generateDupeSet({ people: 2000, seed: 7 });
    const truth = truePairs(set);
    const ps = findDuplicates(set.records);
    const correct = ps.filter((p) => truth.has(`${p.a}|${p.b}`)).length;
    expect(correct / ps.length).toBeGreaterThanOrEqual(0.9);
    expect(correct / truth.size).toBeGreaterThanOrEqual(0.9);
    // No namesake is proposed with its original on the name alone.
    const namesakes = new Set(set.namesakes);
    const byName = ps.filter(
      (p) => (namesakes.has(p.a) || namesakes.has(p.b)) && !truth.has(`${p.a}|${p.b}`),
    );
    for (const p of byName) expect(p.evidence.join('; ')).not.toMatch(/^same name; different dates of birth/);
  });
});

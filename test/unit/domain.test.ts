// The domain spine: natural keys, normalisation, grading arithmetic and the input schemas' messages.
import { describe, expect, it } from 'vitest';
import { naturalKey } from '../../server/domain/keys.ts';
import {
  displayPhone,
  displayVrm,
  normalisePhone,
  normalisePostcode,
  normaliseVrm,
} from '../../server/domain/normalise.ts';
import { bestGrading, gradingWeight, passesMinGrading } from '../../server/domain/grading.ts';
import { linkInputSchema, reportInputSchema, viewFilterSchema } from '../../server/domain/model.ts';

describe('natural keys', () => {
  it('recognise the same thing written differently', () => {
    expect(naturalKey('Phone', '07700 900123')).toBe('+447700900123');
    expect(naturalKey('Phone', 'x', { number: '+44 (0)7700-900123' })).toBe(
      naturalKey('Phone', '07700900123'),
    );
    expect(naturalKey('Phone', '0044 7700 900123')).toBe('+447700900123');
    expect(naturalKey('Vehicle', 'ab12 cde')).toBe('AB12CDE');
    expect(naturalKey('Location', 'x', { postcode: 'sw1a1aa' })).toBe('SW1A 1AA');
    expect(naturalKey('Location', 'x', { lat: 53.4, lon: -2.98 })).toBe('53.40000,-2.98000');
    const nfc = 'Jos\u00e9  Mu\u00f1oz';
    expect(naturalKey('Person', nfc.normalize('NFD'))).toBe(naturalKey('Person', nfc));
    expect(naturalKey('Person', 'José Muñoz')).toBe('josé muñoz');
    expect(naturalKey('Person', 'A', { externalRef: ' pnc 12/34x ' })).toBe('ref:PNC 12/34X');
    expect(naturalKey('Person', 'Ann Lee', { dob: '1990-01-02' })).toBe('ann lee|1990-01-02');
    expect(naturalKey('Organisation', 'X', { companyNumber: 'sc123' })).toBe('co:SC123');
    expect(naturalKey('Account', '20-00-00 1234 5678')).toBe('20000012345678');
  });
  it('shows UK numbers in the national form and others internationally, and keys them the same', () => {
    expect(displayPhone('+447700900123')).toBe('07700 900123');
    expect(displayPhone('+442079460000')).toBe('020 7946 0000');
    expect(displayPhone('+33612345678')).toBe('+33 6 12 34 56 78');
    expect(displayPhone('12')).toBe('12');
    for (const n of ['+447700900123', '+442079460000', '+33612345678'])
      expect(normalisePhone(displayPhone(n))).toBe(n);
  });
  it('shows UK registrations as printed on the plate, and keys them without the space', () => {
    const shown = ['ab12cde', 'A123 BCD', 'abc-123d', 'ABZ 1234', '1234 AB', 'WP 1', 'AB-123-CD'].map((r) =>
      displayVrm(normaliseVrm(r)),
    );
    expect(shown).toEqual(['AB12 CDE', 'A123 BCD', 'ABC 123D', 'ABZ 1234', '1234 AB', 'WP 1', 'AB123CD']);
    for (const r of shown) expect(normaliseVrm(r)).toBe(normaliseVrm(displayVrm(normaliseVrm(r))));
  });
  it('normalisers are stable on their own output', () => {
    expect(normalisePhone(normalisePhone('07700 900123')!)).toBe('+447700900123');
    expect(normalisePhone('not a number')).toBeNull();
    expect(normaliseVrm(normaliseVrm('ab12 cde'))).toBe('AB12CDE');
    expect(normalisePostcode(normalisePostcode('m1 1ae'))).toBe('M1 1AE');
  });
});

describe('grading', () => {
  it('passes a minimum on both scales and ranks by weight', () => {
    expect(passesMinGrading({ source: 2, intel: 'B' }, { source: 2, intel: 'C' })).toBe(true);
    expect(passesMinGrading({ source: 3, intel: 'A' }, { source: 2, intel: 'E' })).toBe(false);
    expect(passesMinGrading({ source: 1, intel: 'D' }, { source: 3, intel: 'C' })).toBe(false);
    expect(passesMinGrading(null, { source: 3, intel: 'E' })).toBe(false);
    expect(passesMinGrading(null, undefined)).toBe(true);
    expect(bestGrading({ source: 1, intel: 'D' }, { source: 2, intel: 'C' })).toEqual({
      source: 2,
      intel: 'C',
    });
    expect(gradingWeight({ source: 1, intel: 'A' })).toBe(1);
    expect(gradingWeight({ source: 3, intel: 'E' })).toBeCloseTo(0.03);
  });
});

describe('input schemas say what is wrong', () => {
  const rep = { ref: 'R1', date: '2024-01-01', author: 'a', source: 2, intel: 'B', handling: 'P' };
  it('reports', () => {
    expect(reportInputSchema.safeParse(rep).success).toBe(true);
    const c = reportInputSchema.safeParse({ ...rep, handling: 'C' });
    expect(c.error?.issues[0].message).toMatch(/handling code C requires its conditions/);
    expect(reportInputSchema.safeParse({ ...rep, source: 4 }).error?.issues[0].message).toMatch(
      /not 1, 2 or 3/,
    );
    expect(reportInputSchema.safeParse({ ...rep, date: '01/02/2024' }).error?.issues[0].message).toMatch(
      /ISO 8601/,
    );
  });
  it('links and views', () => {
    const l = linkInputSchema.safeParse({ type: 'PHONED', from: { id: 'a' }, to: { id: 'b' } });
    expect(l.error?.issues[0].message).toMatch(/unknown link type "PHONED"/);
    expect(
      linkInputSchema.safeParse({ type: 'CALLED', from: { id: 'a' }, to: { id: 'b' }, weight: 0 }).success,
    ).toBe(false);
    expect(viewFilterSchema.safeParse({ minGrading: { source: 2, intel: 'Z' } }).success).toBe(false);
  });
});

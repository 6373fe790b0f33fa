// Natural keys: how the store recognises that an incoming entity is one it already holds.
import type { EntityType, Properties } from './model.ts';
import {
  normaliseAccount,
  normaliseName,
  normalisePhone,
  normalisePostcode,
  normaliseVrm,
} from './normalise.ts';

function str(p: Properties, k: string): string | undefined {
  const v = p[k];
  return typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * The natural key of an entity, from its strongest identifier:
 * Phone: E.164 number; Vehicle: VRM; Location: postcode, else lat,lon, else name; Account: account number;
 * Person: external reference (e.g. PNC id), else name + date of birth, else name; Organisation: company
 * number, else name; Event: reference, else name + date. Keys are case-folded where case carries no meaning.
 */
export function naturalKey(type: EntityType, label: string, properties: Properties = {}): string {
  const name = normaliseName(label).toLowerCase();
  switch (type) {
    case 'Phone': {
      const raw = str(properties, 'number') ?? label;
      return normalisePhone(raw) ?? normaliseName(raw).toLowerCase();
    }
    case 'Vehicle':
      return normaliseVrm(str(properties, 'vrm') ?? label);
    case 'Location': {
      const pc = str(properties, 'postcode');
      if (pc) return normalisePostcode(pc);
      const lat = properties['lat'];
      const lon = properties['lon'];
      if (typeof lat === 'number' && typeof lon === 'number') return `${lat.toFixed(5)},${lon.toFixed(5)}`;
      return name;
    }
    case 'Account':
      return normaliseAccount(str(properties, 'accountNumber') ?? label);
    case 'Person': {
      const ref = str(properties, 'externalRef');
      if (ref) return `ref:${ref.trim().toUpperCase()}`;
      const dob = str(properties, 'dob');
      return dob ? `${name}|${dob}` : name;
    }
    case 'Organisation': {
      const no = str(properties, 'companyNumber');
      return no ? `co:${no.trim().toUpperCase()}` : name;
    }
    case 'Event': {
      const ref = str(properties, 'reference');
      if (ref) return `ref:${ref.trim().toUpperCase()}`;
      const date = str(properties, 'date');
      return date ? `${name}|${date}` : name;
    }
  }
}

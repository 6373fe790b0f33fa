// The postcode table: postcode -> WGS84 latitude and longitude, in a SQLite file of its own beside the
// database (config.map.postcodesPath). A file of its own because the table is public reference data, not
// intelligence: it stays out of the audit, the data version, retention and `npm run transfer`; both stores
// (SQLite and Neo4j) read the same file; 2.7M rows load in a minute without touching the graph; and a new
// release replaces the old one whole, by renaming a finished file over it.
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface PostcodePlace {
  postcode: string;
  lat: number;
  lon: number;
}

export interface PostcodeTableInfo {
  rows: number;
  /** File name the table was loaded from, and its layout (ONSPD, Code-Point Open, …). */
  source: string;
  layout: string;
  loadedAt: string;
}

/** The key postcodes are stored under: upper case, no spaces ("sw1a 1aa" -> "SW1A1AA"). */
export function postcodeKey(raw: string): string {
  return raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** A whole UK postcode (outward and inward code), in key form. */
export const POSTCODE_KEY = /^(?:[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$/;

/** "SW1A1AA" -> "SW1A 1AA". */
export function formatPostcode(key: string): string {
  return key.length < 5 ? key : `${key.slice(0, -3)} ${key.slice(-3)}`;
}

export const POSTCODE_SCHEMA = `
  CREATE TABLE IF NOT EXISTS postcodes (pc TEXT PRIMARY KEY, lat REAL NOT NULL, lon REAL NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * Read-only access to the table file. The file may be replaced while the server runs (npm run postcodes
 * load): each call checks the file's identity and reopens it when it changed.
 */
export class PostcodeTable {
  private db: Database.Database | null = null;
  private stamp = '';
  private info_: PostcodeTableInfo | null = null;

  constructor(readonly path: string) {}

  private open(): Database.Database | null {
    let stamp = '';
    if (existsSync(this.path)) {
      const s = statSync(this.path);
      stamp = `${s.ino}:${s.mtimeMs}:${s.size}`;
    }
    if (stamp === this.stamp) return this.db;
    this.db?.close();
    this.db = null;
    this.info_ = null;
    this.stamp = stamp;
    if (!stamp) return null;
    const db = new Database(this.path, { readonly: true, fileMustExist: true });
    const meta = new Map(
      (db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((r) => [
        r.key,
        r.value,
      ]),
    );
    this.info_ = {
      rows: Number(meta.get('rows') ?? 0),
      source: meta.get('source') ?? '',
      layout: meta.get('layout') ?? '',
      loadedAt: meta.get('loadedAt') ?? '',
    };
    this.db = db;
    return db;
  }

  /** What is loaded, or null when no table has been loaded. */
  info(): PostcodeTableInfo | null {
    this.open();
    return this.info_;
  }

  /** Places of the postcodes the table holds (in any spelling); the others are left out. */
  lookup(postcodes: readonly string[]): PostcodePlace[] {
    const db = this.open();
    if (!db) return [];
    const get = db.prepare<[string], { lat: number; lon: number }>(
      'SELECT lat, lon FROM postcodes WHERE pc = ?',
    );
    const out: PostcodePlace[] = [];
    const seen = new Set<string>();
    for (const raw of postcodes) {
      const key = postcodeKey(raw);
      if (seen.has(key) || !POSTCODE_KEY.test(key)) continue;
      seen.add(key);
      const row = get.get(key);
      if (row) out.push({ postcode: formatPostcode(key), lat: row.lat, lon: row.lon });
    }
    return out;
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.stamp = '';
  }
}

// A real server (random loopback port, real SQLite file in a temp dir, or the stores given, such as Neo4j's;
// the audit on) with several signed-in users, for the need-to-know and operations tests: each user calls
// through their own session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { Stores } from '../../server/store/stores.ts';
import type { Role } from '../../server/domain/model.ts';

export interface Reply {
  status: number;
  json: unknown;
  text: string;
  headers: Headers;
  bytes: Buffer;
}

export type Caller = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Reply>;

export interface OpsHarness {
  app: FastifyInstance;
  stores: Stores;
  url: string;
  dir: string;
  /** A signed-in user's caller (created on first use with the given global role). */
  as(name: string, role?: Role): Promise<Caller>;
  close(): Promise<void>;
}

export async function startOpsHarness(given?: Stores): Promise<OpsHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'linkchart-ops-'));
  const stores = given ?? (await openStore({ LINKCHART_DB: join(dir, 'test.db') }));
  const config = {
    ...loadConfig({}, dir),
    webDist: '/nonexistent-linkchart-web',
    auditExportIdsDir: join(dir, 'audit-ids'),
  };
  const app = await buildApp({ stores, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const callers = new Map<string, Caller>();
  return {
    app,
    stores,
    url,
    dir,
    async as(name, role = 'analyst') {
      const known = callers.get(name);
      if (known) return known;
      const user =
        (await stores.security.getUserByName(name)) ??
        (await stores.security.createUser({ name, role, passwordHash: 'not-used' }));
      const { id, session } = await app.security.sessions.create({
        id: user.id,
        name: user.name,
        role: user.role,
      });
      const auth = { cookie: `${app.security.cookies.session}=${id}`, 'x-csrf-token': session.csrf };
      const caller: Caller = async (method, path, body, headers = {}) => {
        const isText = typeof body === 'string' || body instanceof Uint8Array;
        const res = await fetch(url + path, {
          method,
          headers: {
            ...auth,
            ...(body !== undefined && !isText ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
          ...(body !== undefined ? { body: isText ? (body as string) : JSON.stringify(body) } : {}),
        });
        const bytes = Buffer.from(await res.arrayBuffer());
        const text = bytes.toString('utf8');
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        return { status: res.status, json, text, headers: res.headers, bytes };
      };
      callers.set(name, caller);
      return caller;
    },
    async close() {
      await app.close();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A 1x1 white PNG (the briefing's chart image). */
export function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 255, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

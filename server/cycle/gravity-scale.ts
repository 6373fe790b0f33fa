// Loads the gravity scale RFG uses: server/cycle/gravity-scale.json by default, or the JSON file named
// by LINKCHART_GRAVITY_SCALE (same shape) so a force can set its own seriousness table without a
// code change. The file is validated; a bad one stops the server with a message naming the field.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { normaliseCategory, type GravityScale } from './rfg.ts';

const gravity = z.number().finite().positive('gravity must be a number above 0');
export const gravityScaleSchema = z.object({
  description: z.string().optional(),
  default: gravity,
  categories: z.record(z.string().min(1), gravity),
});

export const DEFAULT_GRAVITY_SCALE_PATH = new URL('./gravity-scale.json', import.meta.url);

export function parseGravityScale(json: unknown, where = 'gravity scale'): GravityScale {
  const r = gravityScaleSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new Error(`${where}: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  const categories: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.data.categories)) categories[normaliseCategory(k)] = v;
  return { description: r.data.description, default: r.data.default, categories };
}

export function loadGravityScale(env: NodeJS.ProcessEnv = process.env): GravityScale {
  const path = env.LINKCHART_GRAVITY_SCALE?.trim() || DEFAULT_GRAVITY_SCALE_PATH;
  const where = typeof path === 'string' ? path : 'server/cycle/gravity-scale.json';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`LINKCHART_GRAVITY_SCALE: cannot read ${where}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not valid JSON: ${(e as Error).message}`);
  }
  return parseGravityScale(json, where);
}

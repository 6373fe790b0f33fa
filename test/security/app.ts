// The app the security tests run against: the real buildApp when it loads, so every route is covered.
import type { FastifyInstance } from 'fastify';
import type { Stores } from '../../server/store/stores.ts';
import type { SecurityOptions } from '../../server/security/plugin.ts';
import { loadConfig } from '../../server/config.ts';

export async function securedApp(
  stores: Stores,
  security: Omit<SecurityOptions, 'stores'> = {},
): Promise<FastifyInstance> {
  const { buildApp } = await import('../../server/app.ts');
  const config = { ...loadConfig({}), webDist: '/nonexistent-linkchart-web' };
  const app = await buildApp({ stores, config, security });
  await app.ready();
  return app;
}

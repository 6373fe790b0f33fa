// The app the security tests run against: the real buildApp when it loads, so every route is covered.
import type { FastifyInstance } from 'fastify';
import type { GraphStore } from '../../server/store/graph-store.ts';
import type { SecurityOptions } from '../../server/security/plugin.ts';
import { loadConfig } from '../../server/config.ts';

export async function securedApp(
  store: GraphStore,
  security: Omit<SecurityOptions, 'store'> = {},
): Promise<FastifyInstance> {
  const { buildApp } = await import('../../server/app.ts');
  const config = { ...loadConfig({}), webDist: '/nonexistent-linkchart-web' };
  const app = await buildApp({ store, config, security });
  await app.ready();
  return app;
}

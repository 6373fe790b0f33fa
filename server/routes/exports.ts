// Exports: placeholder until server/export lands.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../app.ts';

const exports: FastifyPluginAsyncZod<RouteDeps> = async () => {};
export default exports;

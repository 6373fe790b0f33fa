// Registers every route plugin under /api. Each plugin receives { stores, config } (RouteDeps) as options.
// Add new route plugins here (one line each).
import type { FastifyPluginAsync } from 'fastify';
import { bindRequests, type RouteDeps } from './context.ts';
import health from './health.ts';
import graph from './graph.ts';
import notes from './notes.ts';
import imports from './imports.ts';
import exports from './exports.ts';
import auth from './auth.ts';
import users from './users.ts';
import audit from './audit.ts';
import retention from './retention.ts';
import cycle from './cycle.ts';
import analysis from './analysis.ts';
import briefing from './briefing.ts';
import drafts from './drafts.ts';
import map from '../geo/route.ts';
import picture from './picture.ts';
import events from './events.ts';
import eventPatterns from './event-patterns.ts';
import duplicates from './duplicates.ts';
import deconfliction from './deconfliction.ts';
import operations from './operations.ts';
import operationCandidates from './operation-candidates.ts';

export const registerRoutes: FastifyPluginAsync<RouteDeps> = async (app, { stores, config }) => {
  // Only the dependencies: the options also carry this plugin's prefix, which must not nest.
  const deps: RouteDeps = { stores, config };
  // Every request under /api finds its stores for need-to-know (readScope, writeContext: context.ts).
  bindRequests(app, stores);
  await app.register(health, deps);
  await app.register(graph, deps);
  await app.register(notes, deps);
  await app.register(imports, deps);
  await app.register(exports, deps);
  await app.register(auth, deps);
  await app.register(users, deps);
  await app.register(audit, deps);
  await app.register(retention, deps);
  await app.register(cycle, deps);
  await app.register(analysis, deps);
  await app.register(briefing, deps);
  await app.register(drafts, deps);
  await app.register(map, deps);
  await app.register(picture, deps);
  await app.register(events, deps);
  await app.register(eventPatterns, deps);
  await app.register(duplicates, deps);
  await app.register(deconfliction, deps);
  await app.register(operations, deps);
  await app.register(operationCandidates, deps);
};

// `npm run dev`: the API with request logging. Run the web app's dev server (vite) alongside it;
// it proxies /api to this server.
import { start } from './start.ts';
import { fail } from './start.ts';

start({ logger: { level: process.env['LOG_LEVEL'] || 'info' } }).catch((e: unknown) =>
  fail(e instanceof Error ? e.message : String(e)),
);

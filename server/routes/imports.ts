// Imports: POST the file as the request body (text/csv or application/octet-stream), options in the query.
// /api/imports/preview shows the first rows and the proposed mapping; /api/imports commits and reports.
import { basename } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart, { type Multipart } from '@fastify/multipart';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ImportRun } from '../domain/model.ts';
import type { Operation } from '../domain/operations.ts';
import { errorResponses, idParamsSchema, keyedPageQuerySchema, pageSchema } from '../api-types/common.ts';
import {
  importOptionsSchema,
  importPreviewSchema,
  importReportSchema,
  type ImportReport,
} from '../api-types/imports.ts';
import { previewImport, runImport, type ImportLimits, type PreviewArgs } from '../import/pipeline.ts';
import { ImportWorker } from '../import/off-thread.ts';
import { ImportError } from '../import/errors.ts';
import { ApiError } from '../api-types/errors.ts';
import { duplicatesAfterImport } from '../dedupe/queue-import.ts';
import { graphFor, readScope, writeContext, type RouteDeps } from './context.ts';
import { notFound, untyped, type ZodApp } from './crud.ts';

const FILE_TYPES = [
  'text/csv',
  'text/plain',
  'application/octet-stream',
  'text/tab-separated-values',
  'application/vnd.ms-excel',
];

/** An uploaded file: its bytes, and its name when the upload carried one (a multipart file part). */
interface Upload {
  input: Readable;
  name?: string;
}

/** The operation an import wrote into, as its report names it. */
const operationOf = (op: Operation): NonNullable<ImportReport['operation']> => ({
  id: op.id,
  ref: op.ref,
  name: op.name,
  sensitivity: op.sensitivity,
});

/** A stored run as the API reports it: the pipeline's report, with who ran it, when, and in which operation. */
const asReport = (r: ImportRun, op: Operation | null): ImportReport => ({
  ...(r.report as ImportReport),
  at: r.at,
  actor: r.actor,
  ...(op ? { operation: operationOf(op) } : {}),
});

function fileBody(
  body: unknown,
  declared: string | undefined,
  reply: FastifyReply,
  uploadBytes: number,
): Readable {
  if (!body || typeof (body as Readable).pipe !== 'function') {
    throw new ApiError(400, 'invalid', 'send the file as the request body with content-type text/csv');
  }
  if (declared !== undefined && Number(declared) > uploadBytes) {
    // Answer at once and close: the client need not send gigabytes to learn the limit.
    reply.header('connection', 'close');
    (body as Readable).resume();
    throw new ApiError(
      413,
      'too_large',
      `the file (${declared} bytes) is larger than the upload limit of ${uploadBytes} bytes (LINKCHART_MAX_UPLOAD_BYTES); ` +
        'split it into smaller files or import it with the CLI on the server (npm run import)',
    );
  }
  return body as Readable;
}

/**
 * The one file part of a multipart upload, as a stream the pipeline reads like a raw body. The file must
 * be the last part: its stream ends only once the parser has confirmed no second file follows, so an
 * upload with two files fails while the pipeline is still reading, before anything is written.
 */
async function multipartFile(req: FastifyRequest): Promise<Upload> {
  let it: AsyncIterator<Multipart>;
  let next: IteratorResult<Multipart>;
  try {
    it = req.parts()[Symbol.asyncIterator]();
    next = await it.next();
    while (!next.done && next.value.type !== 'file') next = await it.next();
  } catch (e) {
    // The form itself is broken (no boundary in the content type, a malformed part header): the
    // parser's errors carry no status, and without one they would be answered as a server fault.
    const status = (e as { statusCode?: number }).statusCode;
    if (status !== undefined && status < 500) throw e;
    throw new ApiError(
      400,
      'bad_multipart',
      `the multipart/form-data body could not be read (${(e as Error).message}); send it as -F file=@name.csv`,
    );
  }
  if (next.done) {
    throw new ApiError(400, 'no_file', 'the multipart upload has no file part; send it as -F file=@name.csv');
  }
  const part = next.value;
  if (part.type !== 'file') throw new ApiError(400, 'no_file', 'the multipart upload has no file part');
  const file = part.file;
  const out = new PassThrough();
  file.on('error', (e: Error) => out.destroy(e));
  file.on('end', () => {
    void (async () => {
      for (let n = await it.next(); !n.done; n = await it.next()) {
        if (n.value.type === 'file') {
          n.value.file.resume();
          throw new ImportError(
            400,
            'multiple_files',
            `the multipart upload has more than one file part (${JSON.stringify(n.value.fieldname)} is the second); send one file per import`,
          );
        }
      }
    })().then(
      () => out.end(),
      (e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))),
    );
  });
  file.pipe(out, { end: false });
  // The part's file name names the import when the query does not (a browser may send a whole path).
  const name = part.filename ? basename(part.filename.replaceAll('\\', '/')).trim().slice(0, 300) : '';
  return { input: out, ...(name ? { name } : {}) };
}

/** The uploaded file, from a raw body or a multipart form. */
async function upload(req: FastifyRequest, reply: FastifyReply, uploadBytes: number): Promise<Upload> {
  return req.isMultipart()
    ? multipartFile(req)
    : { input: fileBody(req.body, req.headers['content-length'], reply, uploadBytes) };
}

/** The import options of the query, named after the uploaded file when the query gives no name. */
function withName<Q extends { name?: string | undefined }>(query: Q, up: Upload): Q {
  return query.name === undefined && up.name !== undefined ? { ...query, name: up.name } : query;
}

const DOCS = {
  consumes: [...FILE_TYPES, 'multipart/form-data'],
  description:
    'The request body is the file itself (CSV, UTF-8), or multipart/form-data with exactly one file part ' +
    '(curl -F file=@calls.csv). Options go in the query string; map entries read ' +
    '"column=field", repeated or comma-separated. Errors name the file row (header = row 1) and column.',
};

/** POST a file: the upload and its options (named after the file) go to one step of the pipeline. */
function fileRoute<R extends z.ZodType>(
  app: ZodApp,
  limits: ImportLimits,
  route: {
    url: string;
    summary: string;
    response: R;
    run: (file: PreviewArgs, req: FastifyRequest) => Promise<z.output<R>>;
  },
): void {
  const { uploadBytes } = limits;
  untyped(app).post(
    route.url,
    {
      config: { access: 'import:run' },
      bodyLimit: uploadBytes,
      schema: {
        tags: ['imports'],
        summary: route.summary,
        querystring: importOptionsSchema,
        response: { 200: route.response, ...errorResponses },
        ...DOCS,
      },
    },
    async (req, reply) => {
      const up = await upload(req, reply, uploadBytes);
      const options = withName(req.query as z.output<typeof importOptionsSchema>, up);
      return route.run({ input: up.input, options, limits }, req);
    },
  );
}

/**
 * The kept reports of past runs, under need-to-know: each run records the operation it wrote into, and the
 * request reads the runs of the operations it may read (narrowed to its working operations), whoever ran
 * them; a run into a closed operation is absent for anyone outside it (its id answers 404, as an unknown one).
 */
function runRoutes(app: ZodApp, deps: Pick<RouteDeps, 'stores'>): void {
  const { stores } = deps;
  const logFor = async (req: FastifyRequest) => stores.imports.scoped(await readScope(req, deps));
  /** Each run's report with its operation (looked up once per operation per request). */
  const reports = async (runs: ImportRun[]): Promise<ImportReport[]> => {
    const ops = new Map<string, Promise<Operation | null>>();
    return Promise.all(
      runs.map(async (r) => {
        let op = ops.get(r.operationId);
        if (!op) ops.set(r.operationId, (op = stores.operations.get(r.operationId)));
        return asReport(r, await op);
      }),
    );
  };
  app.get(
    '/imports',
    {
      config: { access: 'graph:read' },
      schema: {
        tags: ['imports'],
        summary:
          'Reports of imports, newest first (each run of an import, through the API or the CLI); importId keeps one import',
        querystring: keyedPageQuerySchema.extend({ importId: z.string().max(200).optional() }),
        response: { 200: pageSchema(importReportSchema), ...errorResponses },
      },
    },
    async (req) => {
      const page = await (await logFor(req)).listImportRuns(req.query);
      return { ...page, items: await reports(page.items) };
    },
  );
  app.get(
    '/imports/:id',
    {
      config: { access: 'graph:read' },
      schema: {
        tags: ['imports'],
        summary: 'The report of the latest run of one import',
        params: idParamsSchema,
        response: { 200: importReportSchema, ...errorResponses },
      },
    },
    async (req) => {
      const r = (await (await logFor(req)).listImportRuns({ importId: req.params.id, limit: 1 })).items[0];
      if (!r) throw notFound('import', req.params.id);
      return (await reports([r]))[0];
    },
  );
}

const imports: FastifyPluginAsyncZod<RouteDeps> = async (app, { stores, config }) => {
  const l = config.limits;
  const limits: ImportLimits = {
    uploadBytes: l.uploadBytes,
    maxImportErrors: l.maxImportErrors,
    maxRowChars: l.maxImportRowChars,
    maxColumns: l.maxImportColumns,
    networkBytes: l.maxNetworkFileBytes,
    maxProjectedPairs: l.maxProjectionPairs,
  };
  const { uploadBytes } = limits;
  // The body stays a stream: the pipeline reads it row by row and enforces the upload cap itself.
  app.addContentTypeParser(FILE_TYPES, (_req, payload, done) => done(null, payload));
  // multipart/form-data (curl -F file=@calls.csv): one byte past the cap reaches the pipeline, which answers
  // 413 exactly as for a raw body; busboy's own limit would only truncate the part.
  await app.register(multipart, { limits: { fileSize: uploadBytes + 1, fieldSize: 64 * 1024, parts: 16 } });

  // On a SQLite file an import runs on a worker thread (server/import/off-thread.ts), started at the first
  // preview or import: a large file no longer holds every other request while it is read and written.
  const worker = ImportWorker.for(stores);
  if (worker) app.addHook('onClose', () => worker.stop());

  fileRoute(app, limits, {
    url: '/imports/preview',
    summary: 'Preview an import: the first rows, the columns and the proposed column mapping',
    response: importPreviewSchema,
    run: (file) => {
      // A preview is usually followed by the import: have the worker ready for it.
      worker?.warm();
      return previewImport(file);
    },
  });
  fileRoute(app, limits, {
    url: '/imports',
    summary: 'Import a file (all or nothing; the same file again changes nothing) and report what it did',
    response: importReportSchema,
    run: async (file, req) => {
      // The import writes into the request's working operation (checked: 403 where the user may not write).
      const ctx = await writeContext(req);
      const report = worker
        ? await worker.run({ input: file.input, options: file.options, ctx, limits })
        : await runImport({ ...file, store: await graphFor(req, { stores }), ctx });
      const op = ctx.operationId ? await stores.operations.get(ctx.operationId) : null;
      const operation = op ? { operation: operationOf(op) } : {};
      if (!file.options.findDuplicates) return { ...report, ...operation };
      return {
        ...report,
        ...operation,
        duplicates: await duplicatesAfterImport(
          stores,
          report.importId,
          ctx,
          await readScope(req, { stores }),
        ),
      };
    },
  });
  runRoutes(app, { stores });
};
export default imports;

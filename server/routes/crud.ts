// The routes every stored kind of thing has (list, create, get, change, delete), written once. A route
// plugin names the kind (its path, OpenAPI tag, the word its errors use, who may read and write it) and
// gives each operation its summary, schemas and store call; the access rule, the error responses, the
// 404 wording, the write context and the { ok: true } of a delete are the same for all of them.
import type { z } from 'zod';
import type { FastifyRequest, FastifyTypeProviderDefault } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, idParamsSchema, okSchema, pageSchema } from '../api-types/common.ts';
import { ApiError } from '../api-types/errors.ts';
import type { WriteContext } from '../domain/model.ts';
import type { Permission } from '../security/permissions.ts';
import type { Page } from '../store/common.ts';
import { writeContext } from './context.ts';

/** The app a route plugin receives (Zod schemas type its requests and replies). */
export type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

/** A kind of stored thing as its routes name it. */
export interface Kind {
  /** Collection URL, e.g. '/entities'; one item is `${path}/:id`. */
  path: string;
  /** OpenAPI tag. */
  tag: string;
  /** Singular noun for messages: "no entity with id ...". */
  what: string;
  read: Permission;
  write: Permission;
}

export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, 'not_found', `no ${what} with id ${JSON.stringify(id)}`);
}

type Out<S extends z.ZodType> = z.output<S>;
type ById = { Params: { id: string } };

/**
 * The same app without the Zod type provider: its request and reply types cannot follow schemas that are
 * type parameters, so each operation's types come from its store call instead. The schemas still
 * validate and serialize at run time exactly as on any other route.
 */
export function untyped(app: ZodApp) {
  return app.withTypeProvider<FastifyTypeProviderDefault>();
}

/** How one item of a kind is shown (reply schema of create, get and update) and read back by id. */
export interface Detail<R extends z.ZodType> {
  schema: R;
  /** The item by id as the request may read it (need-to-know: routes/context.ts graphFor). */
  get?: (id: string, req: FastifyRequest) => Promise<Out<R> | null>;
}

/** The routes of one kind, registered in the order they are called. */
export function crudRoutes<R extends z.ZodType>(app: ZodApp, kind: Kind, detail: Detail<R>): KindRoutes<R> {
  return new KindRoutes(app, kind, detail);
}

export class KindRoutes<R extends z.ZodType> {
  private readonly app: ReturnType<typeof untyped>;
  private readonly tags: string[];
  private readonly item: string;
  private readonly read: { access: Permission };
  private readonly write: { access: Permission };

  constructor(
    app: ZodApp,
    private readonly kind: Kind,
    private readonly detail: Detail<R>,
  ) {
    this.app = untyped(app);
    this.tags = [kind.tag];
    this.item = `${kind.path}/:id`;
    this.read = { access: kind.read };
    this.write = { access: kind.write };
  }

  /** The item by id, or a 404; asked for when a route that reads one item back is registered. */
  private readOne(): (id: string, req: FastifyRequest) => Promise<Out<R>> {
    const { get } = this.detail;
    const { path, what } = this.kind;
    if (!get) throw new Error(`${path}: routes that read one item back need detail.get`);
    return async (id, req) => {
      const found = await get(id, req);
      if (!found) throw notFound(what, id);
      return found;
    };
  }

  /** 404 unless the item is there for the caller to read (when the kind reads items back). */
  private async visible(id: string, req: FastifyRequest): Promise<void> {
    if (this.detail.get) await this.readOne()(id, req);
  }

  /** GET path: a page of items. */
  list<Q extends z.ZodObject, I extends z.ZodType>(op: {
    summary: string;
    query: Q;
    item: I;
    list: (query: Out<Q>, req: FastifyRequest) => Promise<Page<Out<I>>>;
  }): void {
    this.app.get(
      this.kind.path,
      {
        config: this.read,
        schema: {
          tags: this.tags,
          summary: op.summary,
          querystring: op.query,
          response: { 200: pageSchema(op.item), ...errorResponses },
        },
      },
      async (req) => op.list(req.query as Out<Q>, req),
    );
  }

  /** POST path: a new item, always 201. */
  create<B extends z.ZodType>(op: {
    summary: string;
    body: B;
    create: (body: Out<B>, ctx: WriteContext, req: FastifyRequest) => Promise<Out<R>>;
  }): void {
    this.app.post(
      this.kind.path,
      {
        config: this.write,
        schema: {
          tags: this.tags,
          summary: op.summary,
          body: op.body,
          response: { 201: this.detail.schema, ...errorResponses },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await op.create(req.body as Out<B>, await writeContext(req), req)),
    );
  }

  /**
   * POST path: write one item, matched by its natural key; 201 when it is new, 200 when it was there.
   * Answers with the item as read back, so the reply shows what the store holds.
   */
  upsert<B extends z.ZodType>(op: {
    summary: string;
    body: B;
    upsert: (
      body: Out<B>,
      ctx: WriteContext,
      req: FastifyRequest,
    ) => Promise<{ id: string; created: boolean }>;
  }): void {
    const getOne = this.readOne();
    this.app.post(
      this.kind.path,
      {
        config: this.write,
        schema: {
          tags: this.tags,
          summary: op.summary,
          body: op.body,
          response: { 200: this.detail.schema, 201: this.detail.schema, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { id, created } = await op.upsert(req.body as Out<B>, await writeContext(req), req);
        return reply.code(created ? 201 : 200).send(await getOne(id, req));
      },
    );
  }

  /** GET path/:id: one item, 404 when there is none. */
  get(summary: string): void {
    const getOne = this.readOne();
    this.app.get<ById>(
      this.item,
      {
        config: this.read,
        schema: {
          tags: this.tags,
          summary,
          params: idParamsSchema,
          response: { 200: this.detail.schema, ...errorResponses },
        },
      },
      async (req) => getOne(req.params.id, req),
    );
  }

  /** PATCH path/:id: the changed item. */
  update<B extends z.ZodType>(op: {
    summary: string;
    body: B;
    update: (id: string, patch: Out<B>, ctx: WriteContext, req: FastifyRequest) => Promise<Out<R>>;
  }): void {
    this.app.patch<ById>(
      this.item,
      {
        config: this.write,
        schema: {
          tags: this.tags,
          summary: op.summary,
          params: idParamsSchema,
          body: op.body,
          response: { 200: this.detail.schema, ...errorResponses },
        },
      },
      async (req) => {
        // An item the caller may not read is not there to change (need-to-know): the same 404.
        await this.visible(req.params.id, req);
        return op.update(req.params.id, req.body as Out<B>, await writeContext(req), req);
      },
    );
  }

  /** DELETE path/:id (or POST to another URL naming one item, such as an undo): { ok: true }. */
  remove(op: {
    summary: string;
    method?: 'DELETE' | 'POST';
    url?: string;
    remove: (id: string, ctx: WriteContext, req: FastifyRequest) => Promise<void>;
  }): void {
    this.app.route<ById>({
      method: op.method ?? 'DELETE',
      url: op.url ?? this.item,
      config: this.write,
      schema: {
        tags: this.tags,
        summary: op.summary,
        params: idParamsSchema,
        response: { 200: okSchema, ...errorResponses },
      },
      handler: async (req) => {
        await this.visible(req.params.id, req);
        await op.remove(req.params.id, await writeContext(req), req);
        return { ok: true as const };
      },
    });
  }
}

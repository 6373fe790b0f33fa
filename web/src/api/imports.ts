// Imports from the web app: preview a file, import it, list past runs (server/routes/imports.ts).
import type { ImportFormat, ImportPreview, ImportReport } from '@api/imports.ts';
import type { Entity } from '@domain/model.ts';
import { request } from './client.ts';

export type { ImportFormat, ImportPreview, ImportReport } from '@api/imports.ts';
export { FORMAT_FIELDS, IMPORT_FORMATS } from '@api/imports.ts';

export interface ImportChoices {
  format: ImportFormat;
  /** field -> column; fields left out are not mapped. */
  mapping: Record<string, string>;
  grading?: string;
  handling?: 'P' | 'C';
  report?: string;
  skipInvalid?: boolean;
  /** Two-mode files: store the projection onto people instead of the events (never both). */
  project?: boolean;
  /** Entities and links files: the type when no column gives it. */
  entityType?: string;
  linkType?: string;
  /** Look for likely duplicates among what the file brought in (the review queue). */
  findDuplicates?: boolean;
}

/** The query string the import routes read (the file is the body); `map` entries read column=field. */
export function importQuery(file: { name: string }, c: ImportChoices): string {
  const q = new URLSearchParams({ format: c.format, name: file.name });
  for (const [field, column] of Object.entries(c.mapping)) if (column) q.append('map', `${column}=${field}`);
  if (c.grading) q.set('grading', c.grading);
  if (c.grading && c.handling) q.set('handling', c.handling);
  if (c.report) q.set('report', c.report);
  if (c.skipInvalid) q.set('skipInvalid', 'true');
  if (c.project) q.set('project', 'true');
  if (c.entityType) q.set('entityType', c.entityType);
  if (c.linkType) q.set('linkType', c.linkType);
  if (c.findDuplicates) q.set('findDuplicates', 'true');
  return q.toString();
}

export const importsApi = {
  /** The entities an import wrote or matched (the first `limit`), and how many there are. */
  entities: (importId: string, limit = 1000) =>
    request<{ items: Entity[]; total: number; totalAtLeast?: boolean }>(
      'GET',
      `/api/entities?importId=${encodeURIComponent(importId)}&limit=${limit}`,
    ),
  preview: (file: File, c: ImportChoices) =>
    request<ImportPreview>('POST', `/api/imports/preview?${importQuery(file, c)}`, undefined, { file }),
  run: (file: File, c: ImportChoices) =>
    request<ImportReport>('POST', `/api/imports?${importQuery(file, c)}`, undefined, { file }),
  history: (limit = 10) =>
    request<{ items: ImportReport[]; total: number }>('GET', `/api/imports?limit=${limit}`),
};

// What every row-by-row import format provides to the pipeline.
import type { EntityInput, LinkInput } from '../../domain/model.ts';
import type { ParsedImportOptions } from '../../api-types/imports.ts';
import type { EventSource } from './events-buffer.ts';

export interface RowFormat {
  /** field -> column actually used. */
  readonly mapping: Record<string, string>;
  /** Adds one data row; throws RowProblem naming the column when the row is bad. */
  add(cells: string[], row: number): void;
  /** The aggregated entities and links, in a deterministic order, and the single calls or reads behind them. */
  finish(): { entities: EntityInput[]; links: LinkInput[]; events?: EventSource };
}

export interface FormatContext {
  columns: string[];
  options: ParsedImportOptions;
  /** Report refs every fact rests on. */
  reports: string[];
}

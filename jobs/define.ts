import type { z } from "zod";
import type { SavedMessage } from "~/i18n";

export interface JobContext {
  jobId: string;
  accountId: string | null;
  orgId: number | null;
  sittingId: number | null;
  /** Aborted at the job's time limit: long loops may stop early; `progress` throws once it is. */
  signal?: AbortSignal;
  /** 0–100; stored in the job row and shown by the progress component, the message in the viewer's language. */
  progress(percent: number, message?: SavedMessage): Promise<void>;
}

/**
 * A job: its id, its payload schema, and its handler, whose result `R` is stored as JSON in the job
 * row and read back by `findLastJobOf` typed as `R` (declare `R` with JSON values: strings, not Dates).
 */
export interface JobDefinition<S extends z.ZodTypeAny = z.ZodTypeAny, R = unknown> {
  id: string;
  payload: S;
  /** Loaded lazily so the web bundle does not pull every handler's dependencies up front. */
  handler: () => Promise<{ default: (payload: z.infer<S>, ctx: JobContext) => Promise<R> }>;
}

export function defineJob<S extends z.ZodTypeAny, R>(def: JobDefinition<S, R>): JobDefinition<S, R> {
  return def;
}

/** The result type a job definition declares. */
export type JobResultOf<D> = D extends JobDefinition<z.ZodTypeAny, infer R> ? R : never;

import type { z } from "zod";

export interface JobContext {
  jobId: string;
  accountId: string | null;
  orgId: number | null;
  sittingId: number | null;
  /** Aborted at the job's time limit: long loops may stop early; `progress` throws once it is. */
  signal?: AbortSignal;
  /** 0–100; stored in the job row and shown by the progress component. */
  progress(percent: number, message?: string): Promise<void>;
}

export interface JobDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> {
  id: string;
  payload: S;
  /** Loaded lazily so the web bundle does not pull every handler's dependencies up front. */
  handler: () => Promise<{ default: (payload: z.infer<S>, ctx: JobContext) => Promise<unknown> }>;
}

export function defineJob<S extends z.ZodTypeAny>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

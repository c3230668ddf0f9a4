import { z } from "zod";
import { getDb } from "~db/client";
import type { GeneratedKindName } from "~/services/generated-file-kinds";
import { generatedFileState, startGeneratedFile } from "~/services/generated-files.server";
import { parseForm } from "./http.server";
import {
  canChange,
  getWindowView,
  isSite,
  requireAdminMutation,
  requireCapability,
  requireSite,
} from "./permissions.server";
import { resolveSetupSite } from "./setup-site.server";

// The pages of files made from the imported scores (SCO-3's downloads, DOC-7's receipt forms): a
// site's generated files of a few kinds, made inside the post-exam downloads window (WIN-2) once
// there are scores (`passedOnly`: passing ones); superiors read and download what a site made.

export async function loadPostExamFiles<K extends GeneratedKindName>(
  request: Request,
  kinds: readonly K[],
  o: { passedOnly: boolean },
) {
  const ctx = await requireCapability(request, "personal_data");
  const { site, sites } = await resolveSetupSite(ctx, request);
  const db = getDb();
  let scores = db
    .selectFrom("score")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("sitting_id", "=", ctx.sitting.id)
    .where("org_id", "=", site.id);
  if (o.passedOnly) scores = scores.where("grade_code", ">=", 1);
  const [window, count, ...states] = await Promise.all([
    getWindowView(ctx, "post_exam_downloads"),
    scores.executeTakeFirstOrThrow(),
    ...kinds.map((k) => generatedFileState(db, k, ctx.sitting.id, site.id)),
  ]);
  return {
    site: { id: site.id, code: site.code, name: site.name },
    sites,
    window,
    scores: Number(count.n),
    kinds: kinds.map((k, i) => ({ kind: k, ...states[i] })),
    canGenerate: isSite(ctx) && canChange(ctx, window) && Number(count.n) > 0,
  };
}

export async function startPostExamFile<K extends GeneratedKindName>(request: Request, kinds: readonly [K, ...K[]]) {
  const ctx = await requireAdminMutation(request, { window: "post_exam_downloads", capability: "personal_data" });
  requireSite(ctx);
  const { kind } = parseForm(
    await request.formData(),
    z.object({ kind: z.string().refine((k): k is K => (kinds as readonly string[]).includes(k), "form.invalid") }),
  );
  await startGeneratedFile(ctx, kind as K);
  return { ok: true as const, kind };
}

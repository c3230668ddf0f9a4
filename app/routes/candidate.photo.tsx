import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import fs from "node:fs/promises";
import { getDb } from "~db/client";
import { findPhoto, findRegistrationByAccount } from "~db/queries/registrations";
import { PHOTO_MAX_FILE_BYTES } from "~/domain/photo";
import { personalDataRefusal } from "~/domain/registration";
import { discardUpload, receiveUpload } from "~/imports/upload.server";
import { PhotoPicker } from "~/components/photo-picker";
import { loadCandidateView, loadSiteRules } from "~/services/load-registration.server";
import { parsePhotoCrop, saveRegistrationPhoto } from "~/services/save-registration-photo.server";
import { requireCandidate } from "~/utils/auth.server";
import { guardAction, guardLoader } from "~/utils/http.server";
import { NextStepButton } from "~/components/next-step";
import { useT } from "~/utils/use-t";

/** PHO-7: upload, check and crop the photo; the server re-encodes it to a compliant JPEG. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const c = await requireCandidate(request);
    const db = getDb();
    const reg = await findRegistrationByAccount(db, c.sitting.id, c.accountId);
    if (!reg) throw redirect("/candidate/site");
    const photo = await findPhoto(db, reg.photo_id);
    const rules = await loadSiteRules(db, c.sitting.id, reg.org_id);
    // Issue 15 item 7: once saved, the next step is the page's primary button.
    const saved = new URL(request.url).searchParams.has("saved");
    return {
      next: saved ? (await loadCandidateView(c.sitting.id, c.accountId)).status.next : null,
      photoUrl: photo ? `/candidate/photo-image?v=${photo.created_at.getTime()}` : null,
      photo: photo ? { width: photo.width, height: photo.height, bytes: photo.bytes } : null,
      refusal: personalDataRefusal(rules, reg, new Date()),
      reviewFailedPhoto: reg.review_status === "failed" && reg.review_failure_type === "photo",
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async () => {
    const c = await requireCandidate(request);
    const upload = await receiveUpload(request, { field: "photo", maxBytes: PHOTO_MAX_FILE_BYTES });
    try {
      const bytes = await fs.readFile(upload.path);
      await saveRegistrationPhoto(c, { bytes, crop: parsePhotoCrop(upload.fields) });
    } finally {
      discardUpload(upload);
    }
    throw redirect("/candidate/photo?saved=1");
  });
}

export default function PhotoPage() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const t = useT();
  const [params] = useSearchParams();
  return (
    <section>
      <h1>{t("photo_page.title")}</h1>
      {params.get("saved") ? (
        <div className="notice success" role="status" data-testid="photo-saved">
          <p>{t("photo_page.saved")}</p>
          {d.next ? <NextStepButton next={d.next} /> : null}
        </div>
      ) : null}
      {params.get("new") ? (
        <p className="notice" role="status">
          {t("photo_page.registration_saved")}
        </p>
      ) : null}
      {d.reviewFailedPhoto ? <p className="error">{t("photo_page.review_failed")}</p> : null}
      {d.refusal ? <p className="readonly-banner">{t(d.refusal)}</p> : null}
      {a?.error ? (
        <p className="error" role="alert" data-testid="photo-error">
          {a.error}
        </p>
      ) : null}
      <p className="small muted">{t("photo_page.rules")}</p>
      {d.refusal ? (
        d.photoUrl ? (
          <img src={d.photoUrl} alt={t("photo_page.current")} className="photo-preview" width={180} height={240} />
        ) : null
      ) : (
        <Form method="post" encType="multipart/form-data" reloadDocument className="form" data-testid="photo-form">
          <PhotoPicker
            name="photo"
            currentUrl={d.photoUrl}
            t={t as (k: string, p?: Record<string, string | number>) => string}
          />
          <button type="submit" className={d.next ? undefined : "primary"} data-testid="photo-submit">
            {t("photo_page.upload")}
          </button>
        </Form>
      )}
    </section>
  );
}

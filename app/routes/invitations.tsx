import { roleLabel } from "~/domain/permissions";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~db/client";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { MessageKey } from "~/i18n";
import { LocaleSwitch } from "~/root";
import { listMyInvitations } from "~db/queries/invitations";
import { answerInvitation } from "~/services/answer-invitation.server";
import { clientIp, requireAccount } from "~/utils/auth.server";
import { guardAction, guardLoader, readForm } from "~/utils/http.server";
import { INVITATION_INTENT, InvitationAnswerSchema } from "~/schemas/invitations";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

/**
 * ORG-2/ORG-3: the invitations waiting for the logged-in account, whatever its role (candidates and
 * administrators land in different areas; both link here). Only the account's owner answers them.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const s = await requireAccount(request);
    const { refusal, invitations } = await listMyInvitations(getDb(), s.user.id);
    return {
      name: s.user.name,
      home: s.user.role === "admin" ? "/admin" : "/candidate",
      refusal,
      invitations: invitations.map((i) => ({
        id: i.id,
        role: i.role,
        orgName: i.org_name,
        orgCode: i.org_code,
        invitedBy: i.invited_by_name,
        expiresAt: i.expires_at.toISOString(),
      })),
    };
  });
}

/** Names organisations the account is invited to: never cached. */
export const headers = () => ({ "Cache-Control": "private, no-store" });

type Result = { ok: true; message: MessageKey; params: Record<string, string> } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs) {
  const s = await requireAccount(request);
  return guardAction(request, async (): Promise<Result> => {
    const input = await readForm(request, InvitationAnswerSchema);
    const accept = input.intent === INVITATION_INTENT.accept;
    const r = await answerInvitation({ accountId: s.user.id, ip: clientIp(request) }, input.invitationId, accept);
    // Now an administrator account: straight into the admin area.
    if (accept) throw redirect("/admin");
    return { ok: true, message: "invite.declined", params: { org: r.orgName } };
  });
}

export default function Invitations() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="auth-page">
      <div className="auth-card" style={{ maxWidth: "36rem" }}>
        <h1>{t("invite.title")}</h1>
        <p className="muted">{d.name}</p>
        <ActionError result={r} />
        <ActionNotice result={r}>{(done) => <>{t(done.message, done.params)}</>}</ActionNotice>
        {d.invitations.length === 0 ? (
          <p className="muted" data-testid="no-invitations">
            {t("invite.none")}
          </p>
        ) : (
          <>
            <p className="small">{t("invite.intro")}</p>
            {d.refusal ? (
              <p className="error" role="status" data-testid="invite-refusal">
                {t(d.refusal)}
              </p>
            ) : null}
            {d.invitations.map((i) => (
              <section
                key={i.id}
                data-invitation={i.id}
                style={{ borderTop: "1px solid var(--line)", padding: ".6rem 0" }}
              >
                <p>
                  <strong>
                    {t("invite.from", {
                      org: i.orgName,
                      code: i.orgCode,
                      role: t(roleLabel(i.role)),
                    })}
                  </strong>
                </p>
                <p className="muted small">
                  {t("invite.by", { name: i.invitedBy })} · {t("invite.expires", { at: fmt(i.expiresAt) })}
                </p>
                <div className="actions">
                  {!d.refusal ? (
                    <Form
                      method="post"
                      onSubmit={(e) => {
                        if (!confirm(t("invite.accept_confirm", { org: i.orgName }))) e.preventDefault();
                      }}
                    >
                      <input type="hidden" name="invitationId" value={i.id} />
                      <button
                        type="submit"
                        name="intent"
                        value={INVITATION_INTENT.accept}
                        className="primary"
                        disabled={busy}
                      >
                        {t("invite.accept")}
                      </button>
                    </Form>
                  ) : null}
                  <Form method="post">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" name="intent" value={INVITATION_INTENT.decline} disabled={busy}>
                      {t("invite.decline")}
                    </button>
                  </Form>
                </div>
              </section>
            ))}
          </>
        )}
        <p>
          <a href="/">{t(d.home === "/admin" ? "invite.to_admin" : "invite.to_candidate")}</a>
        </p>
        <LocaleSwitch />
        <Form method="post" action="/logout">
          <button type="submit" className="link">
            {t("nav.logout")}
          </button>
        </Form>
      </div>
    </main>
  );
}

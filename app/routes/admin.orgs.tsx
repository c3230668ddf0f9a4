import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getDb } from "~db/client";
import { listMembers, listOrgSubtree } from "~db/queries/orgs";
import { childLevel, sortTree, treeDepths } from "~/domain/org";
import { AppError } from "~/domain/errors";
import type { MessageKey } from "~/i18n";
import { roleLabel, rolesAt } from "~/domain/permissions";
import { ORG_INTENT, OrgActionSchema } from "~/schemas/org";
import { createOrg } from "~/services/create-org.server";
import { deleteOrg } from "~/services/delete-org.server";
import { addUser } from "~/services/add-user.server";
import { removeUser } from "~/services/remove-user.server";
import { updateUser } from "~/services/update-user.server";
import { listOrgInvitations } from "~db/queries/invitations";
import { withdrawInvitation } from "~/services/withdraw-invitation.server";
import { INVITATION_DAYS } from "~/domain/invitations";
import { setOrgState } from "~/services/set-org-state.server";
import { updateOrgInfo } from "~/services/update-org-info.server";
import { guardAction, guardLoader, readForm } from "~/utils/http.server";
import {
  requireAdminMutation,
  requireOrgInScope,
  canChange,
  requireCapability,
  requireCapabilityOf,
} from "~/utils/permissions.server";
import { useFormatDateTime, useT } from "~/utils/use-t";
import { ActionError, ActionNotice } from "~/components/alerts";

/** Manual §七, §八: the organisation tree on the left, the selected organisation's info and users on the right. */
export async function loader({ request }: LoaderFunctionArgs) {
  return guardLoader(request, async () => {
    const ctx = await requireCapability(request, "users");
    const url = new URL(request.url);
    const selectedId = Number(url.searchParams.get("org") ?? ctx.org.id);
    await requireOrgInScope(ctx, selectedId); // ORG-2
    const tree = await listOrgSubtree(getDb(), ctx.org.id, ctx.sitting.id);
    const selected = tree.find((o) => o.id === selectedId);
    if (!selected) throw new AppError("org.not_in_sitting", {}, 404);
    const members = await listMembers(getDb(), selectedId, ctx.sitting.id);
    const depth = treeDepths(tree);
    const isSelf = selectedId === ctx.org.id;
    return {
      me: ctx.accountId,
      writable: canChange(ctx),
      isSelf,
      tree: sortTree(tree).map((o) => ({
        id: o.id,
        code: o.code,
        name: o.name,
        level: o.level,
        enabled: o.enabled,
        depth: depth.get(o.id) ?? 0,
        child_count: o.child_count,
      })),
      selected: {
        id: selected.id,
        code: selected.code,
        name: selected.name,
        level: selected.level,
        enabled: selected.enabled,
        review_state: selected.review_state,
        address: selected.address,
        postcode: selected.postcode,
        contact_name: selected.contact_name,
        contact_phone: selected.contact_phone,
        contact_email: selected.contact_email,
        remark: selected.remark,
        child_level: childLevel(selected.level),
        child_count: selected.child_count,
      },
      members: members.map((m) => ({
        id: m.id,
        account_id: m.account_id,
        name: m.name,
        role: m.role,
        phone: m.phone,
        login: m.email ?? m.mobile ?? "",
        pending: m.must_change_password,
      })),
      // ORG-3: what was typed when inviting and the invitation's state; nothing about the account itself.
      invitations: (
        await listOrgInvitations(getDb(), selectedId, { viewed: ctx.sitting.id, current: ctx.currentSitting.id })
      ).map((i) => ({
        ...i,
        created_at: i.created_at.toISOString(),
        expires_at: i.expires_at.toISOString(),
      })),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return guardAction(request, async (): Promise<ActionResult> => {
    // ORG-4: organisation and user management is never window-gated, but past sittings are read-only (ORG-7).
    const ctx = await requireAdminMutation(request);
    requireCapabilityOf(ctx, "users");
    // Each service checks the scope of what it touches (ORG-2).
    const input = await readForm(request, OrgActionSchema);
    switch (input.intent) {
      case ORG_INTENT.updateInfo: {
        const { intent: _i, orgId, ...info } = input;
        await updateOrgInfo(ctx, orgId, info);
        return { ok: true as const, message: "common.saved" };
      }
      case ORG_INTENT.addOrg:
        await createOrg(ctx, input);
        return { ok: true as const, message: "org.added" };
      case ORG_INTENT.deleteOrg:
        await deleteOrg(ctx, input.orgId);
        return { ok: true as const, message: "org.deleted" };
      case ORG_INTENT.setEnabled:
        await setOrgState(ctx, input.orgId, { enabled: input.enabled });
        return { ok: true as const, message: "common.saved" };
      case ORG_INTENT.setReview:
        await setOrgState(ctx, input.orgId, { review_state: input.review_state });
        return { ok: true as const, message: "common.saved" };
      case ORG_INTENT.addUser: {
        const { intent: _i, orgId, ...user } = input;
        const r = await addUser(ctx, orgId, user);
        // ORG-2/ORG-3: an existing account is invited, never bound; the answer says only that.
        if (r.invited)
          return {
            ok: true as const,
            message: "invite.sent",
            params: { login: user.login },
            oneTimePassword: null,
            login: user.login,
          };
        return { ok: true as const, message: "user.added", oneTimePassword: r.oneTimePassword, login: user.login };
      }
      case ORG_INTENT.withdrawInvite:
        await withdrawInvitation(ctx, input.orgId, input.invitationId);
        return { ok: true as const, message: "invite.withdrawn" };
      case ORG_INTENT.updateUser: {
        const { intent: _i, orgId, membershipId, ...user } = input;
        await updateUser(ctx, orgId, membershipId, user);
        return { ok: true as const, message: "common.saved" };
      }
      case ORG_INTENT.removeUser:
        await removeUser(ctx, input.orgId, input.membershipId);
        return { ok: true as const, message: "user.removed" };
    }
  });
}

type ActionResult = {
  ok: true;
  message: MessageKey;
  params?: Record<string, string>;
  oneTimePassword?: string | null;
  login?: string;
};

export default function Orgs() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormatDateTime();
  const busy = useNavigation().state === "submitting";
  const s = d.selected;
  const infoLocked = d.isSelf && s.review_state === "reviewed";
  const canEditInfo = d.writable && !infoLocked;
  return (
    <section className="split">
      <aside className="tree" aria-label={t("org.tree")}>
        <h2>{t("org.tree")}</h2>
        <table className="grid compact">
          <thead>
            <tr>
              <th>{t("org.name")}</th>
              <th>{t("org.code")}</th>
              <th>{t("org.enabled")}</th>
            </tr>
          </thead>
          <tbody>
            {d.tree.map((o) => (
              <tr key={o.id} className={o.id === s.id ? "selected" : undefined}>
                <td style={{ paddingLeft: `${0.5 + o.depth * 1.2}rem` }}>
                  <Link to={`?org=${o.id}`} prefetch="intent">
                    {o.name}
                  </Link>
                </td>
                <td>{o.code}</td>
                <td>{o.enabled ? t("common.yes") : <span className="warn-text">{t("common.no")}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </aside>
      <div className="detail">
        <h1>
          {s.name}{" "}
          <small>
            ({s.code} · {t(`org.level.${s.level}` as MessageKey)})
          </small>
        </h1>
        <ActionError result={r} />
        <ActionNotice result={r}>{(done) => <>{t(done.message, done.params)}</>}</ActionNotice>
        {r && r.ok && r.oneTimePassword ? (
          <div className="notice strong" role="status" data-testid="one-time-password">
            {t("user.one_time_password", { login: r.login ?? "" })} <code>{r.oneTimePassword}</code>
          </div>
        ) : null}

        <h2>
          {t("org.info")}{" "}
          <span className={`badge ${s.review_state === "reviewed" ? "ok" : ""}`}>
            {t(`org.review.${s.review_state}` as MessageKey)}
          </span>
        </h2>
        {infoLocked ? <p className="muted">{t("org.reviewed_read_only")}</p> : null}
        <Form method="post" className="form grid2">
          <input type="hidden" name="intent" value={ORG_INTENT.updateInfo} />
          <input type="hidden" name="orgId" value={s.id} />
          <fieldset disabled={!canEditInfo || busy}>
            {!d.isSelf ? (
              <label>
                {t("org.name")}
                <input name="name" defaultValue={s.name} key={`n${s.id}`} />
              </label>
            ) : null}
            <label>
              {t("org.address")}
              <input name="address" defaultValue={s.address} key={`a${s.id}`} />
            </label>
            <label>
              {t("org.postcode")}
              <input name="postcode" defaultValue={s.postcode} key={`p${s.id}`} inputMode="numeric" />
            </label>
            <label>
              {t("org.contact_name")}
              <input name="contact_name" defaultValue={s.contact_name} key={`c${s.id}`} />
            </label>
            <label>
              {t("org.contact_phone")}
              <input name="contact_phone" defaultValue={s.contact_phone} key={`cp${s.id}`} />
            </label>
            <label>
              {t("org.contact_email")}
              <input name="contact_email" type="email" defaultValue={s.contact_email} key={`ce${s.id}`} />
            </label>
            <label>
              {t("org.remark")}
              <input name="remark" defaultValue={s.remark} key={`r${s.id}`} />
            </label>
            <button type="submit" className="primary">
              {t("common.save")}
            </button>
          </fieldset>
        </Form>

        {!d.isSelf && d.writable ? (
          <div className="actions">
            <Form method="post">
              <input type="hidden" name="intent" value={ORG_INTENT.setEnabled} />
              <input type="hidden" name="orgId" value={s.id} />
              <input type="hidden" name="enabled" value={s.enabled ? "false" : "true"} />
              <button type="submit">{s.enabled ? t("org.disable") : t("org.enable")}</button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value={ORG_INTENT.setReview} />
              <input type="hidden" name="orgId" value={s.id} />
              <input type="hidden" name="review_state" value={s.review_state === "reviewed" ? "pending" : "reviewed"} />
              <button type="submit">
                {s.review_state === "reviewed" ? t("org.unreview") : t("org.review_action")}
              </button>
            </Form>
            <Form
              method="post"
              onSubmit={(e) => {
                if (!confirm(t("org.delete_confirm", { name: s.name }))) e.preventDefault();
              }}
            >
              <input type="hidden" name="intent" value={ORG_INTENT.deleteOrg} />
              <input type="hidden" name="orgId" value={s.id} />
              <button
                type="submit"
                className="danger"
                disabled={s.child_count > 0}
                title={s.child_count > 0 ? t("org.has_children", { count: s.child_count }) : undefined}
              >
                {t("org.delete")}
              </button>
            </Form>
          </div>
        ) : null}

        <h2>{t("user.title", { org: s.name })}</h2>
        {/* One form per user; the inputs sit in table cells and name their form, so columns stay aligned. */}
        {d.members.map((m) => (
          <Form method="post" id={`member-${m.id}`} key={`f${m.id}`} hidden>
            <input type="hidden" name="orgId" value={s.id} />
            <input type="hidden" name="membershipId" value={m.id} />
            {m.account_id === d.me ? <input type="hidden" name="role" value={m.role} /> : null}
          </Form>
        ))}
        <table className="grid" data-testid="members">
          <thead>
            <tr>
              <th>{t("user.name")}</th>
              <th>{t("user.login")}</th>
              <th>{t("user.role")}</th>
              <th>{t("user.phone")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {d.members.map((m) => (
              <tr key={m.id} data-login={m.login}>
                <td>
                  <input
                    form={`member-${m.id}`}
                    name="name"
                    defaultValue={m.name}
                    aria-label={t("user.name")}
                    disabled={!d.writable}
                  />
                </td>
                <td>
                  {m.login}
                  {m.pending ? <small className="muted"> · {t("user.pending_first_login")}</small> : null}
                </td>
                <td>
                  <select
                    form={`member-${m.id}`}
                    name="role"
                    defaultValue={m.role}
                    aria-label={t("user.role")}
                    disabled={!d.writable || m.account_id === d.me}
                  >
                    {rolesAt(s.level).map((r) => (
                      <option key={r} value={r}>
                        {t(roleLabel(r))}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    form={`member-${m.id}`}
                    name="phone"
                    defaultValue={m.phone}
                    aria-label={t("user.phone")}
                    disabled={!d.writable}
                  />
                </td>
                <td className="nowrap">
                  {d.writable ? (
                    <button form={`member-${m.id}`} type="submit" name="intent" value={ORG_INTENT.updateUser}>
                      {t("common.save")}
                    </button>
                  ) : null}
                  {d.writable && m.account_id !== d.me ? (
                    <button
                      form={`member-${m.id}`}
                      type="submit"
                      name="intent"
                      value={ORG_INTENT.removeUser}
                      className="danger"
                      onClick={(e) => {
                        if (!confirm(t("user.remove_confirm", { name: m.name }))) e.preventDefault();
                      }}
                    >
                      {t("common.delete")}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
            {d.members.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  {t("user.none")}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        {d.writable ? (
          <Form method="post" className="form inline">
            <h3>{t("user.add")}</h3>
            <input type="hidden" name="intent" value={ORG_INTENT.addUser} />
            <input type="hidden" name="orgId" value={s.id} />
            <label>
              {t("user.login")}
              <input name="login" required placeholder={t("login.login_placeholder")} />
            </label>
            <label>
              {t("user.name")}
              <input name="name" required />
            </label>
            <label>
              {t("user.phone")}
              <input name="phone" />
            </label>
            <label>
              {t("user.role")}
              <select name="role" defaultValue="admin">
                {rolesAt(s.level).map((r) => (
                  <option key={r} value={r}>
                    {t(roleLabel(r))}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="primary" disabled={busy}>
              {t("user.add")}
            </button>
            <p className="muted small">{t("invite.add_hint", { days: INVITATION_DAYS })}</p>
          </Form>
        ) : null}

        {d.invitations.length > 0 ? (
          <>
            <h3>{t("invite.list_title")}</h3>
            <table className="grid compact" data-testid="invitations">
              <thead>
                <tr>
                  <th>{t("invite.col.login")}</th>
                  <th>{t("invite.col.name")}</th>
                  <th>{t("invite.col.role")}</th>
                  <th>{t("invite.col.status")}</th>
                  <th>{t("invite.col.sent")}</th>
                  <th>{t("invite.col.expires")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {d.invitations.map((i) => (
                  <tr key={i.id} data-login={i.login} data-state={i.state}>
                    <td>{i.login}</td>
                    <td className="nowrap">{i.name}</td>
                    <td className="nowrap">{t(roleLabel(i.role))}</td>
                    <td className="nowrap">
                      <span className={`badge ${i.state === "accepted" ? "ok" : ""}`}>
                        {t(`invite.status.${i.state}` as MessageKey)}
                      </span>
                    </td>
                    <td className="nowrap">{fmt(i.created_at)}</td>
                    <td className="nowrap">{i.state === "pending" ? fmt(i.expires_at) : ""}</td>
                    <td className="nowrap">
                      {d.writable && i.state === "pending" ? (
                        <Form
                          method="post"
                          onSubmit={(e) => {
                            if (!confirm(t("invite.withdraw_confirm", { login: i.login }))) e.preventDefault();
                          }}
                        >
                          <input type="hidden" name="intent" value={ORG_INTENT.withdrawInvite} />
                          <input type="hidden" name="orgId" value={s.id} />
                          <input type="hidden" name="invitationId" value={i.id} />
                          <button type="submit" className="danger">
                            {t("invite.withdraw")}
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}

        {d.writable && s.child_level ? (
          <Form method="post" className="form inline">
            <h3>{t("org.add", { level: t(`org.level.${s.child_level}` as MessageKey) })}</h3>
            <input type="hidden" name="intent" value={ORG_INTENT.addOrg} />
            <input type="hidden" name="parentId" value={s.id} />
            <label>
              {t("org.code")}
              <input
                name="code"
                required
                inputMode="numeric"
                placeholder={s.level === "centre" ? "2" : `${s.code}..`}
              />
            </label>
            <label>
              {t("org.name")}
              <input name="name" required />
            </label>
            <button type="submit" className="primary" disabled={busy}>
              {t("common.add")}
            </button>
          </Form>
        ) : null}
      </div>
    </section>
  );
}

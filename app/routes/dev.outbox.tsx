import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { LocaleSwitch } from "~/root";
import { listOutbox } from "~/messages/outbox.server";
import { outboxIsOn } from "~/messages/index.server";
import { useFormatDateTime, useT } from "~/utils/use-t";

export const meta: MetaFunction = () => [{ title: "演示发件箱 Demo outbox · 考务 Kaowu" }];

/**
 * The demo outbox (MESSAGE_PROVIDER=outbox, decision 0019): the codes and notices the portal would
 * have sent, readable without logging in so a demo or a test can sign up and recover a password.
 * With any real provider the page does not exist.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!outboxIsOn()) throw new Response("Not Found", { status: 404 });
  const to = new URL(request.url).searchParams.get("to")?.trim().toLowerCase().slice(0, 254) ?? "";
  const messages = await listOutbox({ recipient: to || undefined, limit: 50 });
  return {
    to,
    messages: messages.map((m) => ({
      id: m.id,
      channel: m.channel,
      recipient: m.recipient,
      subject: m.subject,
      body: m.body,
      at: m.created_at,
    })),
  };
}

export function headers() {
  return { "Cache-Control": "no-store" };
}

export default function Outbox() {
  const t = useT();
  const fmt = useFormatDateTime();
  const d = useLoaderData<typeof loader>();
  return (
    <main className="content outbox-page">
      <p className="readonly-banner" role="status" data-testid="outbox-banner">
        <strong>{t("outbox.banner")}</strong>
      </p>
      <h1>{t("outbox.title")}</h1>
      <p className="small muted">{t("outbox.note")}</p>
      <Form method="get" className="row-form">
        <label>
          {t("outbox.recipient")} <input name="to" defaultValue={d.to} className="login" autoComplete="off" />
        </label>
        <button type="submit">{t("outbox.filter")}</button>
      </Form>
      {d.messages.length === 0 ? <p className="muted">{t("outbox.empty")}</p> : null}
      <ul className="outbox-list" data-testid="outbox">
        {d.messages.map((m) => (
          <li key={m.id} data-recipient={m.recipient}>
            <div className="small muted">
              {fmt(m.at)} · {m.channel === "sms" ? "SMS" : "E-mail"} → {m.recipient}
            </div>
            <div className="outbox-subject">
              <strong>{m.subject}</strong>
            </div>
            <pre className="outbox-body">{m.body}</pre>
          </li>
        ))}
      </ul>
      <LocaleSwitch />
    </main>
  );
}

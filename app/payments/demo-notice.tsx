import { useRouteLoaderData } from "@remix-run/react";
import { translator } from "~/i18n";
import { useT } from "~/utils/use-t";

/** Said in both languages whatever the page's language: nobody should think money moved. */
const DEMO_NOTICE = `${translator("zh-CN")("pay.demo_notice")} / ${translator("en")("pay.demo_notice")}`;

/**
 * CAN-7: every page the simulated gateway touches says out loud that it is a demo. Shown when the
 * root loader reports the simulated gateway as the configured provider; the cashier page (which is the
 * simulated gateway) passes `always`.
 */
export function DemoPaymentNotice({ always = false }: { always?: boolean }) {
  const t = useT();
  const root = useRouteLoaderData("root") as { demoPayment?: boolean } | undefined;
  if (!always && !root?.demoPayment) return null;
  return (
    <p
      role="note"
      data-testid="demo-payment"
      style={{
        background: "#fff8c5",
        border: "1px solid #d4a72c",
        borderRadius: 6,
        padding: ".6rem .8rem",
        margin: ".6rem 0",
      }}
    >
      <strong style={{ fontSize: "1.05rem" }}>{DEMO_NOTICE}</strong>
      <br />
      <span className="small">{t("pay.demo_notice_detail")}</span>
    </p>
  );
}

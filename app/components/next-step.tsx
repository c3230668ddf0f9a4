import { Link } from "@remix-run/react";
import type { NextStep } from "~/domain/registration";
import type { MessageKey } from "~/i18n";
import { useT } from "~/utils/use-t";

/** CAN-10: the page where each next step is taken; steps taken on the status page go there. */
export const NEXT_LINK: Partial<Record<NextStep, string>> = {
  choose_site: "/candidate/site",
  fill_details: "/candidate/details",
  fix_details: "/candidate/details",
  upload_photo: "/candidate/photo",
  new_photo: "/candidate/photo",
  choose_entries: "/candidate/entries",
  submit_review: "/candidate",
  pay: "/candidate/pay",
  confirm_payment: "/candidate/pay",
  // CAN-9: the card itself (a PDF, so the link loads the document).
  print_card: "/candidate/card",
};

/**
 * Issue 15 item 7: after a step is saved, the page's primary button is the next step (the status
 * page's own rule), not the button that was just pressed. A step with nowhere to go (waiting for
 * review, allocation …) leads to the status page, which says what happens next.
 */
export function NextStepButton({ next }: { next: NextStep }) {
  const t = useT();
  const to = NEXT_LINK[next] ?? "/candidate";
  const label = NEXT_LINK[next] ? t(`next.go.${next}` as MessageKey) : t("next.go.status");
  return (
    <Link
      className="button primary"
      to={to}
      reloadDocument={next === "print_card"}
      data-testid="next-step-button"
      data-next={next}
    >
      {label}
    </Link>
  );
}

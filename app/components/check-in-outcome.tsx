import { useFormatDateTime, useT } from "~/utils/use-t";

/** What a check-in did: done, done before (when and by whom), or refused with the reason in red. */
export function Outcome({
  outcome,
  name,
  place,
}: {
  outcome: { state: "checked_in" | "already"; at: string | Date; by: string } | { state: "refused"; verdict: string };
  name: string;
  place?: string;
}) {
  const t = useT();
  const fmt = useFormatDateTime();
  if (outcome.state === "refused")
    return (
      <p className="notice error" role="alert" data-testid="check-in-outcome" data-state="refused">
        {t(`checkin.verdict.${outcome.verdict}` as "checkin.verdict.ok", { place: place ?? "" })}
      </p>
    );
  return (
    <p className="notice success" role="status" data-testid="check-in-outcome" data-state={outcome.state}>
      {outcome.state === "checked_in"
        ? t("checkin.done", { name, at: fmt(outcome.at) })
        : t("checkin.already", { name, at: fmt(outcome.at), by: outcome.by })}
    </p>
  );
}

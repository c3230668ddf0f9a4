import type { ReactNode } from "react";

// The one look of a page's messages: a failure is an alert (read out at once by screen readers), a
// result or state a status. Issue 15 (messages where the eye is) changes them here, once.

export function ErrorAlert({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="error" role="alert" data-testid={testId}>
      {children}
    </p>
  );
}

export function Notice({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <p className="notice" role="status" data-testid={testId}>
      {children}
    </p>
  );
}

/** An action's answer when it failed (`{ ok: false, error }`, as guardAction returns it); nothing otherwise. */
export function ActionError({ result }: { result?: { ok: boolean } | { ok: boolean; error: string } }) {
  if (!result || result.ok || !("error" in result)) return null;
  return <ErrorAlert>{result.error}</ErrorAlert>;
}

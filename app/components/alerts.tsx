import { useEffect, useRef, type ReactNode } from "react";

// The one look of a page's messages: a failure is an alert (read out at once by screen readers), a
// result or state a status. Issue 15 item 1: an action's answer is brought into view where it is
// drawn (the user is often at a form far below it) and takes the focus, so it is seen and read out;
// success, partial success and failure each have their own colour.

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

/** Scrolls the element into view and focuses it whenever `answer` changes to a new, non-empty value. */
function useBroughtIntoView<T extends HTMLElement>(answer: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const el = ref.current;
    if (!answer || !el) return;
    el.scrollIntoView({ block: "nearest" });
    el.focus({ preventScroll: true });
  }, [answer]);
  return ref;
}

type ActionAnswer = { ok: boolean } | { ok: boolean; error: string } | null | undefined;

/** An action's answer when it failed (`{ ok: false, error }`, as guardAction returns it); nothing otherwise. */
export function ActionError({ result, testId }: { result?: ActionAnswer; testId?: string }) {
  const failed = result && !result.ok && "error" in result ? result : null;
  const ref = useBroughtIntoView<HTMLParagraphElement>(failed);
  if (!failed) return null;
  return (
    <p ref={ref} tabIndex={-1} className="error" role="alert" data-testid={testId ?? "action-error"}>
      {failed.error}
    </p>
  );
}

/**
 * An action's answer when it worked: `success` (green) or `partial` (amber: some done, some
 * refused, e.g. 3 imported and 5 refused). Rendered next to the form it answers where possible.
 */
export function ActionNotice<R extends { ok: boolean }>({
  result,
  children,
  tone = "success",
  block = false,
  testId,
  data,
}: {
  result?: R | null;
  /** The message, or a function of the answer (its figures) when the answer is a success. */
  children: ReactNode | ((done: Extract<R, { ok: true }>) => ReactNode);
  tone?: "success" | "partial";
  /** Children that are blocks (a list, paragraphs): drawn in a div instead of a paragraph. */
  block?: boolean;
  testId?: string;
  /** data-* attributes of the message (figures a test or a script reads). */
  data?: Record<string, string | number>;
}) {
  const done = result && result.ok ? (result as Extract<R, { ok: true }>) : null;
  const ref = useBroughtIntoView<HTMLElement>(done);
  if (!done) return null;
  const props = {
    tabIndex: -1,
    className: `notice ${tone}`,
    role: "status",
    "data-testid": testId ?? "action-notice",
    ...Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [`data-${k}`, v])),
  };
  const content = typeof children === "function" ? children(done) : children;
  return block ? (
    <div ref={ref as React.RefObject<HTMLDivElement>} {...props}>
      {content}
    </div>
  ) : (
    <p ref={ref as React.RefObject<HTMLParagraphElement>} {...props}>
      {content}
    </p>
  );
}

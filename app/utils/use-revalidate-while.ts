import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/**
 * Issue 15 item 8: while something outside the page is under way (a payment open at the gateway,
 * in another tab), the page asks its loader again every few seconds, so it turns to "paid" on its
 * own. Only while the tab is visible; never two requests at once.
 */
export function useRevalidateWhile(active: boolean, everyMs = 3000) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs, revalidator]);
}

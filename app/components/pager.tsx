import { Link, useSearchParams } from "@remix-run/react";
import { useT } from "~/utils/use-t";

/** Server-side paging: previous / page of pages / next, keeping the current filters. */
export function Pager({ page, pages }: { page: number; pages: number }) {
  const t = useT();
  const [params] = useSearchParams();
  const link = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    next.delete("edit");
    return `?${next}`;
  };
  return (
    <nav className="pager">
      {page > 1 ? <Link to={link(page - 1)}>{t("common.prev")}</Link> : null}
      <span>
        {page} / {pages}
      </span>
      {page < pages ? <Link to={link(page + 1)}>{t("common.next")}</Link> : null}
    </nav>
  );
}

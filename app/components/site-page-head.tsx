import { SitePicker } from "~/components/site-picker";
import { ReadOnlyBanner, type WindowViewData } from "~/components/window-badge";

/**
 * The head of a page about one site's allocation or documents: its title with the site, the site
 * picker a superior chooses with, and, when the page's window is closed, the read-only banner.
 */
export function SitePageHead({
  title,
  site,
  sites,
  window,
}: {
  title: string;
  site: { id: number; code: string; name: string };
  sites: Array<{ id: number; code: string; name: string }>;
  window?: WindowViewData;
}) {
  return (
    <>
      <h1>
        {title}{" "}
        <small>
          ({site.code}) {site.name}
        </small>
      </h1>
      <SitePicker sites={sites} selected={site.id} />
      {window ? <ReadOnlyBanner view={window} /> : null}
    </>
  );
}

import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { DEFAULT_LOCALE, isLocale, translator } from "~/i18n";
import { configuredProviderName } from "~/payments/index.server";
import { getEnv } from "~/utils/env.server";
import { useNonce } from "~/utils/nonce";
import { getRequestLocale } from "~/utils/i18n.server";
import { readSession } from "~/utils/session.server";
import { useT } from "~/utils/use-t";
import styles from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

// the window's title in the viewer's language (pages without their own title inherit it).
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: translator(isLocale(data?.locale) ? data.locale : DEFAULT_LOCALE)("app.name") },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const s = await readSession(request).catch(() => null);
  const locale = await getRequestLocale(request, s?.user.locale);
  const headers = new Headers();
  if (s?.refreshCookie) headers.append("Set-Cookie", s.refreshCookie);
  // CAN-7: pages the simulated gateway touches say that it is a demo (DemoPaymentNotice).
  return data(
    { locale, timeZone: getEnv().timeZone, demoPayment: configuredProviderName() === "simulated" },
    { headers },
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  // Layout also wraps error pages, where useLoaderData is not allowed.
  const data = useRouteLoaderData("root") as { locale?: string } | undefined;
  const nonce = useNonce();
  return (
    <html lang={data?.locale ?? "zh-CN"}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** the language switch, available on every page; remembered per account or, before login, in a cookie. */
export function LocaleSwitch() {
  const t = useT();
  const location = useLocation();
  return (
    <Form method="post" action="/set-locale" className="locale-switch">
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button name="locale" value="zh-CN" type="submit">
        中文
      </button>
      <span aria-hidden> | </span>
      <button name="locale" value="en" type="submit">
        English
      </button>
      <span className="sr-only">{t("common.language")}</span>
    </Form>
  );
}

export function ErrorBoundary({ inLayout = false }: { inLayout?: boolean } = {}) {
  const error = useRouteError();
  const t = useT();
  let title = t("error.title");
  let message = t("error.unexpected");
  if (isRouteErrorResponse(error)) {
    title = `${error.status}`;
    const d = error.data as { message?: string } | string | undefined;
    message = typeof d === "object" && d?.message ? d.message : error.status === 404 ? t("error.not_found") : message;
  } else {
    console.error(error);
  }
  const body = (
    <>
      <h1>{title}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href={inLayout ? "/admin" : "/"}>{t("error.home")}</a>
      </p>
    </>
  );
  // Inside the admin layout the refusal is the page's content; alone it is the whole page.
  return inLayout ? <section className="error-in-layout">{body}</section> : <main className="error-page">{body}</main>;
}

// Single Fetch's type inference (v3_singleFetch in vite.config.ts): `useLoaderData<typeof loader>()` and
// `useActionData<typeof action>()` unwrap `data(...)` and keep Dates, Maps and the like as they travel.
import "@remix-run/server-runtime";

declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

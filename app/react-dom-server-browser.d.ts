// @types/react-dom types `react-dom/server` only; its web-streams entry (used by app/entry.server.tsx) is the same API.
declare module "react-dom/server.browser" {
  export { renderToReadableStream } from "react-dom/server";
}

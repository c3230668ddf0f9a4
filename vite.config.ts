import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

// vite.config.ts stands where remix.config.js would (docs/decisions/0001-remix-vite.md).
export default defineConfig({
  plugins: [
    remix({
      ignoredRouteFiles: ["**/*.test.*", "**/*.server.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
    tsconfigPaths(),
  ],
  build: { target: "es2022" },
  optimizeDeps: { exclude: ["@node-rs/argon2", "@electric-sql/pglite"] },
  ssr: { external: ["@electric-sql/pglite", "@node-rs/argon2", "bull", "pg", "exceljs"] },
});

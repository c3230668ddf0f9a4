import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of this request (server.ts makes one per request), for the inline
 * scripts Remix renders. Empty in the browser: a nonce is read once, at page load.
 */
export const NonceContext = createContext<string>("");

export function useNonce(): string {
  return useContext(NonceContext);
}

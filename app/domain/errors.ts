import type { MessageKey, MessageParams } from "~/i18n";

/**
 * An error the user can cause. `key` is an i18n message key; `params` fill its placeholders.
 * Routes turn it into a 4xx with the message in the user's language, never a stack trace.
 */
export class AppError extends Error {
  constructor(
    public readonly key: MessageKey,
    public readonly params: MessageParams = {},
    public readonly status: number = 400,
  ) {
    super(key);
    this.name = "AppError";
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

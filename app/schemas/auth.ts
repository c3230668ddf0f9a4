import { z } from "zod";

/** CAN-1, ORG-9, X-5: the account forms (log in, sign up, recover or change a password, the language). */

const text = z.string().default("");

/** CAN-1: log in with e-mail or mobile number; `redirectTo` is made safe by safeRedirect. */
export const LogInSchema = z.object({ login: text, password: text, redirectTo: text });

/** ORG-9: a new password, typed twice; the current one proves the owner. */
export const ChangePasswordSchema = z.object({ current: text, next: text, confirm: text });

/** the language to switch to (an unknown one changes nothing) and the page to go back to. */
export const LocaleSchema = z.object({ locale: text, redirectTo: text });

/**
 * The two steps of a flow that sends a code (sign-up, password recovery): the step's intent and
 * the ticket of the code sent, carried by the code form so an error keeps the user on that step.
 */
export const CodeStepSchema = z.object({ intent: text, ticket: text, sentTo: text, code: text });

/** CAN-1 sign-up: the details step (judged by startSignUp) and the code step. */
export const SIGNUP_INTENT = { start: "start", verify: "verify" } as const;
export const SignUpDetailsSchema = z.object({ login: text, name: text, password: text, confirm: text });

/** Issue 12 item 2: password recovery: the login step, then the code with a new password. */
export const RECOVERY_INTENT = { send: "send", reset: "reset" } as const;
export const RecoveryLoginSchema = z.object({ login: text });
export const RecoveryResetSchema = z.object({ password: text, confirm: text });

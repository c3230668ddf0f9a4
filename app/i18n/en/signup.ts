// "signup.*" messages in English.
import type { signupZhCN } from "../zh-CN/signup";

export const signupEn: Record<keyof typeof signupZhCN, string> = {
  "signup.title": "Sign up",
  "signup.subtitle": "Create a candidate account with your e-mail or mobile number, then register online.",
  "signup.login": "E-mail or mobile number",
  "signup.name": "Name",
  "signup.submit": "Sign up",
  "signup.have_account": "Already have an account?",
  "signup.no_account": "No account yet?",
  "signup.welcome": "Welcome! Your account is {login}. Follow the steps below to register.",
  "signup.name_required": "Enter your name (at most 50 characters).",
  "signup.login_format": "Enter a valid e-mail address or an 11-digit mainland mobile number.",
};

import { hash, verify } from "@node-rs/argon2";

// Argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

// Verifying against a fixed hash when the account does not exist keeps the answer time the same,
// so the login form does not reveal which e-mails have accounts.
let dummy: Promise<string> | undefined;
export async function burnVerify(password: string) {
  dummy ??= hash("not-a-real-password-1");
  await verifyPassword(await dummy, password);
}

import { hash, verify } from "@node-rs/argon2";

// Argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/**
 * ORG-9: a one-time password is a random secret of ~57 bits that must be replaced at first login, so
 * a lighter Argon2id (8 MiB, 1 pass) is enough; an import creating thousands of accounts then takes
 * seconds, not minutes. Verification reads the parameters from the hash, so nothing else changes.
 */
export function hashOneTimePassword(password: string): Promise<string> {
  return hash(password, { memoryCost: 8192, timeCost: 1 });
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

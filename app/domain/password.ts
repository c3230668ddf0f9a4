/** Password policy (ORG-9, CAN-1): at least 8 characters with letters and digits. */
export function checkPasswordPolicy(password: string): "password.policy" | null {
  if (password.length < 8 || password.length > 128) return "password.policy";
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return "password.policy";
  return null;
}

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** ORG-9: a random one-time password that meets the policy, without look-alike characters. */
export function makeOneTimePassword(randomBytes: (n: number) => Uint8Array, length = 10): string {
  for (;;) {
    const bytes = randomBytes(length);
    let s = "";
    for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
    if (checkPasswordPolicy(s) === null) return s;
  }
}

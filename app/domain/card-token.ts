// DOC-9 (first half) and DOC-4: the signed token an admission card's QR code carries, so that a scan
// proves the card was issued here without a lookup table. `<sitting>.<admission number>.<tag>`,
// the tag a truncated HMAC-SHA256 (128 bits, base32) under a key derived per sitting from the
// deployment's secret (research/logistics-anchors.md §4): a leaked sitting key forges nothing in
// another sitting. The whole URL is upper case, so the QR code uses its alphanumeric mode and stays
// at version 3–4 for any reasonable origin. Pure: the secret is passed in.

import { createHmac, timingSafeEqual } from "node:crypto";

const TAG_BYTES = 16;

const keys = new Map<string, Buffer>();

/** The key of one sitting, derived from the deployment's secret (remembered: thousands of cards share it). */
export function sittingCardKey(secret: string | Buffer, sittingCode: string): Buffer {
  const id = `${typeof secret === "string" ? secret : secret.toString("hex")}\u0000${sittingCode}`;
  let key = keys.get(id);
  if (!key) {
    key = createHmac("sha256", secret).update(`kaowu-card-key:${sittingCode}`).digest();
    if (keys.size > 100) keys.clear();
    keys.set(id, key);
  }
  return key;
}

function tag(key: Buffer, sittingCode: string, admissionNo: string): Buffer {
  return createHmac("sha256", key).update(`${sittingCode}.${admissionNo}`).digest().subarray(0, TAG_BYTES);
}

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32, upper case, no padding. */
function base32(b: Buffer): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of b) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

const SITTING = /^\d{1,4}$/;
const ADMISSION = /^[0-9A-Za-z]{1,32}$/;

/** The token of one card. */
export function signCardToken(secret: string | Buffer, sittingCode: string, admissionNo: string): string {
  if (!SITTING.test(sittingCode) || !ADMISSION.test(admissionNo)) throw new Error("bad card token parts");
  const t = tag(sittingCardKey(secret, sittingCode), sittingCode, admissionNo);
  return `${sittingCode}.${admissionNo}.${base32(t)}`;
}

/** The card a token names, or null when it is malformed or its tag does not verify (compared in constant time). */
export function verifyCardToken(
  secret: string | Buffer,
  token: string,
): { sittingCode: string; admissionNo: string } | null {
  const parts = token.toUpperCase().split(".");
  if (parts.length !== 3) return null;
  const [sittingCode, admissionNo, given] = parts;
  if (!SITTING.test(sittingCode) || !ADMISSION.test(admissionNo) || !/^[A-Z2-7]{26}$/.test(given)) return null;
  const want = Buffer.from(base32(tag(sittingCardKey(secret, sittingCode), sittingCode, admissionNo)));
  const got = Buffer.from(given);
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  return { sittingCode, admissionNo };
}

/** The URL a card's QR code opens: the deployment's own origin (never the request's Host), in upper case. */
export const cardTokenUrl = (origin: string, token: string) => `${origin}/c/${token}`.toUpperCase();

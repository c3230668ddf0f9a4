import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { decodeQr, moduleImage } from "../../tests/factories/pdf-render";
import { cardTokenUrl, signCardToken, sittingCardKey, verifyCardToken } from "./card-token";

// DOC-9 (first half): the signed token of an admission card's QR code.
describe("card token (DOC-9)", () => {
  const secret = "deployment-secret";

  it("DOC-9: a token verifies to its sitting and admission number; the URL fits a version-4 QR code", () => {
    const token = signCardToken(secret, "79", "1479026160010001");
    expect(token).toMatch(/^79\.1479026160010001\.[A-Z2-7]{26}$/);
    // Read back as typed in lower case too.
    expect(verifyCardToken(secret, token.toLowerCase())).toEqual({
      sittingCode: "79",
      admissionNo: "1479026160010001",
    });
    expect(verifyCardToken(secret, token)).toEqual({ sittingCode: "79", admissionNo: "1479026160010001" });
    const url = cardTokenUrl("https://kaowu.example.cn", token);
    expect(url).toBe(`HTTPS://KAOWU.EXAMPLE.CN/C/${token}`);
    expect(QRCode.create(url, { errorCorrectionLevel: "M" }).version).toBeLessThanOrEqual(4);
    // An origin of up to about 40 characters stays at version 4.
    const long = cardTokenUrl("https://kaowu.university-name.edu.cn:8443", token);
    expect(QRCode.create(long, { errorCorrectionLevel: "M" }).version).toBeLessThanOrEqual(4);
  });

  it("DOC-9: every card's QR symbol reads back to its URL: 300 tokens at local and real origins, version 4 at most", () => {
    // Also the check of tests/factories/pdf-render's reader, which once missed symbols by chance.
    const origins = ["http://127.0.0.1:38935", "https://kaowu.example.cn", "https://kaowu.university-name.edu.cn:8443"];
    const unread: string[] = [];
    for (let i = 0; i < 300; i++) {
      const origin = origins[i % origins.length].replace("38935", String(10_000 + ((i * 7919) % 55_000)));
      const url = cardTokenUrl(origin, signCardToken(`secret-${i}`, "79", `14790261600${10_000 + i}`));
      const q = QRCode.create(url, { errorCorrectionLevel: "M" });
      expect(q.version).toBeLessThanOrEqual(4);
      const image = moduleImage(q.modules);
      if (decodeQr(image, { x: 0, y: 0, w: image.width, h: image.height }) !== url) unread.push(url);
    }
    expect(unread).toEqual([]);
  });

  it("DOC-9: a tampered admission number, sitting or tag, another deployment's secret, or junk is refused", () => {
    const token = signCardToken(secret, "79", "1479026160010001");
    const [s, n, t] = token.split(".");
    expect(verifyCardToken(secret, `${s}.1479026160010002.${t}`)).toBeNull();
    expect(verifyCardToken(secret, `80.${n}.${t}`)).toBeNull();
    const flipped = t.slice(0, 5) + (t[5] === "A" ? "B" : "A") + t.slice(6);
    expect(flipped).not.toBe(t);
    expect(verifyCardToken(secret, `${s}.${n}.${flipped}`)).toBeNull();
    expect(verifyCardToken("another-secret", token)).toBeNull();
    for (const junk of [
      "",
      "79.1479",
      `${token}.x`,
      `${s}.${n}.${t.slice(0, 25)}`,
      `${s}.${n}/../x.${t}`,
      "%00.%00.%00",
    ])
      expect(verifyCardToken(secret, junk), junk).toBeNull();
  });

  it("DOC-9: keys rotate per sitting: the same number in another sitting has another tag", () => {
    expect(sittingCardKey(secret, "79").equals(sittingCardKey(secret, "80"))).toBe(false);
    const a = signCardToken(secret, "79", "1479026160010001").split(".")[2];
    const b = signCardToken(secret, "80", "1479026160010001").split(".")[2];
    expect(a).not.toBe(b);
  });
});

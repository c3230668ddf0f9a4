import { PDFDocument, PDFName } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import type { AdmissionCard } from "~/domain/admission-cards";
import { verifyCardToken, signCardToken, cardTokenUrl } from "~/domain/card-token";
import { compliantPhoto } from "../../tests/fixtures/photos";
import { decodeCode128, decodeQr, havePdftoppm, ink, mmBox, renderPage } from "../../tests/factories/pdf-render";
import { drawCardsPdf } from "./admission-card-pdf.server";
import { SMALL_CARD, LARGE_CARD } from "./card-layouts";
import { cardInstructions, cardLabels } from "./card-labels.server";

// DOC-1/DOC-2/DOC-4 and issue 17 items 5–6, checked on the rendered page: every character has ink
// (a broken font subset prints blanks that text extraction still finds), every QR code and barcode
// reads back, A4 with print scaling "none".

const SECRET = "test-card-secret";
const poppler = havePdftoppm();
let photo: Uint8Array;
beforeAll(async () => {
  photo = new Uint8Array(await compliantPhoto());
});

const NAMES = ["张三丰", "欧阳娜娜", "䶮堃喆", "赵钱孙", "李周吴", "郑王冯"];
function card(i: number): AdmissionCard {
  const admissionNo = `147902616001${String(i).padStart(4, "0")}`;
  return {
    entryId: i,
    sittingName: "2027年3月第79次全国计算机等级考试",
    admissionNo,
    name: NAMES[(i - 1) % NAMES.length],
    gender: "男",
    idType: "居民身份证",
    idNumber: "110101199003078515",
    subject: "(14) 一级计算机基础及 MS Office 应用",
    examDate: "2027-03-27",
    examTime: "08:00–10:00",
    room: "07",
    seat: String(i).padStart(2, "0"),
    siteName: "测试职业技术学院考点",
    siteAddress: "北京市海淀区学院路 37 号实验楼 3 层",
    className: "计科2401",
    photoPath: "photo",
    qrText: cardTokenUrl("https://kaowu.example.cn", signCardToken(SECRET, "79", admissionNo)),
  };
}
const opts = (extra: object = {}) => ({
  labels: cardLabels("zh-CN"),
  readPhoto: async () => photo,
  ...extra,
});

// Rendering and embedding the whole font take seconds on a busy machine: a minute each, not the default 5 s.
describe.skipIf(!poppler)("admission card PDFs on paper (DOC-1, DOC-2, DOC-4)", { timeout: 60_000 }, () => {
  it("DOC-4: a one-card PDF (the candidate's download, few glyphs) prints every character: its ink equals the whole-font reference", async () => {
    const one = [card(1)];
    const large = { instructions: cardInstructions("zh-CN") };
    const subset = renderPage(await drawCardsPdf(one, "large", opts(large)), 100);
    const whole = renderPage(await drawCardsPdf(one, "large", opts({ ...large, wholeFont: true })), 100);
    const a = ink(subset);
    const b = ink(whole);
    expect(b).toBeGreaterThan(10_000);
    // Identical outlines: the subset loses nothing (the broken fork kept 21–28 % of it).
    expect(a / b).toBeGreaterThan(0.995);
    expect(a / b).toBeLessThan(1.005);
    // The name line has ink where the name is printed.
    const L = LARGE_CARD;
    const nameBox = mmBox(100, L.origin.x + L.lines.valueX, L.origin.y + L.lines.top + L.lines.gap, 30, L.lines.gap);
    expect(ink(subset, nameBox)).toBeGreaterThan(50);
  });

  it("DOC-1: six small cards on one exact A4 page print every character; every QR code verifies and every barcode reads its admission number", async () => {
    const six = [1, 2, 3, 4, 5, 6].map(card);
    const pdf = await drawCardsPdf(six, "small", opts());
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([Math.round(width * 100) / 100, Math.round(height * 100) / 100]).toEqual([595.28, 841.89]);
    // Issue 17 item 6: print scaling "none", so printers do not shrink the cards.
    const prefs = doc.catalog.lookup(PDFName.of("ViewerPreferences"));
    expect(String(prefs)).toContain("/PrintScaling /None");

    const dpi = 150;
    const page = renderPage(pdf, dpi);
    const whole = renderPage(await drawCardsPdf(six, "small", opts({ wholeFont: true })), dpi);
    expect(ink(page) / ink(whole)).toBeGreaterThan(0.995);
    const L = SMALL_CARD;
    six.forEach((c, i) => {
      const left = L.origin.x + (i % 2) * L.card.w;
      const top = L.origin.y + Math.floor(i / 2) * L.card.h;
      const qr = decodeQr(page, mmBox(dpi, left + L.qr.x - 1, top + L.qr.y - 1, L.qr.size + 2, L.qr.size + 2));
      expect(qr, `card ${i + 1} QR`).toBe(c.qrText);
      const token = qr!.slice(qr!.lastIndexOf("/") + 1);
      expect(verifyCardToken(SECRET, token)).toEqual({ sittingCode: "79", admissionNo: c.admissionNo });
      const bar = decodeCode128(
        page,
        mmBox(dpi, left + L.barcode.x - 2, top + L.barcode.y - 1, L.barcode.w + 4, L.barcode.h + 2),
      );
      expect(bar, `card ${i + 1} barcode`).toBe(c.admissionNo);
    });
  });

  it("DOC-4: a card without a photo says so in the photo box; a long name is drawn smaller, never past its box", async () => {
    const c = { ...card(1), photoPath: null, name: "阿卜杜热合曼·买买提艾力·吐尔逊托合提" };
    const page = renderPage(await drawCardsPdf([c], "small", opts()), 100);
    const L = SMALL_CARD;
    const photoBox = mmBox(100, L.origin.x + L.photo.x + 2, L.origin.y + L.photo.y + 2, L.photo.w - 4, L.photo.h - 4);
    expect(ink(page, photoBox)).toBeGreaterThan(20); // the words "无照片"
    expect(ink(page, photoBox)).toBeLessThan(2000); // and not a photo
    // Nothing printed between the value column's end and the photo.
    const gap = mmBox(
      100,
      L.origin.x + L.lines.valueX + L.lines.valueW + 0.5,
      L.origin.y + L.lines.top,
      3,
      6 * L.lines.gap,
    );
    expect(ink(page, gap)).toBe(0);
  });
});

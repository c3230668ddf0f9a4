import fs from "node:fs";
import { memStatus, printResult, runAsScript } from "./child";

// The children of bench/cards.ts (issue 17 item 8). Each measurement in its own process, so each
// peak RSS (VmHWM, reset just before the measured part) is that measurement's alone.
//
//   raw <n> <photo.jpg>       a bare pdf-lib loop: the same font (through the same fontkit adapter),
//                             text, photo, QR and barcode rectangles, 500 cards a document, no zip
//   app <n> <photo.jpg>       DATABASE_URL's scratch database seeded with the demo, 990101 given n
//                             allocated, numbered entries with photos; then the real generate-file
//                             path: query, draw, zip, store; then 20 candidates' own cards on demand

const resetPeak = () => {
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    /* not Linux */
  }
};

async function raw(n: number, photoPath: string) {
  const { PDFDocument, rectangle, fill, pushGraphicsState, popGraphicsState, setFillingGrayscaleColor } =
    await import("pdf-lib");
  const QRCode = (await import("qrcode")).default;
  const { CODE128 } = await import("jsbarcode/bin/barcodes/CODE128/index.js");
  const { cardFontBytes, cardFontkit } = await import("../app/documents/card-font.server");
  const photo = fs.readFileSync(photoPath);
  const fontBytes = cardFontBytes();
  cardFontkit.create(fontBytes); // parsed once, as the app does
  resetPeak();
  const t0 = performance.now();
  let bytes = 0;
  for (let from = 0; from < n; from += 500) {
    const doc = await PDFDocument.create();
    doc.registerFontkit(cardFontkit);
    const font = await doc.embedFont(fontBytes, { subset: true });
    let page = doc.addPage([595.28, 841.89]);
    for (let i = from; i < Math.min(n, from + 500); i++) {
      if ((i - from) % 6 === 0 && i > from) page = doc.addPage([595.28, 841.89]);
      const slot = (i - from) % 6;
      const x = 34 + (slot % 2) * 263;
      const y = 812 - Math.floor(slot / 2) * 261;
      const no = String(1479990101010000 + i);
      page.drawText("2027年3月第79次全国计算机等级考试 准考证", { x, y: y - 20, size: 9.5, font });
      const lines = [
        "准考证号",
        no,
        "姓名",
        `压测考生${i}`,
        "性别",
        "男",
        "证件类型",
        "居民身份证",
        "证件号码",
        "110101199003078515",
        "考试科目",
        "(14) 计算机基础及WPS Office应用",
        "考试日期",
        "2027-03-27",
        "考试时间",
        "08:00–10:00",
        "考场/座位",
        "07 / 12",
      ];
      for (let k = 0; k < lines.length; k += 2) {
        page.drawText(lines[k], { x, y: y - 45 - k * 8, size: 8, font });
        page.drawText(lines[k + 1], { x: x + 45, y: y - 45 - k * 8, size: 8, font });
      }
      page.drawText("考点：测试职业技术学院考点", { x, y: y - 195, size: 7.5, font });
      page.drawText("地址：北京市海淀区学院路 37 号", { x, y: y - 209, size: 7, font });
      const img = await doc.embedJpg(photo);
      page.drawImage(img, { x: x + 184, y: y - 125, width: 68, height: 91 });
      const q = QRCode.create(`HTTPS://KAOWU.EXAMPLE.CN/C/79.${no}.ABCDEFGHIJKLMNOPQRSTUVWXYZ`, {
        errorCorrectionLevel: "M",
      }).modules;
      const cell = 60 / (q.size + 4);
      const ops = [pushGraphicsState(), setFillingGrayscaleColor(0)];
      for (let r = 0; r < q.size; r++)
        for (let c = 0; c < q.size;) {
          if (!q.data[r * q.size + c]) {
            c++;
            continue;
          }
          let e = c;
          while (e < q.size && q.data[r * q.size + e]) e++;
          ops.push(rectangle(x + 190 + (2 + c) * cell, y - 142 - (2 + r + 1) * cell, (e - c) * cell, cell));
          c = e;
        }
      const bars = new CODE128(no, {}).encode().data;
      const m = 164 / bars.length;
      for (let b = 0; b < bars.length;) {
        if (bars[b] !== "1") {
          b++;
          continue;
        }
        let e = b;
        while (e < bars.length && bars[e] === "1") e++;
        ops.push(rectangle(x + b * m, y - 241, (e - b) * m, 23));
        b = e;
      }
      ops.push(fill(), popGraphicsState());
      page.pushOperators(...ops);
    }
    bytes += (await doc.save({ useObjectStreams: true })).length;
  }
  printResult({ ms: Math.round(performance.now() - t0), bytes });
}

async function app(n: number, photoPath: string) {
  const { boot, shutdown } = await import("../app/boot.server");
  const { getDb } = await import("../db/client");
  const { seedNumberedSite } = await import("./seed-numbered");
  const { generateFile } = await import("../app/services/generated-files.server");
  const { downloadOwnCard } = await import("../app/services/candidate-cards.server");
  await boot({ seed: true, runJobs: false });
  const db = getDb();
  // 40 rooms of 50 seats, at least 12 batches each: room for 24,000 cards.
  const { sittingId, siteId } = await seedNumberedSite(n, photoPath, 40);
  const rssBeforeKb = memStatus().rssKb;
  resetPeak();
  const t0 = performance.now();
  const r = await generateFile("small_cards", {
    sittingId,
    siteId,
    siteCode: "990101",
    locale: "zh-CN",
    actorName: "bench",
    accountId: null,
    order: "room_seat",
  });
  const ms = performance.now() - t0;
  const peakKb = memStatus().hwmKb;
  // One candidate's own card on demand (nothing pre-generated): 20 candidates, the median.
  const regIds = (
    await db
      .selectFrom("registration")
      .select("id")
      .where("org_id", "=", siteId)
      .where("sitting_id", "=", sittingId)
      .limit(20)
      .execute()
  ).map((x) => x.id);
  const one: number[] = [];
  for (const id of regIds) {
    const t = performance.now();
    const c = await downloadOwnCard({ sittingId, siteId, registrationId: id, locale: "zh-CN" });
    for await (const chunk of c!.body) void chunk;
    one.push(performance.now() - t);
  }
  one.sort((a, b) => a - b);
  await shutdown();
  printResult({
    ms: Math.round(ms),
    bytes: r.size,
    rssBeforeKb,
    generatePeakKb: peakKb,
    oneMedianMs: Math.round(one[Math.floor(one.length / 2)]),
    oneMaxMs: Math.round(one[one.length - 1]),
  });
}

await runAsScript(import.meta.url, "cards-child", async ([mode, nArg, photo]) => {
  const n = Number(nArg);
  if (mode === "raw") await raw(n, photo);
  else if (mode === "app") await app(n, photo);
  else throw new Error(`unknown mode ${mode}`);
});

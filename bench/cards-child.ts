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
  const { sql } = await import("kysely");
  const { idCheckCharacter } = await import("../app/domain/id-number");
  const { storeStream } = await import("../app/utils/file-store.server");
  const { generateFile } = await import("../app/services/generated-files.server");
  const { downloadOwnCard } = await import("../app/services/candidate-cards.server");
  const { Readable } = await import("node:stream");
  await boot({ seed: true, runJobs: false });
  const db = getDb();
  const { sittingId, siteId } = (
    await sql<{ sittingId: number; siteId: number }>`
      select s.id as "sittingId", o.id as "siteId" from sitting s, org o where s.is_current and o.code = '990101'`.execute(
      db,
    )
  ).rows[0];
  // 40 rooms × 12 batches of 50 seats: room for 24,000 cards.
  await db
    .updateTable("org_sitting")
    .set({ address: "北京市海淀区学院路 37 号" })
    .where("org_id", "=", siteId)
    .execute();
  const batches: Array<{ id: number; room: string }> = [];
  for (let r = 1; r <= 40; r++) {
    const room = String(r).padStart(2, "0");
    const { id } = await db
      .insertInto("room")
      .values({ sitting_id: sittingId, org_id: siteId, number: room, location: `实验楼 ${r}`, seats: 50 })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (let s = 0; s < 12; s++) {
      const b = await db
        .insertInto("exam_batch")
        .values({
          sitting_id: sittingId,
          org_id: siteId,
          room_id: id,
          seq: s + 1,
          exam_date: ["2027-03-27", "2027-03-28", "2027-03-29"][Math.floor(s / 4)],
          start_min: 480 + (s % 4) * 140,
          end_min: 600 + (s % 4) * 140,
          capacity: 50,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      batches.push({ id: b.id, room });
    }
  }
  const stored = await storeStream(
    { kind: "photo", name: "p.jpg", contentType: "image/jpeg", orgId: siteId, sittingId, createdBy: null },
    Readable.from([fs.readFileSync(photoPath)]),
  );
  for (let from = 0; from < n; from += 5000) {
    const size = Math.min(5000, n - from);
    const idx = Array.from({ length: size }, (_, k) => from + k);
    const ids = idx.map((i) => {
      const first17 = `110101${19900101 + Math.floor(i / 499)}${String((i % 499) * 2 + 1).padStart(3, "0")}`;
      return first17 + idCheckCharacter(first17);
    });
    const photos = await sql<{ id: number; id_number: string }>`
      insert into photo (sitting_id, org_id, id_number, file_id, width, height, bytes)
      select ${sittingId}, ${siteId}, idn, ${stored.id}, 360, 480, ${stored.size}
      from unnest(${ids}::text[]) as t(idn) returning id, id_number`.execute(db);
    const photoOf = new Map(photos.rows.map((p) => [p.id_number, p.id]));
    const regs = await sql<{ id: number; id_number: string }>`
      insert into registration (sitting_id, org_id, channel, id_type, id_number, name, gender, birth_date, ethnicity, education, class_name, photo_id)
      select ${sittingId}, ${siteId}, 'group', '1', idn, '压测考生' || ord, '1', date '1990-01-01', '01', '20', '计科' || (ord % 30), pid
      from unnest(${ids}::text[], ${ids.map((x) => photoOf.get(x)!)}::int[]) with ordinality as t(idn, pid, ord)
      returning id, id_number`.execute(db);
    const regOf = new Map(regs.rows.map((r) => [r.id_number, r.id]));
    await sql`
      insert into entry (registration_id, sitting_id, org_id, subject_code, paid, fee_fen, paid_at, batch_id, seat, admission_no)
      select reg, ${sittingId}, ${siteId}, '14', true, 12000, now(), bid, seat, no
      from unnest(${ids.map((x) => regOf.get(x)!)}::int[], ${idx.map((i) => batches[Math.floor(i / 50)].id)}::int[],
        ${idx.map((i) => (i % 50) + 1)}::int[], ${idx.map((i) => `1479990101${batches[Math.floor(i / 50)].room}${String(i + 1).padStart(4, "0")}`)}::text[])
        as t(reg, bid, seat, no)`.execute(db);
  }
  await sql`analyze entry, registration, photo`.execute(db);
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

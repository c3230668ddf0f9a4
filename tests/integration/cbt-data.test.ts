import { beforeAll, describe, expect, it } from "vitest";
import * as cbtRoute from "../../app/routes/admin.cbt-data";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, load, orgId, sessionCookie } from "../factories";
import { downloadFile, readDbf, unzipBuffer } from "../factories/files";
import { numberedSite } from "../factories/rooms";

// DOC-6 (issue 18 item 2): the CBT data at 990102, read back by a reader of our own (not the
// library that wrote it) and compared field by field with the database.
const PAGE = "/admin/cbt-data";
let site2: string, finance: string;
let id990102: number, sittingId: number;

/** A minimal dBASE III reader: header, field descriptors, fixed-width records, values decoded from GBK. */

beforeAll(async () => {
  [site2, finance] = await Promise.all(["site990102", "finance990101"].map((u) => sessionCookie(`${u}@example.com`)));
  id990102 = await orgId("990102");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  await numberedSite(site2, {
    siteId: id990102,
    sittingId,
    rooms: [{ number: "01", seats: 10 }],
    candidates: [
      { name: "A欧阳娜娜娜娜娜娜娜娜娜娜娜娜娜", subjects: ["14", "65"] },
      { name: "钱二", subjects: ["14"] },
      { name: "䶮堃", subjects: ["65"] },
    ],
    openPreExam: true,
  });
});

describe("CBT data (DOC-6)", () => {
  it("DOC-6: <site code>.DBF in GBK with its code-page byte; every field read back by another reader equals the database", async () => {
    expect((await act(cbtRoute, PAGE, site2, {})).data).toMatchObject({ ok: true });
    await waitForInlineIdle();
    const page = await load(cbtRoute, PAGE, site2);
    expect(page.data.file).toMatchObject({ name: "机考数据-990102.zip", stale: false });
    const res = await downloadFile(page.data.file.fileId, site2);
    const files = await unzipBuffer(Buffer.from(await res.arrayBuffer()));
    expect([...files.keys()]).toEqual(["990102.DBF"]);
    const dbf = readDbf(files.get("990102.DBF")!);
    expect(dbf.codePage).toBe(0x7a);
    expect(dbf.fields.map((f) => `${f.name}:${f.type}${f.size}`)).toEqual([
      "ZKZH:C16",
      "BMH:C14",
      "XM:C30",
      "XB:C1",
      "CSRQ:C8",
      "ZJLX:C1",
      "ZJH:C18",
      "MZ:C2",
      "KSKM:C2",
      "KDDM:C6",
      "KCH:C2",
      "PCH:C2",
      "ZWH:C2",
      "KSRQ:C8",
      "KSSJ:C4",
      "ZP:C40",
    ]);
    const db = await getDb()
      .selectFrom("entry as e")
      .innerJoin("registration as g", "g.id", "e.registration_id")
      .innerJoin("exam_batch as b", "b.id", "e.batch_id")
      .innerJoin("room as r", "r.id", "b.room_id")
      .select([
        "e.admission_no",
        "g.name",
        "g.id_number",
        "g.birth_date",
        "e.subject_code",
        "r.number",
        "b.seq",
        "e.seat",
        "b.exam_date",
        "b.start_min",
      ])
      .where("e.org_id", "=", id990102)
      .where("e.sitting_id", "=", sittingId)
      .orderBy("e.admission_no")
      .execute();
    expect(dbf.rows).toHaveLength(db.length);
    db.forEach((d, i) => {
      const r = dbf.rows[i];
      expect(r.ZKZH).toBe(d.admission_no);
      // "A" and 15 Chinese characters (31 bytes) are cut to "A" and 14 (29 bytes), never half a character.
      expect(r.XM).toBe(d.name.length > 15 ? d.name.slice(0, 15) : d.name);
      expect(r.XM).not.toContain("?");
      expect(r.ZJH).toBe(d.id_number);
      expect(r.CSRQ).toBe(String(d.birth_date).replace(/-/g, ""));
      expect(r.KSKM).toBe(d.subject_code);
      expect(r.KDDM).toBe("990102");
      expect([r.KCH, r.PCH, r.ZWH]).toEqual([
        d.number,
        String(d.seq).padStart(2, "0"),
        String(d.seat).padStart(2, "0"),
      ]);
      expect(r.KSRQ).toBe(d.exam_date.replace(/-/g, ""));
      expect(r.KSSJ).toBe(
        `${String(Math.floor(d.start_min / 60)).padStart(2, "0")}${String(d.start_min % 60).padStart(2, "0")}`,
      );
      expect(r.ZP).toBe(`${d.admission_no}.jpg`);
    });
    // Read two entries at a time (the service reads pages of 10,000): the same file, every record once, in order.
    const { cbtDataZip } = await import("../../app/services/cbt-data.server");
    const paged = await unzipBuffer(
      Buffer.concat(
        await (await cbtDataZip({ sittingId, siteId: id990102, siteCode: "990102", pageSize: 2 })).toArray(),
      ),
    );
    expect(readDbf(paged.get("990102.DBF")!).rows).toEqual(dbf.rows);
  });

  it("DOC-6: a name with a character outside GBK is listed and nothing is written; finance cannot see the page", async () => {
    const reg = await getDb()
      .selectFrom("registration")
      .select("id")
      .where("org_id", "=", id990102)
      .where("sitting_id", "=", sittingId)
      .where("name", "=", "钱二")
      .executeTakeFirstOrThrow();
    await getDb().updateTable("registration").set({ name: "钱𠇔" }).where("id", "=", reg.id).execute();
    const page = await load(cbtRoute, PAGE, site2);
    expect(page.data.check.nonGbk).toEqual([{ char: "𠇔", codePoint: "U+201D4", names: ["钱𠇔"] }]);
    expect(page.data.file.stale).toBe(true);
    const jobs = (await getDb().selectFrom("job").select("id").execute()).length;
    const r = await act(cbtRoute, PAGE, site2, {});
    expect(r.data.error).toContain("𠇔");
    expect((await getDb().selectFrom("job").select("id").execute()).length).toBe(jobs);
    expect((await load(cbtRoute, PAGE, finance)).status).toBe(403);
  });
});

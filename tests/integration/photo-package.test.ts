import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as pkgRoute from "../../app/routes/admin.photo-package";
import * as filesRoute from "../../app/routes/files.$id";
import { getDb } from "../../db/client";
import { waitForInlineIdle } from "../../jobs/runner";
import { act, load, orgId, sessionCookie } from "../factories";
import { downloadFile, unzipBuffer } from "../factories/files";
import { numberedSite, openWindowNow } from "../factories/rooms";
import { compliantPhoto } from "../fixtures/photos";

// DOC-5 (issue 18 item 1): the photo package at 990102.
const PAGE = "/admin/photo-package";
let site2: string, finance: string, province50: string;
let id990102: number, sittingId: number;
let photo: Buffer;

beforeAll(async () => {
  [site2, finance, province50] = await Promise.all(
    ["site990102", "finance990101", "province50"].map((u) => sessionCookie(`${u}@example.com`)),
  );
  id990102 = await orgId("990102");
  sittingId = (
    await getDb().selectFrom("sitting").select("id").where("is_current", "=", true).executeTakeFirstOrThrow()
  ).id;
  photo = await compliantPhoto();
  await numberedSite(site2, {
    siteId: id990102,
    sittingId,
    rooms: [{ number: "01", seats: 10 }],
    candidates: [
      { name: "赵一", subjects: ["14", "65"], photo },
      { name: "钱二", subjects: ["14"], photo },
      { name: "孙三", subjects: ["65"] },
    ],
  });
});

const openPreExamWindow = () => openWindowNow(sittingId, "pre_exam_downloads");

describe("photo package (DOC-5)", () => {
  it("WIN-2/DOC-5: outside the pre-exam downloads window nothing is generated; the page lists the candidate without a photo", async () => {
    const page = await load(pkgRoute, PAGE, site2);
    expect(page.data.canGenerate).toBe(false);
    expect(page.data.missing).toEqual([{ name: "孙三", admissionNos: [expect.stringMatching(/^65\d{14}$/)] }]);
    const r = await act(pkgRoute, PAGE, site2, {});
    expect(r.status).toBe(403);
    expect(r.data.error).toContain("考前资料下载时间");
  });

  it("DOC-5: a zip with one folder named by the site code, <admission number>.jpg per entry, byte for byte as stored; the missing listed inside", async () => {
    await openPreExamWindow();
    expect((await act(pkgRoute, PAGE, site2, {})).data).toMatchObject({ ok: true });
    await waitForInlineIdle();
    const page = await load(pkgRoute, PAGE, site2);
    expect(page.data.file).toMatchObject({ name: "照片包-990102.zip", stale: false });
    const res = await downloadFile(page.data.file.fileId, site2);
    const files = await unzipBuffer(Buffer.from(await res.arrayBuffer()));
    const numbers = (
      await getDb()
        .selectFrom("entry as e")
        .innerJoin("registration as g", "g.id", "e.registration_id")
        .select(["e.admission_no", "g.name"])
        .where("e.org_id", "=", id990102)
        .where("e.sitting_id", "=", sittingId)
        .orderBy("e.admission_no")
        .execute()
    ).filter((x) => x.name !== "孙三");
    const jpgs = [...files.keys()].filter((n) => n.endsWith(".jpg")).sort();
    expect(jpgs).toEqual(numbers.map((x) => `990102/${x.admission_no}.jpg`));
    const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    for (const n of jpgs) expect(sha(files.get(n)!)).toBe(sha(photo));
    const missing = files.get("990102/缺少照片.txt")!.toString("utf8");
    expect(missing).toContain("孙三");
  });

  it("ORG-2/ORG-11: finance and another province cannot read the page or the file", async () => {
    const fileId = (await load(pkgRoute, PAGE, site2)).data.file.fileId;
    expect((await load(pkgRoute, PAGE, finance)).status).toBe(403);
    expect((await load(filesRoute, `/files/${fileId}`, province50, { id: fileId })).status).toBe(403);
  });
});

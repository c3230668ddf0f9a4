import { describe, expect, it } from "vitest";
import { batchAttendance, canCheckIn, cardPath, checkInVerdict, parsePostBatch } from "./check-in";

const card = { sittingId: 1, siteId: 10, roomId: 100, batchId: 1000 };
const post = { sittingId: 1, siteId: 10, roomId: 100, batchId: 1000 };

describe("DOC-9: check-in on exam day", () => {
  it("DOC-9: the right room and batch is ok; another room or batch is flagged and still checked in; another site or sitting never", () => {
    expect(checkInVerdict(card, post)).toBe("ok");
    expect(checkInVerdict(card, { ...post, roomId: null, batchId: null })).toBe("ok");
    expect(checkInVerdict(card, { ...post, roomId: 101, batchId: 1010 })).toBe("wrong_room");
    expect(checkInVerdict(card, { ...post, batchId: 1001 })).toBe("wrong_batch");
    expect(checkInVerdict(card, { ...post, siteId: 11 })).toBe("wrong_site");
    expect(checkInVerdict(card, { ...post, sittingId: 2 })).toBe("other_sitting");
    expect(checkInVerdict({ ...card, roomId: null, batchId: null }, post)).toBe("not_allocated");
    expect(["ok", "wrong_room", "wrong_batch"].every((v) => canCheckIn(v as never))).toBe(true);
    expect(["wrong_site", "other_sitting", "not_allocated"].some((v) => canCheckIn(v as never))).toBe(false);
  });

  it("DOC-9: a batch's roll: present and not yet while it runs; the rest are absent once it is over", () => {
    const entries = [{ checkedInAt: new Date() }, { checkedInAt: null }, { checkedInAt: "2027-03-27T00:10:00Z" }];
    expect(batchAttendance(entries, false)).toEqual({ expected: 3, present: 2, notYet: 1, absent: 0 });
    expect(batchAttendance(entries, true)).toEqual({ expected: 3, present: 2, notYet: 0, absent: 1 });
  });

  it("DOC-9: the scanner opens only this deployment's card URLs; a device's batch is a positive whole number", () => {
    const origin = "https://kaowu.example.cn";
    expect(cardPath("HTTPS://KAOWU.EXAMPLE.CN/C/79.1479990102010001.ABCDEFGHIJKLMNOPQRSTUVWXYZ", origin)).toBe(
      "/C/79.1479990102010001.ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    );
    expect(cardPath("https://evil.example.com/C/79.1.A", origin)).toBeNull();
    expect(cardPath("https://kaowu.example.cn/admin/users", origin)).toBeNull();
    expect(cardPath("javascript:alert(1)", origin)).toBeNull();
    expect(cardPath("not a url", origin)).toBeNull();
    expect([
      parsePostBatch("12"),
      parsePostBatch(""),
      parsePostBatch("-1"),
      parsePostBatch("1.5"),
      parsePostBatch(null),
    ]).toEqual([12, null, null, null, null]);
  });
});

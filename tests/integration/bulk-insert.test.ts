import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { insertJsonRows } from "../../db/queries/bulk-insert";

// Issue 21 item 5 (GRP-2 at speed): the group import's inserts go as one JSON parameter a statement.
// What they write must be what a multi-row VALUES writes, on PGlite and PostgreSQL alike.
describe("insertJsonRows (GRP-2 bulk inserts)", () => {
  it("GRP-2: writes each value as given (text with quotes and CJK, dates exact, nulls), keeps defaults, returns what was asked", async () => {
    const at = new Date("2027-03-27T01:02:03.456Z");
    const rows = [
      {
        id: randomUUID(),
        email: `bulk-a-${Date.now()}@example.com`,
        mobile: null,
        name: `张"三'\\ 𠀀`,
        password_hash: "x",
        site_vouched_at: at,
        otp_expires_at: null,
      },
      {
        id: randomUUID(),
        email: `bulk-b-${Date.now()}@example.com`,
        mobile: `139${String(Date.now()).slice(-8)}`,
        name: "Li Si",
        password_hash: "y",
        site_vouched_at: null,
        otp_expires_at: at,
      },
    ];
    const made = await insertJsonRows(getDb(), "account", rows, { returning: ["id", "email"] });
    expect(made).toEqual(rows.map((r) => ({ id: r.id, email: r.email })));
    const back = await getDb()
      .selectFrom("account")
      .selectAll()
      .where(
        "id",
        "in",
        rows.map((r) => r.id),
      )
      .orderBy("email")
      .execute();
    expect(back.map((b) => [b.name, b.mobile, b.site_vouched_at?.toISOString() ?? null, b.otp_expires_at])).toEqual([
      [rows[0].name, null, at.toISOString(), null],
      ["Li Si", rows[1].mobile, null, at],
    ]);
    // Columns no row names keep their defaults.
    expect(back.every((b) => b.role === "candidate" && b.must_change_password === false)).toBe(true);
    // Conflicts skipped when asked: nothing returned for them, nothing changed.
    const again = await insertJsonRows(getDb(), "account", [{ ...rows[0], id: randomUUID(), name: "other" }], {
      returning: ["id"],
      skipConflicts: true,
    });
    expect(again).toEqual([]);
    await expect(insertJsonRows(getDb(), "account", [{ ...rows[0], id: randomUUID() }])).rejects.toThrow();
    expect(await insertJsonRows(getDb(), "account", [])).toEqual([]);
  });
});

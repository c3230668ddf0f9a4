import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db/client";
import { createOrg } from "../../app/services/create-org.server";
import { deleteOrg } from "../../app/services/delete-org.server";
import { addUser } from "../../app/services/add-user.server";
import { removeUser } from "../../app/services/remove-user.server";
import { updateUser } from "../../app/services/update-user.server";
import { setOrgState } from "../../app/services/set-org-state.server";
import { setSiteEligibility } from "../../app/services/set-site-eligibility.server";
import { setSiteFees } from "../../app/services/set-site-fees.server";
import { setWindows } from "../../app/services/set-windows.server";
import { updateOrgInfo } from "../../app/services/update-org-info.server";
import { withdrawInvitation } from "../../app/services/withdraw-invitation.server";
import { setCapacity } from "../../app/services/set-capacity.server";
import { addStudentRecord } from "../../app/services/add-student-record.server";
import { updateStudentRecord } from "../../app/services/update-student-record.server";
import { deleteAllMatching, deleteStudentRecord } from "../../app/services/delete-student-records.server";
import type { StudentRecordImportValue } from "../../app/domain/student-record";
import { requireAdmin, type AdminContext } from "../../app/utils/auth.server";
import { makeRequest, orgId, sessionCookie } from "../factories";

// Issue 14 item 1: every service that changes data checks the scope of what it touches itself
// (ORG-2, WIN-1), so a route that forgets the guard still cannot reach another organisation.

const ctxOf = async (email: string): Promise<AdminContext> =>
  requireAdmin(makeRequest("/admin", { cookie: await sessionCookie(email) }));
const refused = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x as { key?: string; status?: number },
  );
  expect(e, "the service must refuse").not.toBeNull();
  return e!;
};

let site1: AdminContext, city: AdminContext;
let id990101: number, id990102: number, id990201: number, id9902: number, id99: number;
beforeAll(async () => {
  [site1, city] = await Promise.all([ctxOf("site990101@example.com"), ctxOf("city9901@example.com")]);
  [id990101, id990102, id990201, id9902, id99] = await Promise.all(
    ["990101", "990102", "990201", "9902", "99"].map(orgId),
  );
});

describe("services guard their own scope (ORG-2, WIN-1)", () => {
  it("ORG-2: organisation services refuse an organisation outside the actor's scope, and a superior's own", async () => {
    expect(
      (
        await refused(
          updateOrgInfo(site1, id990102, {
            address: "x",
            postcode: "",
            contact_name: "",
            contact_phone: "",
            contact_email: "",
            remark: "",
          } as never),
        )
      ).key,
    ).toBe("scope.denied");
    expect((await refused(createOrg(city, { parentId: id9902, code: "990299", name: "越权" }))).key).toBe(
      "scope.denied",
    );
    // A site is not its own superior; a city is not its province's.
    expect((await refused(setOrgState(site1, id990101, { enabled: false }))).key).toBe("scope.denied");
    expect((await refused(setOrgState(city, id99, { enabled: false }))).key).toBe("scope.denied");
    expect((await refused(deleteOrg(city, id9902))).key).toBe("scope.denied");
    const enabled = await getDb()
      .selectFrom("org_sitting")
      .select("enabled")
      .where("org_id", "=", id99)
      .executeTakeFirstOrThrow();
    expect(enabled.enabled).toBe(true);
  });

  it("ORG-2: user services refuse another organisation's users and invitations", async () => {
    expect(
      (
        await refused(
          addUser(site1, id990102, { login: "x-guard@example.com", name: "越权", phone: "", role: "admin" }),
        )
      ).key,
    ).toBe("scope.denied");
    expect((await refused(updateUser(site1, id990102, 1, { name: "x", phone: "", role: "admin" }))).key).toBe(
      "scope.denied",
    );
    expect((await refused(removeUser(site1, id990102, 1))).key).toBe("scope.denied");
    expect((await refused(withdrawInvitation(site1, id990102, 1))).key).toBe("scope.denied");
    expect(
      await getDb().selectFrom("account").select("id").where("email", "=", "x-guard@example.com").executeTakeFirst(),
    ).toBeUndefined();
  });

  it("WIN-1: windows are set only by a strict superior (the centre also its own); the whole change is refused", async () => {
    const span = { starts_at: new Date("2026-12-01T00:00:00Z"), ends_at: new Date("2026-12-02T00:00:00Z") };
    expect((await refused(setWindows(site1, [{ orgId: id990101, kind: "registration", span }]))).key).toBe(
      "scope.denied",
    );
    expect(
      (
        await refused(
          setWindows(city, [
            { orgId: id990101, kind: "registration", span },
            { orgId: id990201, kind: "registration", span },
          ]),
        )
      ).key,
    ).toBe("scope.denied");
  });

  it("ORG-2: a site cannot set fees or eligibility of a site (its own included); ORG-1: a superior cannot set a site's capacity", async () => {
    expect((await refused(setSiteFees(site1, id990102, { perPersonFen: 0, subjects: {} }))).key).toBe("scope.denied");
    expect(
      (
        await refused(
          setSiteEligibility(site1, id990101, {
            registry_enabled: false,
            only_province_registry: false,
            only_site_registry: false,
          }),
        )
      ).key,
    ).toBe("scope.denied");
    expect((await refused(setCapacity(city, { total: 500, subjects: {} } as never))).key).toBe("setup.site_only");
  });

  it("ORG-1/SR-5: student records are a site's own: a superior's add, edit or delete is refused by the service and changes nothing", async () => {
    const before = await getDb()
      .selectFrom("student_record")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const value = { id_number: "11010519491231002X", name: "越权", eligible_sites: null } as StudentRecordImportValue;
    for (const p of [
      addStudentRecord(city, value),
      updateStudentRecord(city, 1, value),
      deleteStudentRecord(city, 1),
      deleteAllMatching(city, {}, 0),
    ])
      expect((await refused(p)).key).toBe("setup.site_only");
    const after = await getDb()
      .selectFrom("student_record")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

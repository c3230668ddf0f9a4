import { describe, expect, it } from "vitest";
import { planPhotoPackage, type PackageRow } from "./photo-package";

// DOC-5: the photo package's files and the candidates left out.
const row = (o: Partial<PackageRow>): PackageRow => ({
  admission_no: "1479990102010001",
  registration_id: 1,
  name: "张三",
  id_number: "110101199003078515",
  photo_path: "photos/a.jpg",
  ...o,
});

describe("photo package (DOC-5)", () => {
  const rows = [
    row({ admission_no: "1479990102010001", registration_id: 1, photo_path: "photos/a.jpg" }),
    row({ admission_no: "6579990102010002", registration_id: 1, photo_path: "photos/a.jpg" }),
    row({ admission_no: "1479990102010003", registration_id: 2, name: "李四", id_number: "X2", photo_path: null }),
    row({ admission_no: "6579990102010004", registration_id: 2, name: "李四", id_number: "X2", photo_path: null }),
  ];

  it("DOC-5: one <admission number>.jpg per entry in a folder named by the site code; no photo: listed, not skipped in silence", () => {
    const p = planPhotoPackage(rows, "990102", "admission_no");
    expect(p.files).toEqual([
      { name: "990102/1479990102010001.jpg", path: "photos/a.jpg" },
      { name: "990102/6579990102010002.jpg", path: "photos/a.jpg" },
    ]);
    expect(p.missing).toEqual([{ name: "李四", admissionNos: ["1479990102010003", "6579990102010004"] }]);
  });

  it("DOC-5: named by ID number where the deployment says so: one photo per candidate", () => {
    const p = planPhotoPackage(rows, "990102", "id_number");
    expect(p.files).toEqual([{ name: "990102/110101199003078515.jpg", path: "photos/a.jpg" }]);
  });
});

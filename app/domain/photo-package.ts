// DOC-5 (manual §四十六 照片包下载): what the photo package holds. Pure: the zip is written in
// app/services/photo-package.server.ts.

/** How the package names a photo: by admission number (one per entry), or by ID number (one per candidate). */
export const PHOTO_PACKAGE_NAMINGS = ["admission_no", "id_number"] as const;
export type PhotoPackageNaming = (typeof PHOTO_PACKAGE_NAMINGS)[number];

export interface PackageRow {
  admission_no: string | null;
  registration_id: number;
  name: string;
  id_number: string;
  photo_path: string | null;
}

/**
 * The files of the package (`<site code>/<name>.jpg`, each photo once per name) and the candidates
 * left out for want of a photo, listed rather than skipped in silence.
 */
export function planPhotoPackage(rows: readonly PackageRow[], siteCode: string, naming: PhotoPackageNaming) {
  const files: Array<{ name: string; path: string }> = [];
  const seen = new Set<string>();
  const missing = new Map<number, { name: string; admissionNos: string[] }>();
  for (const r of rows) {
    if (!r.photo_path) {
      const m = missing.get(r.registration_id) ?? { name: r.name, admissionNos: [] };
      m.admissionNos.push(r.admission_no!);
      missing.set(r.registration_id, m);
      continue;
    }
    const base = naming === "id_number" ? r.id_number : r.admission_no!;
    if (seen.has(base)) continue;
    seen.add(base);
    files.push({ name: `${siteCode}/${base}.jpg`, path: r.photo_path });
  }
  return { files, missing: [...missing.values()] };
}

// "photopkg.*" messages in English.
import type { photopkgZhCN } from "../zh-CN/photopkg";

export const photopkgEn: Record<keyof typeof photopkgZhCN, string> = {
  "photopkg.title": "Photo package",
  "photopkg.hint":
    "Once allocation is done and admission numbers exist, generate the site's photo package inside the pre-exam downloads window: a zip with one folder named by the site code and one JPG per admission number (each photo as stored, not recompressed).",
  "photopkg.hint_id": "This deployment names photos by ID number: one per candidate.",
  "photopkg.file": "photo-package",
  "photopkg.no_numbers": "The site has no admission numbers yet: allocate and generate admission numbers first.",
  "photopkg.missing_title": "{count, plural, one {# candidate has} other {# candidates have}} no photo",
  "photopkg.missing_hint":
    'They are not in the package (its "missing photos" list names them too). Upload their photos on the candidates\' pages, then generate again.',
  "photopkg.missing_file": "missing-photos",
  "photopkg.missing_file_head": "These candidates have no photo and are not in the package (admission numbers\tname):",
  "photopkg.col_numbers": "Admission numbers",
  "photopkg.col_name": "Name",
};

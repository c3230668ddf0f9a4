// "role.*" messages in English.
import type { roleZhCN } from "../zh-CN/role";

export const roleEn: Record<keyof typeof roleZhCN, string> = {
  "role.admin": "Administrator",
  "role.finance": "Finance staff",
  "role.invigilator": "Invigilator",
  "role.admin.centre": "Centre administrator",
  "role.admin.province": "Province administrator",
  "role.admin.city": "City administrator",
  "role.admin.site": "Site administrator",
  "role.admin_only": "Finance staff manage settlement accounts and see payment statistics only; they cannot do this.",
  "role.centre_only": "Only centre administrators can do this.",
};

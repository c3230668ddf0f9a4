// "id.*" messages in English.
import type { idZhCN } from "../zh-CN/id";

export const idEn: Record<keyof typeof idZhCN, string> = {
  "id.empty": "The ID number is empty.",
  "id.format": "The ID number does not match the ID type's format.",
  "id.check_digit": "The ID number's check digit is wrong; check it.",
  "id.birth_date": "The birth date inside the ID number is not valid.",
  "id.birth_mismatch": "The birth date differs from the ID number's ({born}).",
  "id.gender_mismatch": "The gender differs from the ID number's.",
  "id.lost_precision":
    "Excel stored this ID number as a number and lost its last digits. Format the column as text and type the ID numbers again.",
};

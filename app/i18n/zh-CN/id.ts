// "id.*" messages in Simplified Chinese.
export const idZhCN = {
  "id.empty": "证件号码为空。",
  "id.format": "证件号码格式不符合证件类型。",
  "id.check_digit": "身份证号码校验位错误，请核对。",
  "id.birth_date": "证件号码中的出生日期无效。",
  "id.birth_mismatch": "出生日期与证件号码不一致（证件号码为 {born}）。",
  "id.gender_mismatch": "性别与证件号码不一致。",
  "id.lost_precision": "证件号码被 Excel 存成了数字，末尾几位已丢失。请把该列设为文本格式后重新输入证件号码。",
} as const;

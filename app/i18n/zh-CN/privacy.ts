// "privacy.*" messages in Simplified Chinese.
export const privacyZhCN = {
  "privacy.name_hint":
    "请填写与证件一致的姓名：只有姓名和证件号码都与学籍信息一致时，才会按学籍判断可报名的考点并自动填写学籍信息。",
  "privacy.id_saved": "证件号码已记录（仅保存在服务器上，不会出现在网址中）。",
  "privacy.lookup_limit": "查询次数过多，请于 {time} 之后再试。",
  "privacy.id_unavailable": "该证件号码无法在本账号下报名。如果这是您本人的证件号码，请联系考点处理。",
  "privacy.prefilled_school": "已根据考点学籍库填写学历、院系、专业、班级和学号，请核对；联系方式请自行填写。",
  "privacy.change_id": "更改证件号码或姓名",
  "privacy.birth_masked": "****-**-**",
  "privacy.id_filter_hint": "证件号码不会出现在网址中。",
} as const;

// "card.*" messages in Simplified Chinese (DOC-1 … DOC-4, manual §三十四 – §三十七: 准考证).
export const cardZhCN = {
  "card.title_suffix": "准考证",
  "card.admissionNo": "准考证号",
  "card.name": "姓名",
  "card.gender": "性别",
  "card.idType": "证件类型",
  "card.idNumber": "证件号码",
  "card.subject": "考试科目",
  "card.examDate": "考试日期",
  "card.examTime": "考试时间",
  "card.roomSeat": "考场/座位",
  "card.site": "考点：",
  "card.address": "地址：",
  "card.no_photo": "无照片",
  "card.calibration": "← 打印后此线应为 100 毫米",
} as const;

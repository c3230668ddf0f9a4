// "scan.*" messages in Simplified Chinese (DOC-9: 扫描准考证二维码).
export const scanZhCN = {
  "scan.title": "准考证核验",
  "scan.invalid": "这个二维码不是本系统签发的准考证，或已被改动。请核对考生的准考证和证件。",
  "scan.not_found": "二维码有效，但找不到这个准考证号（报考可能已取消或重新编排）。",
  "scan.other_sitting": "这是 {sitting} 的准考证，不是当前考次的。",
  "scan.verified": "二维码有效：本系统签发的准考证。",
  "scan.admission_no": "准考证号",
  "scan.name": "姓名",
  "scan.subject": "科目",
  "scan.time": "考试时间",
  "scan.room_batch": "考场/批次",
  "scan.seat": "座位号",
  "scan.site": "考点",
} as const;

// "receipts.*" messages in Simplified Chinese (DOC-7: 证书领取确认单).
export const receiptsZhCN = {
  "receipts.title": "证书领取确认单",
  "receipts.hint":
    "成绩导入后，按班级或按考场生成及格考生的证书领取确认单（每个班级或考场一个 PDF，列出证书编号，留有签名和领取日期栏）。在考后资料下载时间内生成。",
  "receipts.by_class": "按班级",
  "receipts.by_room": "按考场",
  "receipts.class_file": "证书领取确认单-按班级",
  "receipts.room_file": "证书领取确认单-按考场",
  "receipts.none_passed": "本考点还没有及格的成绩，没有证书领取确认单可生成。",
  "receipts.pdf_title": "证书领取确认单",
  "receipts.group": "班级/考场：",
  "receipts.no": "序号",
  "receipts.certificate_no": "证书编号",
  "receipts.signature": "领取人签名",
  "receipts.date": "领取日期",
  "receipts.footer": "共 {count} 人。领取证书时请核对证件并签名。",
  "receipts.no_class": "未填班级",
  "receipts.room": "第 {room} 考场",
};

// "sheets.*" messages in Simplified Chinese (manual §五十 考场签到表下载, §五十一 考场座次表下载).
export const sheetsZhCN = {
  "sheets.sign_in_page": "考场签到表下载",
  "sheets.chart_page": "考场座次表下载",
  "sheets.sign_in_hint":
    "编排完成、生成准考证号后，在考前资料下载时间内生成：每个考场每个批次一个 PDF，按座位号列出考生的照片、姓名、证件号码（只显示后四位）、准考证号和科目，考生在签名栏签到。",
  "sheets.chart_hint":
    "编排完成、生成准考证号后，在考前资料下载时间内生成：每个考场每个批次一个 PDF，按考场的排列（考场管理中的“每排座位数”）画出座位，每个座位写明准考证号和姓名，讲台在上方。",
  "sheets.sign_in_file": "考场签到表",
  "sheets.chart_file": "考场座次表",
  "sheets.count": "共 {sheets} 个考场批次，{candidates} 位考生。",
  "sheets.rooms_link": "修改考场的每排座位数",
  "sheets.sign_in_title": "考场签到表",
  "sheets.chart_title": "考场座次表",
  "sheets.site": "考点：",
  "sheets.room": "考场：",
  "sheets.batch": "批次：",
  "sheets.time": "时间：",
  "sheets.seat": "座位号",
  "sheets.photo": "照片",
  "sheets.name": "姓名",
  "sheets.id_number": "证件号码",
  "sheets.admission_no": "准考证号",
  "sheets.subject": "科目",
  "sheets.signature": "考生签名",
  "sheets.sign_in_footer":
    "应到 {expected} 人　　实到 ______ 人　　缺考 ______ 人　　监考员签名：____________　____________",
  "sheets.chart_footer": "本批次 {seated} 人，考场座位 {seats} 个（灰色为空座）",
  "sheets.page": "第 {n} / {total} 页",
  "sheets.front": "讲　台",
} as const;

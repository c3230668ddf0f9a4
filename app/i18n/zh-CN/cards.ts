// "cards.*" messages in Simplified Chinese (manual §三十四 – §三十七: 考点准考证、考生准考证).
export const cardsZhCN = {
  "cards.title": "准考证打印",
  "cards.hint":
    "编排完成并生成准考证号后，可以随时生成本考点的准考证：每个考场一个 PDF（超过 500 张时拆分），打包为 zip。打印时请选择“实际大小/100%”，不要“适合页面”。",
  "cards.small_title": "考点小版准考证",
  "cards.small_hint": "每页 A4 印 6 张，沿边框裁开。",
  "cards.large_title": "考点大版准考证",
  "cards.large_hint": "每页 A4 印 1 张，附考生须知和 100 毫米校准线。",
  "cards.small_file": "小版准考证",
  "cards.large_file": "大版准考证",
  "cards.room": "考场",
  "cards.order": "排序方式",
  "cards.order.admission_no": "按准考证号",
  "cards.order.room_seat": "按考场和座位号",
  "cards.order.class": "按班级",
  "cards.order.name": "按姓名",
  "cards.count": "本考点共 {count} 张准考证（每个报考科目一张）。",
  "cards.without_photo": "其中 {count} 张没有考生照片，照片位置将印“无照片”。",
  "cards.no_cards": "本考点还没有可以打印的准考证：请先完成考场编排并生成准考证号。",
  "cards.not_ready": "还有 {count} 个已缴费的报考科目没有准考证号，请先完成编排并生成准考证号。",
  "cards.go_numbers": "去生成准考证号",
  "cards.missing_chars":
    "准考证字库缺少 {count} 个字符（{chars}），印出来会是空白，因此没有生成。请核对下面列出的考生姓名或考点信息后再生成。",
  "cards.missing_title": "字库缺少的字符",
  "cards.missing_hint":
    "这些字符不在准考证字库（思源黑体/Noto Sans SC）中，多为生僻字。请核对证件上的写法；如需改用通用写法，请在考生信息中修改，并告知考生。",
  "cards.missing_char": "字符",
  "cards.missing_code": "编码",
  "cards.missing_names": "涉及的考生或信息",
} as const;

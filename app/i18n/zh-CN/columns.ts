// "columns.*" messages in Simplified Chinese (SCO-1/SCO-2: 成绩文件列名设置).
export const columnsZhCN = {
  "columns.title": "成绩文件列名设置",
  "columns.hint":
    "阅卷系统和证书直邮文件没有公开的统一格式。除内置列名外，可以为每个字段再填写本系统所用的列名（用逗号或顿号分隔），导入时同样识别。由国家级（中心）管理员设置，对所有考点生效。",
  "columns.scores": "成绩文件",
  "columns.mailing": "证书直邮文件",
  "columns.field": "字段",
  "columns.built_in": "内置列名",
  "columns.own": "本系统的列名",
  "columns.sep": "、",
  "columns.save": "保存",
  "columns.saved": "已保存列名设置。",
  "columns.centre_only": "列名设置只能由中心管理员修改。",
  "columns.unknown_field": "没有字段 {field}。",
  "columns.too_many": "字段 {field} 最多填写 {max} 个列名。",
  "columns.too_long": "字段 {field} 的列名“{name}”太长（最多 {max} 个字）。",
  "columns.taken": "列名“{name}”已经属于字段 {other}，不能再给字段 {field}。",
};

// "export.*" messages in Simplified Chinese.
export const exportZhCN = {
  "export.title": "导出查询结果报考数据",
  "export.hint":
    "导出所有查询结果的考点代码、姓名、证件号码（后4位）、班级和报考科目，每个报考科目一行，没有报考科目的考生占一行。导出没有操作时间限制；导出在后台进行，可以离开本页面，稍后回来下载。",
  "export.count_all": "全部考生共 {count} 人。",
  "export.count_filtered": "当前查询条件下共 {count} 名考生。",
  "export.back": "返回考生管理",
  "export.start": "导出 {count} 名考生的报考数据",
  "export.recent": "我最近的导出",
  "export.none": "还没有导出。",
  "export.file": "所有查询结果报考数据导出",
  "export.sheet": "考生报考信息",
  "export.progress": "{done} / {total} 名考生",
  "export.progress_rows": "{done} / {total} 行",
  "export.col.seq": "考生序号",
  "export.col.name": "姓名",
  "export.col.id_last4": "证件号码(后4位)",
  "export.col.site": "考点代码",
  "export.col.class": "班级",
  "export.col.subject": "报考科目",
  "export.col.entry_count": "报考科目总数",
  "export.col.entry_seq": "报考科目序号",
} as const;

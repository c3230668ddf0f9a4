// "cbt.*" messages in Simplified Chinese (manual §四十七 机考数据下载).
export const cbtZhCN = {
  "cbt.title": "机考数据下载",
  "cbt.hint":
    "编排完成、生成准考证号后，在考前资料下载时间内生成本考点的机考数据：zip 中的“考点代码.DBF”，每个准考证号一条记录，GBK 编码，可直接用机考系统、FoxPro 或 dbfread 打开；用 LibreOffice 打开时，在导入对话框的字符集中选择“简体中文 (GBK)”。",
  "cbt.file": "机考数据",
  "cbt.records": "共 {count} 条记录。",
  "cbt.non_gbk":
    "有 {count} 个字符（{chars}）不在 GBK 字符集中，机考系统无法保存，写入会变成“?”，因此没有生成。请核对下面列出的考生姓名后再生成。",
  "cbt.non_gbk_title": "GBK 无法保存的字符",
  "cbt.non_gbk_hint": "这些多为生僻字。请核对证件上的写法；需要改用通用写法时，请在考生信息中修改并告知考生。",
} as const;

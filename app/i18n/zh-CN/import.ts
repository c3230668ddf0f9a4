// "import.*" messages in Simplified Chinese.
export const importZhCN = {
  "import.formula_no_value":
    "公式没有保存计算结果（文件不是由 Excel/WPS 保存的）：请用 Excel 或 WPS 打开该文件并保存后再上传。",
  "import.csv_tabs":
    "“{name}”是用制表符（Tab）分隔的文本文件，不是逗号分隔的 CSV：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再上传。",
  "import.value_cut": "…（共 {length} 个字符）",
  "import.required": "必填项为空。",
  "import.too_long": "超过 {max} 个字符。",
  "import.bad_code": "不是有效的代码或名称（见“码表”）。",
  "import.bad_date": "不是有效的日期（可写 2005-03-08、2005/3/8、20050308 或 Excel 日期）。",
  "import.bad_phone": "不是有效的电话号码。",
  "import.bad_email": "不是有效的电子邮箱。",
  "import.header_missing": "缺少必需的列：{headers}。请使用下载的模板，不要修改第一行列名。",
  "import.sheet_missing": "文件中没有“{sheet}”工作表（找到：{found}）。请在模板的“{sheet}”工作表中填写数据。",
  "import.xlsx_broken": "无法读取该 Excel 文件，文件可能已损坏。请用 Excel 打开后另存为 .xlsx 再上传。",
  "import.csv_broken": "无法读取该 CSV 文件。",
  "import.no_rows": "文件中没有数据行。",
  "import.progress_reading": "正在校验：已读 {rows} 行",
  "import.progress_writing": "校验通过，正在写入",
  "import.progress_written": "已写入 {rows} 行",
  "import.report_sheet": "错误",
  "import.report_name": "导入错误报告",
  "import.col.row": "行号",
  "import.col.column": "列",
  "import.col.value": "内容",
  "import.col.message": "错误说明",
} as const;

// "upload.*" messages in Simplified Chinese.
export const uploadZhCN = {
  "upload.utf16":
    "“{name}”是 UTF-16（Unicode 文本）编码的文件：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再上传。",
  "upload.empty": "“{name}”是空文件（0 字节），请检查后重新选择文件。",
  "upload.too_large": "文件超过 {max} 的上限，已拒绝。",
  "upload.broken": "上传的数据不完整，请重新上传。",
  "upload.missing": "请选择要上传的文件。",
  "upload.wrong_type": "“{name}”不是 Excel (.xlsx) 或 CSV 文件（按文件内容判断，而不是文件名）。",
  "upload.old_xls": "这是旧版 Excel (.xls) 文件，请用 Excel 另存为 .xlsx 后再上传。",
  "upload.zip_broken": "压缩文件已损坏，无法读取。",
  "upload.zip_path": "压缩文件中有不安全的路径：{name}",
  "upload.zip_entries": "压缩文件中的文件超过 {max} 个。",
  "upload.zip_bomb": "压缩文件解压后过大（疑似压缩炸弹），已拒绝。",
  "upload.zip_bomb_entry": "压缩文件中的 {name} 解压后过大（疑似压缩炸弹），已拒绝。",
} as const;

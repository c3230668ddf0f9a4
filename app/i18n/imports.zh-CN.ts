// Messages of the shared import pipeline (app/imports) and of the job runner's limits (X-2, X-3, SR-2, GRP-1).
export const importsZhCN = {
  "import.formula_no_value": "公式没有保存计算结果（文件不是由 Excel/WPS 保存的）：请用 Excel 或 WPS 打开该文件并保存后再上传。",
  "import.csv_tabs": "“{name}”是用制表符（Tab）分隔的文本文件，不是逗号分隔的 CSV：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再上传。",
  "upload.utf16": "“{name}”是 UTF-16（Unicode 文本）编码的文件：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再上传。",
  "upload.empty": "“{name}”是空文件（0 字节），请检查后重新选择文件。",
  "group.zip_old_xls": "压缩包中的“{name}”是旧版 Excel (.xls) 文件：请用 Excel 另存为 .xlsx，再压缩成 .zip 上传。",
  "import.value_cut": "…（共 {length} 个字符）",
  "job.timed_out": "任务超过时限仍未完成，已停止。文件可能过大或已损坏；请检查后重新上传。",
  "job.gave_up": "任务已两次中途卡住或因服务重启中断，不再重试。请检查文件后重新上传。",
  "job.no_worker": "没有正在运行的后台处理进程，任务无法开始。请联系系统管理员启动处理进程（npm run worker）；任务已保存，进程启动后会自动开始。",
  "job.queue_unavailable": "任务队列暂时无法连接。任务已保存，队列恢复后会自动开始，无需重新提交。",
  "job.waiting_turn": "排队中：等待之前的任务完成后开始…",
} as const;

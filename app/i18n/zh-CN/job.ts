// "job.*" messages in Simplified Chinese.
export const jobZhCN = {
  "job.timed_out": "任务超过时限仍未完成，已停止。文件可能过大或已损坏；请检查后重新上传。",
  "job.gave_up": "任务已两次中途卡住或因服务重启中断，不再重试。请检查文件后重新上传。",
  "job.no_worker":
    "没有正在运行的后台处理进程，任务无法开始。请联系系统管理员启动处理进程（npm run worker）；任务已保存，进程启动后会自动开始。",
  "job.queue_unavailable": "任务队列暂时无法连接。任务已保存，队列恢复后会自动开始，无需重新提交。",
  "job.waiting_turn": "排队中：等待之前的任务完成后开始…",
  "job.status.queued": "排队中",
  "job.status.running": "处理中",
  "job.status.done": "已完成",
  "job.status.failed": "失败",
  "job.failed": "任务失败，请重试；如仍失败请联系管理员。",
  "job.unknown_type": "未知的任务类型。",
} as const;

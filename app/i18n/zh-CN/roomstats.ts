// "roomstats.*" messages in Simplified Chinese (manual §三十三 考场统计).
export const roomstatsZhCN = {
  "roomstats.title": "考场统计",
  "roomstats.hint":
    "考场统计文件（Excel）包含考场、批次、各批次各科目的已编排人数。按需生成；编排或考场变化后请重新生成。",
  "roomstats.file": "考场统计",
  "roomstats.none": "还没有生成过。",
  "roomstats.generate": "生成",
  "roomstats.regenerate": "重新生成",
  "roomstats.generated": "{at} 由 {by} 生成，{size}",
  "roomstats.stale": "生成之后考场、批次或编排已有变化，文件已过期，请重新生成。",
  "roomstats.current": "文件与当前数据一致。",
  "roomstats.download": "下载",
  "roomstats.progress": "正在生成文件",
} as const;

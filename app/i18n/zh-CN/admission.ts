// "admission.*" messages in Simplified Chinese (manual §三十二 准考证号生成).
export const admissionZhCN = {
  "admission.title": "准考证号生成",
  "admission.hint":
    "本考点所有报考科目都编排完成后，可以生成准考证号。重新生成时，编排没有变化的科目保留原来的准考证号；已用过的号码不会再用。",
  "admission.format": "号码格式：{format}（科目 + 考次 + 考点 + 考场号 + 流水号）",
  "admission.status_done": "准考证号已生成：{numbered} 个科目都有准考证号。",
  "admission.status_unallocated": "流水号未生成：还有 {count} 个科目未编排。",
  "admission.status_missing": "流水号未生成：{count} 个已编排的科目还没有准考证号或编排已变，请生成。",
  "admission.status_none": "本考点没有报考科目。",
  "admission.generated_at": "上次生成：{at}",
  "admission.generate": "生成准考证号",
  "admission.generated": "已生成：{fresh} 个新号码，{kept} 个保留原号码。",
  "admission.no_entries": "本考点没有报考科目，无需生成。",
  "admission.not_all_allocated": "还有 {count} 个科目未编排（或未缴费），全部编排后才能生成准考证号。",
  "admission.overflow": "本考点需要 {count} 个流水号，超过了 {width} 位流水号的上限；请部署方加宽号码格式中的流水号。",
  "admission.go_allocation": "去《考场编排》",
} as const;

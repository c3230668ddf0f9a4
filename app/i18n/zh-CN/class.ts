// "class.*" messages in Simplified Chinese.
export const classZhCN = {
  "class.required": "请选择班级。",
  "class.not_an_option": "班级必须从考点给定的选项中选择。",
} as const;

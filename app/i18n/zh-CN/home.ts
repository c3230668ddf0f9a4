// "home.*" messages in Simplified Chinese.
export const homeZhCN = {
  "home.welcome": "欢迎登录考务管理系统",
  "home.basic_info": "基本信息",
  "home.org": "机构名称",
  "home.role": "角色",
  "home.sitting": "考次",
  "home.enabled": "本考次是否启用",
  "home.subordinates": "下级机构",
  "home.subordinates_count": "共 {total} 个，已启用 {enabled} 个",
  "home.windows": "操作时间",
  "home.windows_hint": "操作时间由上级机构设置；不在时间内的模块只能查询、查看和导出，不能新增、修改或删除。",
} as const;

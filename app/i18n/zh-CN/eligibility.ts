// "eligibility.*" messages in Simplified Chinese.
export const eligibilityZhCN = {
  "eligibility.registry_enabled": "启用学籍库",
  "eligibility.only_province_registry": "仅接受本省学籍库考生报考",
  "eligibility.only_site_registry": "仅接受本考点学籍库考生报考",
  "eligibility.effect.off": "未启用学籍库：所有考生均可自由报考本考点。",
  "eligibility.effect.00": "社会考生可以报考；学籍考生在其“可报考考点”允许时可以报考。",
  "eligibility.effect.10": "社会考生不能报考；本省学籍考生在其“可报考考点”允许时可以报考。",
  "eligibility.effect.11": "只有本考点学籍库考生可以报考。",
  "eligibility.effect.01": "只有本考点学籍库考生可以报考。",
  "eligibility.other_province": "外省学籍考生不受本考点学籍报考设置限制，按社会考生对待。",
  "eligibility.public_refused": "本考点只接受本省学籍库考生报考。",
  "eligibility.site_registry_only": "本考点只接受本考点学籍库考生报考。",
  "eligibility.not_eligible_site": "您的学籍不允许报考本考点。",
  "eligibility.cross_site_disabled": "本省启用了意向考试日期，不允许跨考点报名：学籍考生只能在学籍所在考点报名。",
} as const;

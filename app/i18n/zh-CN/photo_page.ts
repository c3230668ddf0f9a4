// "photo_page.*" messages in Simplified Chinese.
export const photoPageZhCN = {
  "photo_page.title": "上传照片",
  "photo_page.rules":
    "请上传近期正面免冠证件照：JPEG 格式，白色或浅蓝色纯色背景，人像清晰。选好后可拖动、缩放裁成 3:4，系统会自动压缩为合格的照片。",
  "photo_page.upload": "上传照片",
  "photo_page.saved": "照片已保存。",
  "photo_page.registration_saved": "个人信息已保存。下一步：上传照片。",
  "photo_page.review_failed": "您的照片未通过审核，请重新上传一张合格的照片后再提交审核。",
  "photo_page.current": "当前照片",
} as const;

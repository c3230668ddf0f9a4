// "photopkg.*" messages in Simplified Chinese (manual §四十六 照片包下载).
export const photopkgZhCN = {
  "photopkg.title": "照片包下载",
  "photopkg.hint":
    "编排完成、生成准考证号后，在考前资料下载时间内生成本考点的照片包：zip 中一个以考点代码命名的文件夹，每个准考证号一张 JPG（照片原样保存，不重新压缩）。",
  "photopkg.hint_id": "本系统设置为按证件号码命名照片：每位考生一张。",
  "photopkg.file": "照片包",
  "photopkg.no_numbers": "本考点还没有准考证号：请先完成编排并生成准考证号。",
  "photopkg.missing_title": "{count} 位考生没有照片",
  "photopkg.missing_hint":
    "这些考生不在照片包中（照片包里的“缺少照片”清单也列出了他们）。请在考生管理中为他们上传照片后重新生成。",
  "photopkg.missing_file": "缺少照片",
  "photopkg.missing_file_head": "以下考生没有照片，不在照片包中（准考证号\t姓名）：",
  "photopkg.col_numbers": "准考证号",
  "photopkg.col_name": "姓名",
} as const;

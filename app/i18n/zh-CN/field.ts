// "field.*" messages in Simplified Chinese.
export const fieldZhCN = {
  "field.name": "姓名",
  "field.gender": "性别",
  "field.birth_date": "出生日期",
  "field.id_type": "证件类型",
  "field.id_number": "证件号码",
  "field.ethnicity": "民族",
  "field.education": "文化程度",
  "field.occupation": "职业",
  "field.department": "院系",
  "field.major": "专业",
  "field.class_name": "班级",
  "field.student_no": "学号",
  "field.phone": "联系电话",
  "field.email": "电子邮箱",
  "field.address": "通讯地址",
  "field.postcode": "邮政编码",
} as const;

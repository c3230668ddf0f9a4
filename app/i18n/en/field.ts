// "field.*" messages in English.
import type { fieldZhCN } from "../zh-CN/field";

export const fieldEn: Record<keyof typeof fieldZhCN, string> = {
  "field.name": "Name",
  "field.gender": "Gender",
  "field.birth_date": "Date of birth",
  "field.id_type": "ID type",
  "field.id_number": "ID number",
  "field.ethnicity": "Ethnicity",
  "field.education": "Education",
  "field.occupation": "Occupation",
  "field.department": "Department",
  "field.major": "Major",
  "field.class_name": "Class",
  "field.student_no": "Student number",
  "field.phone": "Phone",
  "field.email": "E-mail",
  "field.address": "Address",
  "field.postcode": "Postcode",
};

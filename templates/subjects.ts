// NCRE subjects (2026 syllabus) from shared/DOMAIN.md: reference data, loaded into the `subject` table by the seed.
export const NCRE_SUBJECTS: Array<{
  code: string;
  name: string;
  level: number;
  minutes: number;
  requires?: string;
  retired?: boolean;
}> = [
  { code: "14", name: "计算机基础及WPS Office应用", level: 1, minutes: 90 },
  { code: "15", name: "计算机基础及MS Office应用", level: 1, minutes: 90 },
  { code: "16", name: "计算机基础及Photoshop应用", level: 1, minutes: 90 },
  { code: "17", name: "网络安全素质教育", level: 1, minutes: 90 },
  { code: "18", name: "人工智能与大模型基础", level: 1, minutes: 90 },
  { code: "24", name: "C语言程序设计", level: 2, minutes: 120 },
  { code: "28", name: "Java语言程序设计", level: 2, minutes: 120 },
  { code: "29", name: "Access数据库程序设计", level: 2, minutes: 120 },
  { code: "61", name: "C++语言程序设计", level: 2, minutes: 120 },
  { code: "63", name: "MySQL数据库程序设计", level: 2, minutes: 120 },
  { code: "64", name: "Web程序设计", level: 2, minutes: 120 },
  { code: "65", name: "MS Office高级应用与设计", level: 2, minutes: 120 },
  { code: "66", name: "Python语言程序设计", level: 2, minutes: 120 },
  { code: "67", name: "WPS Office高级应用与设计", level: 2, minutes: 120 },
  { code: "68", name: "openGauss数据库程序设计", level: 2, minutes: 120 },
  { code: "35", name: "网络技术", level: 3, minutes: 120 },
  { code: "36", name: "数据库技术", level: 3, minutes: 120 },
  { code: "38", name: "信息安全技术", level: 3, minutes: 120 },
  { code: "39", name: "嵌入式系统开发技术", level: 3, minutes: 120 },
  { code: "71", name: "Linux应用与开发技术", level: 3, minutes: 120 },
  { code: "41", name: "网络工程师", level: 4, minutes: 90, requires: "35" },
  { code: "42", name: "数据库工程师", level: 4, minutes: 90, requires: "36" },
  { code: "44", name: "信息安全工程师", level: 4, minutes: 90, requires: "38" },
  { code: "45", name: "嵌入式系统开发工程师", level: 4, minutes: 90, requires: "39" },
  { code: "46", name: "Linux应用与开发工程师", level: 4, minutes: 90, requires: "71" },
  { code: "26", name: "Visual Basic语言程序设计", level: 2, minutes: 120, retired: true },
];

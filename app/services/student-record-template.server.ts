import ExcelJS from "exceljs";
import { CODE_TABLES } from "~templates/code-tables";
import {
  ELIGIBLE_SITES_COLUMN,
  STUDENT_RECORD_COLUMNS,
  STUDENT_RECORD_IMPORT_COLUMNS,
  STUDENT_RECORD_REQUIRED,
  STUDENT_RECORD_SHEET,
} from "~/domain/student-record";

export const CODE_COLUMNS: Partial<Record<(typeof STUDENT_RECORD_COLUMNS)[number], keyof typeof CODE_TABLES>> = {
  性别: "gender",
  证件类型: "idType",
  民族: "ethnicity",
  文化程度: "education",
  职业: "occupation",
  培训类型: "trainingType",
};
// Columns Excel must keep as text, or 18-digit IDs and leading zeros are lost.
export const TEXT_COLUMNS = new Set<string>(["证件号码", "联系电话", "学号", "邮政编码", ELIGIBLE_SITES_COLUMN]);

const SAMPLES: Array<Record<string, string>> = [
  {
    序号: "1",
    姓名: "张三",
    性别: "男",
    出生日期: "2005-03-08",
    证件类型: "居民身份证",
    证件号码: "110105200503080014",
    民族: "汉族",
    文化程度: "本科",
    职业: "学生",
    培训类型: "学校课程",
    学号: "2023010101",
    院系: "计算机学院",
    专业: "软件工程",
    班级: "软件2301",
    联系电话: "13800000001",
    电子邮箱: "zhangsan@example.com",
    通讯地址: "测试省第一地市学府路1号",
    邮政编码: "999001",
    备注: "",
    [ELIGIBLE_SITES_COLUMN]: "",
  },
  {
    序号: "2",
    姓名: "李四",
    性别: "2",
    出生日期: "2004/11/20",
    证件类型: "1",
    证件号码: "110105200411200023",
    民族: "01",
    文化程度: "30",
    职业: "S",
    培训类型: "1",
    学号: "",
    院系: "",
    专业: "",
    班级: "",
    联系电话: "",
    电子邮箱: "",
    通讯地址: "",
    邮政编码: "",
    备注: "代码或名称均可",
    [ELIGIBLE_SITES_COLUMN]: "990101,990102",
  },
];

/** SR-2: the template: data sheet with drop-downs and text columns, instructions, samples and code tables. */
export async function buildStudentRecordTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  const data = wb.addWorksheet(STUDENT_RECORD_SHEET);
  const help = wb.addWorksheet("填写说明");
  const sample = wb.addWorksheet("样例数据");
  const codes = wb.addWorksheet("码表");

  // Code tables, one pair of columns each, so the drop-downs can point at them.
  const tables = Object.entries(CODE_COLUMNS) as Array<[string, keyof typeof CODE_TABLES]>;
  const ranges: Record<string, string> = {};
  tables.forEach(([column, table], i) => {
    const col = i * 3 + 1;
    codes.getRow(1).getCell(col).value = `${column}代码`;
    codes.getRow(1).getCell(col + 1).value = `${column}名称`;
    CODE_TABLES[table].forEach((e, j) => {
      codes.getRow(j + 2).getCell(col).value = e.code;
      codes.getRow(j + 2).getCell(col + 1).value = e.name;
    });
    const letter = codes.getColumn(col + 1).letter;
    ranges[column] = `'码表'!$${letter}$2:$${letter}$${CODE_TABLES[table].length + 1}`;
  });
  codes.getRow(1).font = { bold: true };

  data.columns = STUDENT_RECORD_IMPORT_COLUMNS.map((h) => ({
    header: (STUDENT_RECORD_REQUIRED as readonly string[]).includes(h) ? `${h}*` : h,
    key: h,
    width: h === "证件号码" ? 22 : h === "通讯地址" ? 30 : h === "电子邮箱" || h === ELIGIBLE_SITES_COLUMN ? 24 : 12,
    style: TEXT_COLUMNS.has(h) ? { numFmt: "@" } : undefined,
  }));
  data.getRow(1).font = { bold: true };
  data.views = [{ state: "frozen", ySplit: 1 }];
  // exceljs has range validations at run time but not in its type definitions.
  const validations = (data as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } })
    .dataValidations;
  STUDENT_RECORD_COLUMNS.forEach((h, i) => {
    const letter = data.getColumn(i + 1).letter;
    const range = `${letter}2:${letter}5001`;
    if (ranges[h]) {
      validations.add(range, {
        type: "list",
        allowBlank: !STUDENT_RECORD_REQUIRED.includes(h),
        formulae: [ranges[h]],
        showErrorMessage: false,
      });
    }
    if (h === "出生日期") {
      validations.add(range, {
        type: "date",
        operator: "between",
        allowBlank: false,
        formulae: [new Date("1900-01-01"), new Date("2100-12-31")],
        showErrorMessage: false,
      });
    }
  });

  help.columns = [{ header: "填写说明", key: "t", width: 110 }];
  [
    `1. 只有“${STUDENT_RECORD_SHEET}”工作表会被导入；本页、“样例数据”和“码表”不会读取。`,
    "2. 第一行是列名，不要修改或删除；列的顺序可以调整，不需要的非必填列可以删除。带 * 的列必填。",
    "3. “序号”列方便计数，不导入，可以为空。",
    "4. 性别、证件类型、民族、文化程度、职业、培训类型可以填写代码或名称（见“码表”），也可以从下拉框中选择。",
    "5. 证件号码、联系电话、学号、邮政编码列已设为文本格式；从其他表格粘贴时请使用“选择性粘贴—数值”，以免 18 位证件号码被 Excel 改成科学计数法而丢失末尾数字。",
    "6. 出生日期可以是 Excel 日期，或写成 2005-03-08、2005/3/8、20050308、2005年3月8日。",
    "7. 居民身份证号码会校验校验位，并与出生日期、性别核对；全角字符、空格和小写 x 会自动转换。",
    "8. 导入要么全部成功，要么全部不导入：有任何错误时会列出每一行每一列的错误，改正后重新导入即可。",
    "9. 同一证件号码已在本考点学籍库中时，须勾选“覆盖”才会更新；在其他考点时会转到本考点，但文化程度低的不能覆盖文化程度高的。",
    `10. “${ELIGIBLE_SITES_COLUMN}”决定该学籍考生可以在本省哪些考点报名：留空为只能在本考点报名；填“全省”为本省任一考点；或填 6 位考点代码，多个用逗号分隔（本考点总是可以）。外省考点不受此限制。`,
  ].forEach((line) => help.addRow({ t: line }));
  help.getRow(1).font = { bold: true };

  sample.columns = STUDENT_RECORD_IMPORT_COLUMNS.map((h) => ({
    header: h,
    key: h,
    width: 14,
    style: TEXT_COLUMNS.has(h) ? { numFmt: "@" } : undefined,
  }));
  SAMPLES.forEach((r) => sample.addRow(r));
  sample.getRow(1).font = { bold: true };

  return Buffer.from(await wb.xlsx.writeBuffer());
}

import ExcelJS from "exceljs";
import { CODE_TABLES } from "~templates/code-tables";
import { GROUP_COLUMNS, GROUP_REQUIRED, GROUP_SHEET, SUBJECTS_COLUMN } from "~/domain/group-registration";
import { idCheckCharacter } from "~/domain/id-number";
import { CODE_COLUMNS, TEXT_COLUMNS } from "./student-record-template.server";

export interface GroupTemplateSite {
  /** The site's offered subjects (capacity above 0 and a fee set), in code order. */
  offered: ReadonlyArray<{ code: string; name: string }>;
  maxEntries: number;
  /** SET-8: when the site gives class options, the samples use one so that they import cleanly. */
  classOptions: readonly string[];
}

// The hint in brackets is dropped when headers are matched (app/imports/read-rows.server.ts).
const HEADER_HINTS: Record<string, string> = {
  电子邮箱: "（考生登录账号）",
};

const residentId = (first17: string) => first17 + idCheckCharacter(first17);

/** Rows that import cleanly at the site the template was made for (GRP-1): names in one, codes in the other. */
function samples(site: GroupTemplateSite): Array<Record<string, string>> {
  const codes = site.offered.map((s) => s.code);
  const className = site.classOptions[0] ?? "软件2301";
  return [
    {
      序号: "1",
      姓名: "王芳",
      性别: "女",
      出生日期: "2004-09-15",
      证件类型: "居民身份证",
      证件号码: residentId("11010820040915002"),
      民族: "汉族",
      文化程度: "本科",
      职业: "学生",
      学号: "2023010102",
      院系: "计算机学院",
      专业: "软件工程",
      班级: className,
      联系电话: "13800000002",
      电子邮箱: "wangfang@example.com",
      通讯地址: "测试省第一地市学府路1号",
      邮政编码: "999001",
      报考科目: codes.slice(0, Math.min(2, site.maxEntries)).join("；"),
      备注: "",
    },
    {
      序号: "2",
      姓名: "刘洋",
      性别: "1",
      出生日期: "2003/12/1",
      证件类型: "1",
      证件号码: residentId("11010820031201003"),
      民族: "01",
      文化程度: "20",
      职业: "S",
      学号: "",
      院系: "",
      专业: "",
      班级: className,
      联系电话: "",
      电子邮箱: "liuyang@example.com",
      通讯地址: "",
      邮政编码: "",
      报考科目: codes.slice(0, 1).join("；"),
      备注: "代码或名称均可",
    },
  ];
}

/**
 * GRP-1 (manual §二十二 2–3): the group-registration template of one site: the data sheet (codes as
 * drop-downs, IDs and phones as text), instructions, samples that import cleanly and code tables,
 * the site's offered subjects among them. Built per site, since the subjects differ.
 */
export async function buildGroupRegistrationTemplate(site: GroupTemplateSite): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  const data = wb.addWorksheet(GROUP_SHEET);
  const help = wb.addWorksheet("填写说明");
  const sample = wb.addWorksheet("样例数据");
  const codes = wb.addWorksheet("码表");
  const textColumns = new Set([...TEXT_COLUMNS, SUBJECTS_COLUMN]);

  // Code tables, one pair of columns each, so the drop-downs can point at them; the subjects last.
  const tables = (Object.entries(CODE_COLUMNS) as Array<[string, keyof typeof CODE_TABLES]>).filter(([column]) =>
    GROUP_COLUMNS.includes(column),
  );
  const ranges: Record<string, string> = {};
  const pairs: Array<[string, ReadonlyArray<{ code: string; name: string }>]> = [
    ...tables.map(
      ([column, table]) => [column, CODE_TABLES[table]] as [string, ReadonlyArray<{ code: string; name: string }>],
    ),
    [SUBJECTS_COLUMN, site.offered],
  ];
  pairs.forEach(([column, entries], i) => {
    const col = i * 3 + 1;
    codes.getRow(1).getCell(col).value = `${column}代码`;
    codes.getRow(1).getCell(col + 1).value = `${column}名称`;
    entries.forEach((e, j) => {
      codes.getRow(j + 2).getCell(col).value = e.code;
      codes.getRow(j + 2).getCell(col + 1).value = e.name;
    });
    const letter = codes.getColumn(col + 1).letter;
    if (column !== SUBJECTS_COLUMN) ranges[column] = `'码表'!$${letter}$2:$${letter}$${entries.length + 1}`;
    codes.getColumn(col + 1).width = column === SUBJECTS_COLUMN ? 36 : 14;
  });
  codes.getRow(1).font = { bold: true };

  data.columns = GROUP_COLUMNS.map((h) => ({
    header: `${h}${GROUP_REQUIRED.includes(h) ? "*" : ""}${HEADER_HINTS[h] ?? ""}`,
    key: h,
    width: h === "证件号码" ? 22 : h === "通讯地址" ? 30 : h === "电子邮箱" ? 28 : h === SUBJECTS_COLUMN ? 16 : 12,
    style: textColumns.has(h) ? { numFmt: "@" } : undefined,
  }));
  data.getRow(1).font = { bold: true };
  data.getRow(1).getCell(GROUP_COLUMNS.indexOf("电子邮箱") + 1).font = { bold: true, color: { argb: "FFC00000" } };
  data.views = [{ state: "frozen", ySplit: 1 }];
  // exceljs has range validations at run time but not in its type definitions.
  const validations = (data as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } })
    .dataValidations;
  GROUP_COLUMNS.forEach((h, i) => {
    const letter = data.getColumn(i + 1).letter;
    const range = `${letter}2:${letter}5001`;
    if (ranges[h])
      validations.add(range, {
        type: "list",
        allowBlank: !GROUP_REQUIRED.includes(h),
        formulae: [ranges[h]],
        showErrorMessage: false,
      });
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

  help.columns = [{ header: "填写说明", key: "t", width: 120 }];
  const offered = site.offered.map((s) => `${s.code} ${s.name}`).join("；") || "（本考点尚未设置开考科目）";
  [
    `1. 只有“${GROUP_SHEET}”工作表会被导入；本页、“样例数据”和“码表”不会读取。请参照“样例数据”填写。`,
    "2. 第一行是列名，不要修改或删除；列的顺序可以调整，不需要的非必填列可以删除。带 * 的列必填。",
    "3. “序号”列方便计数，不导入，可以为空。",
    "4. 性别、证件类型、民族、文化程度、职业可以填写代码或名称（见“码表”），也可以从下拉框中选择。",
    "5. 证件号码、联系电话、报考科目等列已设为文本格式；从其他表格粘贴时请使用“选择性粘贴—数值”，以免 18 位证件号码被 Excel 改成科学计数法而丢失末尾数字。",
    "6. 居民身份证号码会校验校验位，并与出生日期、性别核对；全角字符、空格和小写 x 会自动转换。",
    `7. 报考科目填写科目代码，多个科目用“；”“,”“、”或空格分隔，每人最多 ${site.maxEntries} 科，可以为空（只报名不报考）。本考点开考科目：${offered}。`,
    "8. 电子邮箱必填，是考生登录报名系统的账号：此前未注册的，导入成功后创建账号并生成一次性密码（在导入页面下载账号清单，只能下载一次），考生首次登录须修改密码；已注册的沿用原密码。考生只能查看报名信息、缴费和打印准考证。",
    "9. 证件号码是考生的唯一标识。本考点已有的集体报名考生须勾选“覆盖”才会更新；已锁定的须先在《考生管理》中解除锁定；已缴费的科目不能删除；证件号码不能修改。已在其他考点报名或个人网上报名的考生不能集体报名。",
    "10. 导入要么全部成功，要么全部不导入：有任何错误时会列出每一行每一列的错误，改正后重新导入即可。",
    "11. 填好后把本文件压缩成 .zip 压缩包再上传（不能是 .rar 或 .7z，也不能直接上传 .xlsx）；压缩包中只能有这一个 Excel 文件。",
  ].forEach((line) => help.addRow({ t: line }));
  help.getRow(1).font = { bold: true };

  sample.columns = GROUP_COLUMNS.map((h) => ({
    header: h,
    key: h,
    width: h === "证件号码" || h === "电子邮箱" ? 24 : 14,
    style: textColumns.has(h) ? { numFmt: "@" } : undefined,
  }));
  samples(site).forEach((r) => sample.addRow(r));
  sample.getRow(1).font = { bold: true };

  return Buffer.from(await wb.xlsx.writeBuffer());
}

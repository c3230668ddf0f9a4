import ExcelJS from "exceljs";
import { ROOM_COLUMNS, ROOM_REQUIRED, ROOM_SHEET } from "~/domain/rooms";

/** ROOM-1: the rooms template: the data sheet (room numbers as text), instructions and a sample. */
export async function buildRoomTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Kaowu";
  const data = wb.addWorksheet(ROOM_SHEET);
  const help = wb.addWorksheet("填写说明");
  data.columns = ROOM_COLUMNS.map((h) => ({
    header: ROOM_REQUIRED.includes(h) ? `${h}*` : h,
    key: h,
    width: h === "考场位置" ? 30 : 12,
    // "07" must stay "07", not become the number 7.
    style: h === "考场号" ? { numFmt: "@" } : undefined,
  }));
  data.getRow(1).font = { bold: true };
  data.views = [{ state: "frozen", ySplit: 1 }];
  help.columns = [{ header: "填写说明", key: "t", width: 100 }];
  [
    `1. 只有“${ROOM_SHEET}”工作表会被导入，每行一个考场。`,
    "2. 考场号：01 至 99 的两位数字（写 7 也会读作 07），在本考点本考次内不能重复。",
    "3. 考场位置：例如“实验楼 301”，最多 100 个字，可以为空。",
    "4. 座位数：1 至 999 的整数；批次的容量不能超过它。",
    "5. 每排座位数：可以为空；考场座次表按它把座位排成行（1 号座位在第一排最左边），为空时按座位数取默认值。",
    "6. 考场号已存在时，勾选“覆盖”才会更新它的位置、座位数和每排座位数。",
    "7. 导入要么全部成功，要么全部不导入：有任何错误时会列出每一行每一列的错误。",
    "8. 导入考场后，在《考场管理》页面用“批量生成批次”一次生成所有批次。",
  ].forEach((line) => help.addRow({ t: line }));
  help.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// "cbt.*" messages in English.
import type { cbtZhCN } from "../zh-CN/cbt";

export const cbtEn: Record<keyof typeof cbtZhCN, string> = {
  "cbt.title": "CBT data",
  "cbt.hint":
    'Once allocation is done and admission numbers exist, generate the site\'s CBT data inside the pre-exam downloads window: "<site code>.DBF" in a zip, one record per admission number, GBK-encoded, which the CBT system, FoxPro or dbfread open as it is; in LibreOffice, choose "Chinese simplified (GBK)" as the character set in its import dialog.',
  "cbt.file": "cbt-data",
  "cbt.records": "{count, plural, one {# record} other {# records}}.",
  "cbt.non_gbk":
    '{count, plural, one {# character} other {# characters}} ({chars}) cannot be held in GBK and would be written as "?", so nothing was generated. Check the candidates\' names listed below, then generate again.',
  "cbt.non_gbk_title": "Characters GBK cannot hold",
  "cbt.non_gbk_hint":
    "Most are rare characters. Check how the identity document writes them; to use a common form instead, change it in the candidate's details and tell the candidate.",
};

// "mailing.*" messages in Simplified Chinese (SCO-2: 证书直邮信息导入).
export const mailingZhCN = {
  "mailing.title": "证书直邮信息导入",
  "mailing.download_template": "下载证书直邮文件列名示例（.csv）",
  "mailing.import_hint":
    "上传证书直邮信息文件（.csv，UTF-8 或 GB18030/GBK 编码）。列可以用代码（ZKZH、ZSBH、SJR、LXDH、YJDZ、YZBM、KDGS、YJDH、JCRQ、YJZT）或中文列名（准考证号、证书编号、收件人、联系电话、邮寄地址、邮政编码、快递公司、邮件单号、寄出日期、邮寄状态）。只有已导入成绩且及格的考生才有证书。要么全部导入，要么全部不导入。",
  "mailing.file": "证书直邮文件（.csv）",
  "mailing.import_submit": "校验并导入",
  "mailing.import_ok": "已导入 {imported} 条证书直邮信息。",
  "mailing.import_failed": "证书直邮信息没有导入",
  "mailing.download_report": "下载错误报告",
  "mailing.last_import": "最近一次导入（{at}）",
  "mailing.report_name": "证书直邮导入错误报告",
  "mailing.csv_only": "证书直邮文件须为 .csv 格式。",
  "mailing.too_long": "最多 {max} 个字。",
  "mailing.phone_format": "联系电话不是有效的手机或固定电话号码。",
  "mailing.postcode_format": "邮政编码应为 6 位数字。",
  "mailing.not_passed": "这名考生这个科目没有及格的成绩，没有证书可寄。",
  "mailing.certificate_mismatch": "证书编号与成绩文件中的证书编号（{no}）不一致。",
  "mailing.mine": "证书已寄出：{courier} {tracking}",
  "mailing.mine_date": "（{date}）",
};

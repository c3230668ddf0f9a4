import type { mailingZhCN } from "../zh-CN/mailing";

// "mailing.*" messages in English (SCO-2).
export const mailingEn: Record<keyof typeof mailingZhCN, string> = {
  "mailing.title": "Import certificate mailing",
  "mailing.download_template": "Download the certificate mailing file's column names (.csv)",
  "mailing.import_hint":
    "Upload the certificate mailing file (.csv, UTF-8 or GB18030/GBK). Columns by code (ZKZH, ZSBH, SJR, LXDH, YJDZ, YZBM, KDGS, YJDH, JCRQ, YJZT) or by name (admission number, certificate number, recipient, phone, address, postcode, courier, tracking number, mailed on, status). Only candidates whose imported score passed have a certificate. Either every row is imported or none.",
  "mailing.file": "Certificate mailing file (.csv)",
  "mailing.import_submit": "Check and import",
  "mailing.import_ok": "Imported {imported, plural, one {# mailing} other {# mailings}}.",
  "mailing.import_failed": "The certificate mailing was not imported",
  "mailing.download_report": "Download the error report",
  "mailing.last_import": "Last import ({at})",
  "mailing.report_name": "Certificate mailing import error report",
  "mailing.csv_only": "The certificate mailing file must be a .csv.",
  "mailing.too_long": "At most {max} characters.",
  "mailing.phone_format": "Not a valid mobile or landline number.",
  "mailing.postcode_format": "A postcode has 6 digits.",
  "mailing.not_passed": "This candidate has no passing score in this subject: there is no certificate to send.",
  "mailing.certificate_mismatch": "The certificate number differs from the score file's ({no}).",
  "mailing.mine": "Certificate sent: {courier} {tracking}",
  "mailing.mine_date": " ({date})",
};

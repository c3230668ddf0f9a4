// "group.*" messages in English.
import type { groupZhCN } from "../zh-CN/group";

export const groupEn: Record<keyof typeof groupZhCN, string> = {
  "group.taken_over":
    "Row {row}: the e-mail {email} was held by an unproven account, now taken over for the site: its password is replaced by the sheet's one-time password, its sessions are ended and its other registrations detached.",
  "group.accounts_taken_over": "Unproven accounts taken over for the site: {count} (listed below).",
  "group.cred.own_password": "Existing account, own password",
  "group.cred.taken_over": "(unproven account taken over for the site)",
  "group.cred.col.expires": "One-time password valid until",
  "group.zip_old_xls": "“{name}” in the zip is an old .xls file: save it as .xlsx in Excel, zip it and upload again.",
  "group.import_title": "Import group registrations",
  "group.download_template": "Download the group template",
  "group.import_hint":
    "Fill the template's “集体报名信息” sheet, put the .xlsx into a .zip and upload that (not a .rar, not the bare .xlsx). Either every row is imported or none is, with every error listed by row and column.",
  "group.file": "File (.zip holding one .xlsx)",
  "group.overwrite": "Overwrite this site's group registrations with the same ID number",
  "group.import_submit": "Check and import",
  "group.last_import": "Last import ({at})",
  "group.import_ok":
    "Imported {rows, plural, one {# candidate} other {# candidates}}: {created} new, {updated} updated; {added, plural, one {# entry} other {# entries}} added, {removed} unpaid entries removed.",
  "group.accounts_ok": "Candidate accounts: {created} created (one-time passwords), {bound} existing ones bound.",
  "group.import_failed":
    "{count, plural, one {# error} other {# errors}}: nothing was imported. Fix them and import again.",
  "group.errors_shown": "Showing the first {shown} of {total}; download the error report for all of them.",
  "group.download_report": "Download the error report",
  "group.disabled_banner":
    "Group registration is not enabled for this site, so nothing can be imported. Enable it under {group} → {page}.",
  "group.credentials_link": "Download the new candidate accounts ({count, plural, one {# account} other {# accounts}})",
  "group.credentials_once":
    "Available once: the sheet holds one-time passwords and is deleted from the system once downloaded. Keep it safe and hand the passwords to the candidates.",
  "group.credentials_earlier": "Account sheets of earlier imports, not downloaded yet:",
  "group.credentials_done": "The accounts sheet was downloaded on {at} by {by}.",
  "group.credentials_pending": "The accounts sheet is being generated; refresh the page shortly.",
  "group.credentials_not_found":
    "This accounts sheet does not exist, or you may not download it (only an administrator of its site may).",
  "group.credentials_not_ready": "The accounts sheet is not ready yet; try again shortly.",
  "group.credentials_downloaded":
    "This accounts sheet was already downloaded on {at} by {by} and cannot be downloaded again. Reset a candidate's password under Candidate management if it was lost.",
  "group.disabled": "Group registration is not enabled for this site, so group registrations cannot be imported.",
  "group.site_closed": "This site does not hold the exam this sitting, so group registrations cannot be imported.",
  "group.zip_required": "Put the filled .xlsx into a .zip file and upload that (a bare .xlsx is not accepted).",
  "group.archive_refused": "{format} archives are not accepted: put the .xlsx into a .zip file and upload that.",
  "group.not_zip":
    "“{name}” is not a .zip file (judged by its content, not its name). Put the .xlsx into a .zip file and upload that.",
  "group.zip_nested": "The .zip must not contain another archive: {name}. Zip only the .xlsx file.",
  "group.zip_no_xlsx": "The .zip holds no .xlsx file (found: {found}). Save the filled template as .xlsx and zip it.",
  "group.zip_many_xlsx": "The .zip may hold only one .xlsx file (found: {found}).",
  "group.zip_many_files":
    "The .zip holds more than {max, plural, one {# file} other {# files}}; zip only the filled .xlsx.",
  "group.conflict_retry":
    "Someone registered the same ID number or e-mail while the import ran; nothing was imported. Import again.",
  "group.subject_twice": "Subject {code} is listed twice.",
  "group.subject_not_offered": "Subject {code} is not offered by this site (see the subjects in the code tables).",
  "group.too_many_subjects":
    "This site allows at most {max, plural, one {# subject} other {# subjects}} per candidate; {count} are listed.",
  "group.duplicate_email": "Same e-mail as row {first}; each candidate needs an e-mail of their own.",
  "group.other_site":
    "This ID number is already registered at another site, {site}, and cannot be group-registered here.",
  "group.online_registration":
    "This candidate registered online: a group import can neither overwrite their registration nor add entries to it.",
  "group.exists": "This site already has a group registration with this ID number; tick “overwrite” to update it.",
  "group.locked":
    "This candidate's registration is locked: unlock it under Candidate management first, then import again.",
  "group.entry_paid": "Subject {code} is paid and cannot be removed from the entries.",
  "group.entry_in_payment_batch": "Subject {code} is in a group payment batch and cannot be removed from the entries.",
  "group.entry_paying": "Subject {code} is being paid and cannot be removed from the entries.",
  "group.email_admin": "This e-mail belongs to an administrator account and cannot be a candidate's account.",
  "group.email_bound": "This e-mail's account is already bound to another candidate of this sitting (ID number {id}).",
  "group.total_capacity_not_set": "The site's total capacity is not set, so no entries can be taken.",
  "group.total_capacity_short":
    "The site's total capacity is short: capacity {capacity}, {missing} more places needed.",
  "group.subject_capacity_short":
    "Subject {code} {name} is short of places: capacity {capacity}, {missing} more needed.",
  "group.progress_checking": "All rows valid; checking existing registrations and accounts",
  "group.progress_accounts": "Creating candidate accounts: {done}/{total}",
  "group.report_name": "group-import-errors",
  "group.cred.file_name": "group-candidate-accounts",
  "group.cred.sheet": "Accounts",
  "group.cred.col.row": "Row",
  "group.cred.col.name": "Name",
  "group.cred.col.login": "Login (e-mail)",
  "group.cred.col.id_last4": "ID number, last 4",
  "group.cred.col.password": "One-time password",
  "group.cred.note_sheet": "Notes",
  "group.cred.note":
    "Candidates log in with the e-mail and the one-time password and must set a new password at first login (at least 8 characters, not a common password, without the e-mail name or their name). A one-time password is valid for 14 days; after that the site issues a new one under Candidate management. Candidates marked “existing account” log in with their own password. Group-registered candidates can view their registration, pay and print their admission card only. This sheet can be downloaded once; keep it safe.",
};

// "upload.*" messages in English.
import type { uploadZhCN } from "../zh-CN/upload";

export const uploadEn: Record<keyof typeof uploadZhCN, string> = {
  "upload.utf16":
    "“{name}” is a UTF-16 (Unicode text) file: save it in Excel as “CSV UTF-8 (comma delimited)” or as .xlsx and upload again.",
  "upload.empty": "“{name}” is an empty file (0 bytes): check it and choose the file again.",
  "upload.too_large": "The file exceeds the {max} limit and was refused.",
  "upload.broken": "The upload was incomplete; please upload again.",
  "upload.missing": "Choose a file to upload.",
  "upload.wrong_type": "“{name}” is not an Excel (.xlsx) or CSV file (judged by its content, not its name).",
  "upload.old_xls": "This is an old Excel (.xls) file; save it as .xlsx in Excel and upload again.",
  "upload.zip_broken": "The compressed file is damaged and cannot be read.",
  "upload.zip_path": "The compressed file contains an unsafe path: {name}",
  "upload.zip_entries": "The compressed file holds more than {max, plural, one {# file} other {# files}}.",
  "upload.zip_bomb": "The compressed file expands too much (a suspected zip bomb) and was refused.",
  "upload.zip_bomb_entry":
    "{name} in the compressed file expands too much (a suspected zip bomb); the file was refused.",
};

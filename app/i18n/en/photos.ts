// "photos.*" messages in English.
import type { photosZhCN } from "../zh-CN/photos";

export const photosEn: Record<keyof typeof photosZhCN, string> = {
  "photos.import_title": "Import candidate photos",
  "photos.check_title": "Candidate photo check",
  "photos.import_hint_1":
    "Name each photo after the candidate's ID number, e.g. 110101200503080011.jpg, exactly as in the registration; the extension is .jpg or .jpeg (any case). Full-width characters (brackets too), spaces around the name and a lower-case x are normalised.",
  "photos.import_hint_2":
    "Requirements: JPEG (judged by content; renaming does not help), width:height 3:4, at least {minWidth}×{minHeight} pixels, file size {minSize}–{maxSize}. Standard colour JPEGs are stored as they are, without re-compression; only hidden data (EXIF such as camera and location) is removed. CMYK, grayscale or progressive JPEGs and very large ones are converted to a standard 360×480 colour JPEG so that every card prints them.",
  "photos.import_hint_3":
    "Pack the photos into a .zip file (not RAR or 7z); sub-folders are fine. The correct photos are imported and every other file is reported with its reason; the candidate's registration must already exist at this site in this sitting.",
  "photos.file": "Photo archive (.zip)",
  "photos.overwrite": "Overwrite existing photos (locked registrations must be unlocked first)",
  "photos.id_check": "Check that the photos are ID photos (plain light background)",
  "photos.import_submit": "Check and import",
  "photos.use_zip":
    "“{name}” is a {found} archive. Pack the photos into a .zip file and upload again (RAR and 7z are not accepted).",
  "photos.not_zip":
    "“{name}” is not a .zip file (judged by its content, not its name). Pack the photos into a .zip file and upload it.",
  "photos.no_files": "The archive holds no photo files.",
  "photos.progress_listing": "Reading the archive's directory",
  "photos.progress_checking": "{done} of {total, plural, one {# file} other {# files}} checked",
  "photos.progress_writing": "Saving {count, plural, one {# photo} other {# photos}}",
  "photos.last_import": "Last import ({at})",
  "photos.import_result":
    "{files, plural, one {# file} other {# files}}: {imported, plural, one {# photo} other {# photos}} imported ({replaced} of them replaced), {failed, plural, one {# file} other {# files}} not imported.",
  "photos.import_all_ok": "All photos were imported.",
  "photos.failed_by_reason": "Why files were not imported",
  "photos.errors_title": "Import errors",
  "photos.errors_more": "The page shows the first {shown} of {total}; download the report for the whole list.",
  "photos.download_report": "Download the report",
  "photos.report_name": "photo-import-errors",
  "photos.col.file": "File",
  "photos.col.id_number": "ID number",
  "photos.col.reason": "Problem",
  "photos.col.uploaded_at": "Uploaded",
  "photos.col.count": "Files",
  "photos.reason.bad_name": "The file is not named “<ID number>.jpg”, so it is not known whose photo it is.",
  "photos.reason.archive":
    "This is a {found} archive. An archive cannot hold another archive: unpack it and put the photos in the .zip directly.",
  "photos.reason.duplicate":
    "There is more than one file for this ID number (the other is “{other}”), so neither was imported. Keep only one.",
  "photos.reason.no_registration":
    "No registration with this ID number at this site in this sitting. Check the file name (full-width characters, spaces) or register the candidate first.",
  "photos.reason.empty": "The file is empty (0 bytes).",
  "photos.reason.not_image": "This file is not a picture.",
  "photos.reason.not_jpeg": "This is a {found} picture, not a JPEG. Save it as JPEG; renaming the file is not enough.",
  "photos.reason.broken": "The photo cannot be read; the file may be damaged or incomplete.",
  "photos.reason.rotated":
    "The photo carries a rotation tag (EXIF orientation) and would print sideways. Rotate it upright and save it again.",
  "photos.reason.too_small": "The photo is only {width}×{height} pixels; at least {minWidth}×{minHeight} are needed.",
  "photos.reason.too_many_pixels": "The photo has about {megapixels} megapixels, above the {max}-megapixel limit.",
  "photos.reason.aspect":
    "The photo is {width}×{height} pixels, which is not 3:4 (width:height, ±2 %). Crop it to 3:4.",
  "photos.reason.too_large_file": "The photo file is {size}, above the {max} limit. Compress it and import it again.",
  "photos.reason.too_small_file":
    "The photo file is only {size}, under {min}; it is usually over-compressed or blurred.",
  "photos.reason.background_dark":
    "Not an ID photo: the background is too dark or too deep a colour; it must be plain and light.",
  "photos.reason.background_busy":
    "Not an ID photo: the background is not plain (objects, patterns or uneven light), or there is no background above the head.",
  "photos.reason.background_colour":
    "Not an ID photo: the background colour is too strong; it must be white, light grey or light blue.",
  "photos.reason.exists": "This candidate already has a photo. To replace it, tick “Overwrite existing photos”.",
  "photos.reason.locked":
    "This candidate's registration is locked, so the photo cannot be overwritten. Unlock it in candidate management first.",
  "photos.short.bad_name": "Name is not an ID number",
  "photos.short.archive": "Archive inside the archive",
  "photos.short.duplicate": "Duplicate ID number",
  "photos.short.no_registration": "No registration",
  "photos.short.empty": "Empty file",
  "photos.short.not_image": "Not a picture",
  "photos.short.not_jpeg": "Not a JPEG",
  "photos.short.broken": "Damaged file",
  "photos.short.rotated": "Rotation tag",
  "photos.short.too_small": "Too few pixels",
  "photos.short.too_many_pixels": "Too many pixels",
  "photos.short.aspect": "Not 3:4",
  "photos.short.too_large_file": "File too large",
  "photos.short.too_small_file": "File too small",
  "photos.short.background_dark": "Background too dark",
  "photos.short.background_busy": "Background not plain",
  "photos.short.background_colour": "Background colour too strong",
  "photos.short.exists": "Photo exists (overwrite not ticked)",
  "photos.short.locked": "Registration locked",
  "photos.check_hint":
    "The photo check is not limited by the registration-management window. Group candidates deleted and imported again, candidates overwritten by a group import, and online candidates who registered again after their unpaid registration was deleted lose the link to their photo; the check links them to the photo uploaded earlier, so nothing needs uploading again. Paid candidates' photo flags are never changed.",
  "photos.check_submit": "Check photos",
  "photos.last_check": "Last check ({at})",
  "photos.check_result":
    "Checked {registrations, plural, one {# registration} other {# registrations}} and {photos, plural, one {# photo} other {# photos}}: {relinked} re-linked; {skipped} paid left unchanged; {unmatched} unmatched photos.",
  "photos.skipped_title": "Paid candidates whose photo flag was left unchanged",
  "photos.unmatched_title": "Unmatched photos",
  "photos.unmatched_none": "No unmatched photos.",
  "photos.unmatched_more": "The page shows the first {shown} of {total}.",
  "photos.delete_unmatched": "Delete unmatched photos ({count})",
  "photos.delete_confirm": "Delete these {count} unmatched photos? This cannot be undone.",
  "photos.deleted": "{count} unmatched photos deleted.",
  "photos.deleted_mark": "deleted",
  "photos.no_check": "Run the photo check first.",
};

// "photo_page.*" messages in English.
import type { photoPageZhCN } from "../zh-CN/photo_page";

export const photoPageEn: Record<keyof typeof photoPageZhCN, string> = {
  "photo_page.title": "Upload your photo",
  "photo_page.rules":
    "A recent front-facing ID photo without a hat: JPEG, plain white or light-blue background, face clearly visible. Drag and zoom to crop it to 3:4; it is then compressed to a compliant photo for you.",
  "photo_page.upload": "Upload photo",
  "photo_page.saved": "Photo saved.",
  "photo_page.registration_saved": "Details saved. Next: upload your photo.",
  "photo_page.review_failed": "Your photo did not pass review: upload a compliant one, then submit for review again.",
  "photo_page.current": "Current photo",
};

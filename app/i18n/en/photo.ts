// "photo.*" messages in English.
import type { photoZhCN } from "../zh-CN/photo";

export const photoEn: Record<keyof typeof photoZhCN, string> = {
  "photo.label": "ID photo",
  "photo.requirements":
    "Upload a recent colour ID photo, facing the camera, without a hat: JPEG (.jpg), at most {maxSize}, in front of a plain white or light-blue background. Once chosen, you can drag and zoom to crop it to 3:4 (width:height).",
  "photo.current": "Current photo",
  "photo.checking": "Checking the photo…",
  "photo.crop_hint":
    "Drag the photo to move it and use the slider below to zoom, so that everything from the top of the head to the shoulders is inside the frame.",
  "photo.crop_alt": "Photo to crop",
  "photo.zoom": "Zoom",
  "photo.problems_title": "This photo does not meet the requirements:",
  "photo.ok": "The photo passed the checks. When you submit, it is saved as a {width}×{height} pixel JPEG.",
  "photo.empty": "The file is empty (0 bytes). Choose the photo again.",
  "photo.not_image": "This file is not a picture. Choose a photo in JPEG (.jpg) format.",
  "photo.not_jpeg":
    "This is a {found} picture, but only JPEG (.jpg) is accepted. Save (or export) the photo as JPEG and upload it again; renaming the file is not enough.",
  "photo.too_large_file":
    "The photo file is {size}, above the {max} limit. Compress or shrink the photo and upload it again.",
  "photo.too_small_file":
    "The photo file is only {size}, under {min}; it is usually over-compressed or blurred. Upload a sharper photo.",
  "photo.too_small":
    "The photo (or the cropped area) is only {width}×{height} pixels; at least {minWidth}×{minHeight} are needed. Upload a sharper photo, or make the crop frame larger.",
  "photo.too_many_pixels":
    "The photo has about {megapixels} megapixels, above the {max}-megapixel limit. Shrink the photo and upload it again.",
  "photo.aspect": "The cropped area is {width}×{height} pixels, which is not 3:4 (width:height). Crop it again.",
  "photo.crop_outside":
    "The cropped area goes beyond the photo (which is {width}×{height} pixels). Adjust the crop frame again.",
  "photo.broken":
    "This photo cannot be read; the file may be damaged or incompletely uploaded. Choose the photo and upload it again.",
  "photo.background_dark":
    "The background is too dark or too deep a colour. Take the photo again in good light in front of a plain white or light-blue background.",
  "photo.background_busy":
    "The background is not plain (objects, patterns, noise or uneven light), or there is no background above the head. Take the photo again in front of a plain white or light-blue wall or backdrop, and leave a little space above the head when cropping.",
  "photo.background_colour":
    "The background colour is too strong. Take the photo again in front of a plain white, light-grey or light-blue background.",
  "photo.too_plain":
    "The photo has almost no detail (blank, badly blurred or over-compressed). Upload a sharp photo of your face, without a hat.",
};

// "photo.*" messages in Simplified Chinese.
export const photoZhCN = {
  "photo.label": "证件照片",
  "photo.requirements":
    "请上传近期正面免冠彩色证件照：JPEG（.jpg）格式，文件不超过 {maxSize}，白色或浅蓝色纯色背景。选好后可以拖动和缩放，裁剪为 3:4（宽:高）。",
  "photo.current": "当前照片",
  "photo.checking": "正在检查照片……",
  "photo.crop_hint": "拖动照片调整位置，用下方滑块缩放，让头顶到肩膀都在框内。",
  "photo.crop_alt": "待裁剪的照片",
  "photo.zoom": "缩放",
  "photo.problems_title": "这张照片不符合要求：",
  "photo.ok": "照片检查通过。提交后将保存为 {width}×{height} 像素的 JPEG 照片。",
  "photo.empty": "文件是空的（0 字节），请重新选择照片。",
  "photo.not_image": "这个文件不是图片。请选择 JPEG（.jpg）格式的照片。",
  "photo.not_jpeg":
    "这是 {found} 格式的图片，系统只接受 JPEG（.jpg）格式。请把照片另存为（或导出为）JPEG 后重新上传；只改文件扩展名是不行的。",
  "photo.too_large_file": "照片文件大小为 {size}，超过了 {max} 的上限。请压缩或缩小照片后重新上传。",
  "photo.too_small_file": "照片文件只有 {size}，小于 {min}，通常是照片被过度压缩或太模糊。请上传更清晰的照片。",
  "photo.too_small":
    "照片（或裁剪区域）只有 {width}×{height} 像素，至少需要 {minWidth}×{minHeight} 像素。请上传更清晰的照片，或把裁剪框放大一些。",
  "photo.too_many_pixels": "照片约有 {megapixels} 百万像素，超过了 {max} 百万像素的上限。请缩小照片后重新上传。",
  "photo.aspect": "裁剪区域为 {width}×{height} 像素，不是 3:4（宽:高）的比例。请重新裁剪。",
  "photo.crop_outside": "裁剪区域超出了照片范围（照片为 {width}×{height} 像素）。请重新调整裁剪框。",
  "photo.broken": "这张照片无法读取，文件可能已损坏或没有上传完整。请重新选择照片上传。",
  "photo.background_dark": "照片背景太暗或颜色太深。请在白色或浅蓝色的纯色背景前、光线充足的地方重新拍摄。",
  "photo.background_busy":
    "照片背景不是纯色（有杂物、图案、噪点或明显的明暗不均），或头顶上方没有留出背景。请站在白色或浅蓝色的纯色墙面或幕布前重新拍摄，裁剪时在头顶上方留一点空白。",
  "photo.background_colour": "照片背景颜色太鲜艳。请在白色、浅灰色或浅蓝色的纯色背景前重新拍摄。",
  "photo.too_plain": "照片几乎没有细节（可能是空白、严重模糊或过度压缩）。请上传清晰的正面免冠照片。",
} as const;

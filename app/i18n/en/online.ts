// "online.*" messages in English.
import type { onlineZhCN } from "../zh-CN/online";

export const onlineEn: Record<keyof typeof onlineZhCN, string> = {
  "online.dates_required": "Enter a start and an end to open online registration.",
  "online.end_before_start": "The end must be after the start.",
  "online.bounds_not_set": "The superior has not set the online-registration bounds yet.",
  "online.outside_bounds": "The candidate window must lie inside the superior's bounds ({from} to {to}).",
};

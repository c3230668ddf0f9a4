// "roomstats.*" messages in English.
import type { roomstatsZhCN } from "../zh-CN/roomstats";

export const roomstatsEn: Record<keyof typeof roomstatsZhCN, string> = {
  "roomstats.title": "Room statistics",
  "roomstats.hint":
    "The room statistics file (Excel) holds the rooms, the batches and how many entries of each subject every batch holds. Generate it when needed; generate it again after rooms or the allocation change.",
  "roomstats.file": "Room statistics",
  "roomstats.none": "Not generated yet.",
  "roomstats.generate": "Generate",
  "roomstats.regenerate": "Generate again",
  "roomstats.generated": "Generated {at} by {by}, {size}",
  "roomstats.stale":
    "Rooms, batches or the allocation changed since it was generated: the file is out of date; generate it again.",
  "roomstats.current": "The file matches the data as it is now.",
  "roomstats.download": "Download",
  "roomstats.progress": "Generating the file",
};

import type { Migration } from "kysely";
import * as m0001 from "./20261122_0001_foundation";
import * as m0002 from "./20261122_0002_notice";
import * as m0003 from "./20261122_0003_pre_registration";
import * as m0004 from "./20261122_0004_student_record";
import * as m0005 from "./20261122_0005_registration";
import * as m0006 from "./20261122_0006_group";
import * as m0007 from "./20261122_0007_management";
import * as m0008 from "./20261204_0008_accounts";
import * as m0009 from "./20261204_0009_invitations";
import * as m0010 from "./20261204_0010_privacy";
import * as m0011 from "./20261204_0011_hardening";
import * as m0016 from "./20261204_0016_job_limits";
import * as m0017 from "./20261205_0017_payment_batch_names";
import * as m0018 from "./20261205_0018_window_extension";
import * as m0019 from "./20261205_0019_rooms";
import * as m0020 from "./20261205_0020_admission_numbers";
import * as m0021 from "./20261205_0021_generated_files";
import * as m0022 from "./20261205_0022_class_seating";
import * as m0023 from "./20261205_0023_admission_cards";
import * as m0024 from "./20261205_0024_pre_exam_data";
import * as m0025 from "./20261205_0025_attendance";
import * as m0026 from "./20261205_0026_invigilator";
import * as m0027 from "./20261205_0027_violations";
import * as m0028 from "./20261205_0028_scores";
import * as m0029 from "./20261205_0029_column_maps";
import * as m0030 from "./20261206_0030_settlement_accounts";
import * as m0031 from "./20261206_0031_refunds";
import * as m0032 from "./20261206_0032_entry_counts_per_statement";
import * as m0033 from "./20261206_0033_seat_shards";
import * as m0034 from "./20261206_0034_registration_photo_index";
import * as m0035 from "./20261206_0035_entry_counts_preset";
import * as m0036 from "./20261206_0036_registration_stamp";

// Explicit index: the server is bundled, so no folder scanning.
export const migrations: Record<string, Migration> = {
  "20261122_0001_foundation": m0001,
  "20261122_0002_notice": m0002,
  "20261122_0003_pre_registration": m0003,
  "20261122_0004_student_record": m0004,
  "20261122_0005_registration": m0005,
  "20261122_0006_group": m0006,
  "20261122_0007_management": m0007,
  "20261204_0008_accounts": m0008,
  "20261204_0009_invitations": m0009,
  "20261204_0010_privacy": m0010,
  "20261204_0011_hardening": m0011,
  "20261204_0016_job_limits": m0016,
  "20261205_0017_payment_batch_names": m0017,
  "20261205_0018_window_extension": m0018,
  "20261205_0019_rooms": m0019,
  "20261205_0020_admission_numbers": m0020,
  "20261205_0021_generated_files": m0021,
  "20261205_0022_class_seating": m0022,
  "20261205_0023_admission_cards": m0023,
  "20261205_0024_pre_exam_data": m0024,
  "20261205_0025_attendance": m0025,
  "20261205_0026_invigilator": m0026,
  "20261205_0027_violations": m0027,
  "20261205_0028_scores": m0028,
  "20261205_0029_column_maps": m0029,
  "20261206_0030_settlement_accounts": m0030,
  "20261206_0031_refunds": m0031,
  "20261206_0032_entry_counts_per_statement": m0032,
  "20261206_0033_seat_shards": m0033,
  "20261206_0034_registration_photo_index": m0034,
  "20261206_0035_entry_counts_preset": m0035,
  "20261206_0036_registration_stamp": m0036,
};

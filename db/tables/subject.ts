import type { Generated, Selectable } from "kysely";

export interface SubjectTable {
  code: string;
  name: string;
  level: number;
  minutes: number;
  requires: string | null;
  retired: Generated<boolean>;
}

export type Subject = Selectable<SubjectTable>;

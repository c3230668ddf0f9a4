// Column types shared by the tables. Timestamps are timestamptz (WIN-7) and come back as Date on both backends.
import type { ColumnType } from "kysely";

export type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;

export type DateOnly = ColumnType<string, string, string>;

export type Json<T> = ColumnType<T, string, string>;

import { z } from "zod";

const trimmed = (max: number) => z.string().trim().max(max);

export const OrgInfoSchema = z.object({
  name: trimmed(100).optional(),
  address: trimmed(200).default(""),
  postcode: z.string().trim().regex(/^(\d{6})?$/, "org.postcode_format").default(""),
  contact_name: trimmed(50).default(""),
  contact_phone: trimmed(30).default(""),
  contact_email: z.string().trim().max(100).email("user.email_format").or(z.literal("")).default(""),
  remark: trimmed(500).default(""),
});
export type OrgInfo = z.infer<typeof OrgInfoSchema>;

export const NewOrgSchema = z.object({
  parentId: z.coerce.number().int().positive(),
  code: z.string().trim().min(1).max(10),
  name: trimmed(100).min(1, "org.name_required"),
});

export const UserSchema = z.object({
  login: z.string().trim().min(3, "user.login_required").max(100),
  name: trimmed(50).min(1, "user.name_required"),
  phone: trimmed(30).default(""),
  role: z.enum(["admin", "finance"]),
});

export const UserUpdateSchema = z.object({
  name: trimmed(50).min(1, "user.name_required"),
  phone: trimmed(30).default(""),
  role: z.enum(["admin", "finance"]),
});

export const NewSittingSchema = z.object({
  code: z.string().trim(),
  name: trimmed(100).min(1, "sitting.name_required"),
  starts_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "sitting.date_format"),
  ends_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "sitting.date_format"),
});

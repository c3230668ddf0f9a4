import { z } from "zod";

const trimmed = (max: number) => z.string().trim().max(max);

export const OrgInfoSchema = z.object({
  name: trimmed(100).optional(),
  address: trimmed(200).default(""),
  postcode: z
    .string()
    .trim()
    .regex(/^(\d{6})?$/, "org.postcode_format")
    .default(""),
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
  role: z.enum(["admin", "finance", "invigilator"]),
});

export const UserUpdateSchema = z.object({
  name: trimmed(50).min(1, "user.name_required"),
  phone: trimmed(30).default(""),
  role: z.enum(["admin", "finance", "invigilator"]),
});

/** A row id in a form: a positive integer (a forged "abc" or "-1" is a bad form, not a lookup). */
const rowId = z.coerce.number().int().positive();

/** The organisations page's forms (ORG-2 … ORG-4, ORG-11): each form's `intent`, shared by the page and its action. */
export const ORG_INTENT = {
  updateInfo: "update-info",
  addOrg: "add-org",
  setEnabled: "set-enabled",
  setReview: "set-review",
  deleteOrg: "delete-org",
  addUser: "add-user",
  withdrawInvite: "withdraw-invite",
  updateUser: "update-user",
  removeUser: "remove-user",
} as const;

/** One schema per form, discriminated on `intent`: the action switches on a typed value. */
export const OrgActionSchema = z.discriminatedUnion(
  "intent",
  [
    OrgInfoSchema.extend({ intent: z.literal(ORG_INTENT.updateInfo), orgId: rowId }),
    NewOrgSchema.extend({ intent: z.literal(ORG_INTENT.addOrg) }),
    z.object({
      intent: z.literal(ORG_INTENT.setEnabled),
      orgId: rowId,
      enabled: z.string().transform((v) => v === "true"),
    }),
    z.object({
      intent: z.literal(ORG_INTENT.setReview),
      orgId: rowId,
      review_state: z.string().transform((v) => (v === "reviewed" ? "reviewed" : "pending") as "reviewed" | "pending"),
    }),
    z.object({ intent: z.literal(ORG_INTENT.deleteOrg), orgId: rowId }),
    UserSchema.extend({ intent: z.literal(ORG_INTENT.addUser), orgId: rowId }),
    z.object({ intent: z.literal(ORG_INTENT.withdrawInvite), orgId: rowId, invitationId: rowId }),
    UserUpdateSchema.extend({ intent: z.literal(ORG_INTENT.updateUser), orgId: rowId, membershipId: rowId }),
    z.object({ intent: z.literal(ORG_INTENT.removeUser), orgId: rowId, membershipId: rowId }),
  ],
  { errorMap: () => ({ message: "form.invalid" }) },
);
export type OrgAction = z.infer<typeof OrgActionSchema>;

export const NewSittingSchema = z.object({
  code: z.string().trim(),
  name: trimmed(100).min(1, "sitting.name_required"),
  starts_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "sitting.date_format"),
  ends_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "sitting.date_format"),
});

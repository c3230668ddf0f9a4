// "reissue.*" messages in English.
import type { reissueZhCN } from "../zh-CN/reissue";

export const reissueEn: Record<keyof typeof reissueZhCN, string> = {
  "reissue.explain":
    "When a candidate forgot the password and cannot recover it with a code, issue a new one-time password (valid for 14 days). The old password stops working at once, the candidate's sessions end, and a new password must be set at first login. This is written to the audit log.",
  "reissue.button": "Issue a new one-time password",
  "reissue.confirm": "Issue a new one-time password for this candidate? The current password stops working at once.",
  "reissue.done":
    "New one-time password for {login} (shown this once: copy it down and hand it to the candidate in person):",
  "reissue.expires": "Valid until {at}.",
  "reissue.no_account": "This registration has no candidate account.",
  "reissue.site_only": "Only an administrator of the candidate's site can issue a new one-time password.",
};

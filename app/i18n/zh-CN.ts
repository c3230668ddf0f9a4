// Simplified Chinese: the default language and the source of every message key.
// One file per key prefix in zh-CN/ (the file name is the prefix).
import { accessZhCN } from "./zh-CN/access";
import { accountZhCN } from "./zh-CN/account";
import { admissionZhCN } from "./zh-CN/admission";
import { allocationZhCN } from "./zh-CN/allocation";
import { appZhCN } from "./zh-CN/app";
import { auditZhCN } from "./zh-CN/audit";
import { authZhCN } from "./zh-CN/auth";
import { cancelZhCN } from "./zh-CN/cancel";
import { candZhCN } from "./zh-CN/cand";
import { candidateZhCN } from "./zh-CN/candidate";
import { capacityZhCN } from "./zh-CN/capacity";
import { classZhCN } from "./zh-CN/class";
import { commonZhCN } from "./zh-CN/common";
import { detailsZhCN } from "./zh-CN/details";
import { eligibilityZhCN } from "./zh-CN/eligibility";
import { entriesZhCN } from "./zh-CN/entries";
import { errorZhCN } from "./zh-CN/error";
import { exportZhCN } from "./zh-CN/export";
import { feesZhCN } from "./zh-CN/fees";
import { fieldZhCN } from "./zh-CN/field";
import { forgotZhCN } from "./zh-CN/forgot";
import { formZhCN } from "./zh-CN/form";
import { groupZhCN } from "./zh-CN/group";
import { grouppayZhCN } from "./zh-CN/grouppay";
import { homeZhCN } from "./zh-CN/home";
import { idZhCN } from "./zh-CN/id";
import { importZhCN } from "./zh-CN/import";
import { inviteZhCN } from "./zh-CN/invite";
import { jobZhCN } from "./zh-CN/job";
import { loginZhCN } from "./zh-CN/login";
import { mgtZhCN } from "./zh-CN/mgt";
import { msgZhCN } from "./zh-CN/msg";
import { navZhCN } from "./zh-CN/nav";
import { nextZhCN } from "./zh-CN/next";
import { noticeZhCN } from "./zh-CN/notice";
import { onlineZhCN } from "./zh-CN/online";
import { orgZhCN } from "./zh-CN/org";
import { outboxZhCN } from "./zh-CN/outbox";
import { passwordZhCN } from "./zh-CN/password";
import { payZhCN } from "./zh-CN/pay";
import { photoZhCN } from "./zh-CN/photo";
import { photoPageZhCN } from "./zh-CN/photo_page";
import { photosZhCN } from "./zh-CN/photos";
import { preferredZhCN } from "./zh-CN/preferred";
import { privacyZhCN } from "./zh-CN/privacy";
import { pwZhCN } from "./zh-CN/pw";
import { readinessZhCN } from "./zh-CN/readiness";
import { recordsZhCN } from "./zh-CN/records";
import { regZhCN } from "./zh-CN/reg";
import { reissueZhCN } from "./zh-CN/reissue";
import { reviewZhCN } from "./zh-CN/review";
import { roomsZhCN } from "./zh-CN/rooms";
import { roomstatsZhCN } from "./zh-CN/roomstats";
import { cardZhCN } from "./zh-CN/card";
import { cardsZhCN } from "./zh-CN/cards";
import { ccardsZhCN } from "./zh-CN/ccards";
import { scanZhCN } from "./zh-CN/scan";
import { photopkgZhCN } from "./zh-CN/photopkg";
import { sheetsZhCN } from "./zh-CN/sheets";
import { cbtupZhCN } from "./zh-CN/cbtup";
import { checkinZhCN } from "./zh-CN/checkin";
import { violationsZhCN } from "./zh-CN/violations";
import { scoresZhCN } from "./zh-CN/scores";
import { mailingZhCN } from "./zh-CN/mailing";
import { receiptsZhCN } from "./zh-CN/receipts";
import { columnsZhCN } from "./zh-CN/columns";
import { accountsZhCN } from "./zh-CN/accounts";
import { financeZhCN } from "./zh-CN/finance";
import { pivotZhCN } from "./zh-CN/pivot";
import { cbtZhCN } from "./zh-CN/cbt";
import { roleZhCN } from "./zh-CN/role";
import { scopeZhCN } from "./zh-CN/scope";
import { setupZhCN } from "./zh-CN/setup";
import { signupZhCN } from "./zh-CN/signup";
import { simZhCN } from "./zh-CN/sim";
import { siteZhCN } from "./zh-CN/site";
import { sittingZhCN } from "./zh-CN/sitting";
import { statsZhCN } from "./zh-CN/stats";
import { statusZhCN } from "./zh-CN/status";
import { subjectZhCN } from "./zh-CN/subject";
import { uploadZhCN } from "./zh-CN/upload";
import { userZhCN } from "./zh-CN/user";
import { verifyZhCN } from "./zh-CN/verify";
import { windowZhCN } from "./zh-CN/window";

export const zhCN = {
  ...accessZhCN,
  ...accountZhCN,
  ...admissionZhCN,
  ...allocationZhCN,
  ...appZhCN,
  ...auditZhCN,
  ...authZhCN,
  ...cancelZhCN,
  ...candZhCN,
  ...candidateZhCN,
  ...capacityZhCN,
  ...classZhCN,
  ...commonZhCN,
  ...detailsZhCN,
  ...eligibilityZhCN,
  ...entriesZhCN,
  ...errorZhCN,
  ...exportZhCN,
  ...feesZhCN,
  ...fieldZhCN,
  ...forgotZhCN,
  ...formZhCN,
  ...groupZhCN,
  ...grouppayZhCN,
  ...homeZhCN,
  ...idZhCN,
  ...importZhCN,
  ...inviteZhCN,
  ...jobZhCN,
  ...loginZhCN,
  ...mgtZhCN,
  ...msgZhCN,
  ...navZhCN,
  ...nextZhCN,
  ...noticeZhCN,
  ...onlineZhCN,
  ...orgZhCN,
  ...outboxZhCN,
  ...passwordZhCN,
  ...payZhCN,
  ...photoZhCN,
  ...photoPageZhCN,
  ...photosZhCN,
  ...preferredZhCN,
  ...privacyZhCN,
  ...pwZhCN,
  ...readinessZhCN,
  ...recordsZhCN,
  ...regZhCN,
  ...reissueZhCN,
  ...reviewZhCN,
  ...roomsZhCN,
  ...roomstatsZhCN,
  ...cardZhCN,
  ...cardsZhCN,
  ...ccardsZhCN,
  ...scanZhCN,
  ...photopkgZhCN,
  ...sheetsZhCN,
  ...cbtupZhCN,
  ...checkinZhCN,
  ...violationsZhCN,
  ...scoresZhCN,
  ...mailingZhCN,
  ...receiptsZhCN,
  ...columnsZhCN,
  ...accountsZhCN,
  ...financeZhCN,
  ...pivotZhCN,
  ...cbtZhCN,
  ...roleZhCN,
  ...scopeZhCN,
  ...setupZhCN,
  ...signupZhCN,
  ...simZhCN,
  ...siteZhCN,
  ...sittingZhCN,
  ...statsZhCN,
  ...statusZhCN,
  ...subjectZhCN,
  ...uploadZhCN,
  ...userZhCN,
  ...verifyZhCN,
  ...windowZhCN,
} as const;

// English: every key of zh-CN must be here (the type says so). One file per key prefix in en/.
import type { zhCN } from "./zh-CN";
import { accessEn } from "./en/access";
import { accountEn } from "./en/account";
import { admissionEn } from "./en/admission";
import { allocationEn } from "./en/allocation";
import { appEn } from "./en/app";
import { auditEn } from "./en/audit";
import { authEn } from "./en/auth";
import { cancelEn } from "./en/cancel";
import { candEn } from "./en/cand";
import { candidateEn } from "./en/candidate";
import { capacityEn } from "./en/capacity";
import { classEn } from "./en/class";
import { commonEn } from "./en/common";
import { detailsEn } from "./en/details";
import { eligibilityEn } from "./en/eligibility";
import { entriesEn } from "./en/entries";
import { errorEn } from "./en/error";
import { exportEn } from "./en/export";
import { feesEn } from "./en/fees";
import { fieldEn } from "./en/field";
import { forgotEn } from "./en/forgot";
import { formEn } from "./en/form";
import { groupEn } from "./en/group";
import { grouppayEn } from "./en/grouppay";
import { homeEn } from "./en/home";
import { idEn } from "./en/id";
import { importEn } from "./en/import";
import { inviteEn } from "./en/invite";
import { jobEn } from "./en/job";
import { loginEn } from "./en/login";
import { mgtEn } from "./en/mgt";
import { msgEn } from "./en/msg";
import { navEn } from "./en/nav";
import { nextEn } from "./en/next";
import { noticeEn } from "./en/notice";
import { onlineEn } from "./en/online";
import { orgEn } from "./en/org";
import { outboxEn } from "./en/outbox";
import { passwordEn } from "./en/password";
import { payEn } from "./en/pay";
import { photoEn } from "./en/photo";
import { photoPageEn } from "./en/photo_page";
import { photosEn } from "./en/photos";
import { preferredEn } from "./en/preferred";
import { privacyEn } from "./en/privacy";
import { pwEn } from "./en/pw";
import { readinessEn } from "./en/readiness";
import { recordsEn } from "./en/records";
import { regEn } from "./en/reg";
import { reissueEn } from "./en/reissue";
import { reviewEn } from "./en/review";
import { roomsEn } from "./en/rooms";
import { roomstatsEn } from "./en/roomstats";
import { cardEn } from "./en/card";
import { cardsEn } from "./en/cards";
import { ccardsEn } from "./en/ccards";
import { scanEn } from "./en/scan";
import { photopkgEn } from "./en/photopkg";
import { sheetsEn } from "./en/sheets";
import { cbtupEn } from "./en/cbtup";
import { checkinEn } from "./en/checkin";
import { violationsEn } from "./en/violations";
import { scoresEn } from "./en/scores";
import { mailingEn } from "./en/mailing";
import { receiptsEn } from "./en/receipts";
import { columnsEn } from "./en/columns";
import { accountsEn } from "./en/accounts";
import { financeEn } from "./en/finance";
import { pivotEn } from "./en/pivot";
import { cbtEn } from "./en/cbt";
import { roleEn } from "./en/role";
import { scopeEn } from "./en/scope";
import { setupEn } from "./en/setup";
import { signupEn } from "./en/signup";
import { simEn } from "./en/sim";
import { siteEn } from "./en/site";
import { sittingEn } from "./en/sitting";
import { statsEn } from "./en/stats";
import { statusEn } from "./en/status";
import { subjectEn } from "./en/subject";
import { uploadEn } from "./en/upload";
import { userEn } from "./en/user";
import { verifyEn } from "./en/verify";
import { windowEn } from "./en/window";

export const en: Record<keyof typeof zhCN, string> = {
  ...accessEn,
  ...accountEn,
  ...admissionEn,
  ...allocationEn,
  ...appEn,
  ...auditEn,
  ...authEn,
  ...cancelEn,
  ...candEn,
  ...candidateEn,
  ...capacityEn,
  ...classEn,
  ...commonEn,
  ...detailsEn,
  ...eligibilityEn,
  ...entriesEn,
  ...errorEn,
  ...exportEn,
  ...feesEn,
  ...fieldEn,
  ...forgotEn,
  ...formEn,
  ...groupEn,
  ...grouppayEn,
  ...homeEn,
  ...idEn,
  ...importEn,
  ...inviteEn,
  ...jobEn,
  ...loginEn,
  ...mgtEn,
  ...msgEn,
  ...navEn,
  ...nextEn,
  ...noticeEn,
  ...onlineEn,
  ...orgEn,
  ...outboxEn,
  ...passwordEn,
  ...payEn,
  ...photoEn,
  ...photoPageEn,
  ...photosEn,
  ...preferredEn,
  ...privacyEn,
  ...pwEn,
  ...readinessEn,
  ...recordsEn,
  ...regEn,
  ...reissueEn,
  ...reviewEn,
  ...roomsEn,
  ...roomstatsEn,
  ...cardEn,
  ...cardsEn,
  ...ccardsEn,
  ...scanEn,
  ...photopkgEn,
  ...sheetsEn,
  ...cbtupEn,
  ...checkinEn,
  ...violationsEn,
  ...scoresEn,
  ...mailingEn,
  ...receiptsEn,
  ...columnsEn,
  ...accountsEn,
  ...financeEn,
  ...pivotEn,
  ...cbtEn,
  ...roleEn,
  ...scopeEn,
  ...setupEn,
  ...signupEn,
  ...simEn,
  ...siteEn,
  ...sittingEn,
  ...statsEn,
  ...statusEn,
  ...subjectEn,
  ...uploadEn,
  ...userEn,
  ...verifyEn,
  ...windowEn,
};

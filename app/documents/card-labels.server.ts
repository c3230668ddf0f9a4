import fs from "node:fs";
import path from "node:path";
import { translator, type Locale } from "~/i18n";
import type { CardLabels } from "./admission-card-pdf.server";

/** The printed labels of a card in the card's language. */
export function cardLabels(locale: Locale): CardLabels {
  const t = translator(locale);
  return {
    titleSuffix: t("card.title_suffix"),
    admissionNo: t("card.admissionNo"),
    name: t("card.name"),
    gender: t("card.gender"),
    idType: t("card.idType"),
    idNumber: t("card.idNumber"),
    subject: t("card.subject"),
    examDate: t("card.examDate"),
    examTime: t("card.examTime"),
    roomSeat: t("card.roomSeat"),
    site: t("card.site"),
    address: t("card.address"),
    noPhoto: t("card.no_photo"),
    calibration: t("card.calibration"),
  };
}

const instructions = new Map<Locale, string>();

/** DOC-2: the fixed candidate instructions (考生须知), kept as text in templates/. */
export function cardInstructions(locale: Locale): string {
  let s = instructions.get(locale);
  if (s === undefined) {
    s = fs.readFileSync(path.resolve(`templates/candidate-instructions.${locale}.txt`), "utf8");
    instructions.set(locale, s);
  }
  return s;
}

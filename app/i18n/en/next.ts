// "next.*" messages in English.
import type { nextZhCN } from "../zh-CN/next";

export const nextEn: Record<keyof typeof nextZhCN, string> = {
  "next.choose_site": "Choose a test site.",
  "next.fill_details": "Fill in your details.",
  "next.fix_details": "Correct your registration as the reason says, then submit for review again.",
  "next.upload_photo": "Upload your photo.",
  "next.new_photo": "Upload a new, compliant photo, then submit for review again.",
  "next.choose_entries": "Choose your subjects.",
  "next.submit_review": "Submit for review.",
  "next.wait_review": "Wait for the site's review.",
  "next.pay": "Pay. Unpaid seats are released automatically after a while.",
  "next.wait_group_payment": "Your site pays your subjects in a group payment: wait for it to complete.",
  "next.confirm_payment": "Waiting for the payment result; if you have paid, refresh on the payment page.",
  "next.wait_allocation": "Registered. Wait for room allocation.",
  "next.print_card": "Print your admission card.",
  "next.wait_card": "Registered. Print your admission card once printing opens.",
  "next.closed": "Online registration has ended.",
  "next.none_open": "No site is taking registrations now.",
  "next.go.choose_site": "Choose a site",
  "next.go.fill_details": "Fill in",
  "next.go.fix_details": "Correct",
  "next.go.upload_photo": "Upload a photo",
  "next.go.new_photo": "Upload again",
  "next.go.choose_entries": "Choose subjects",
  "next.go.pay": "Pay now",
  "next.go.confirm_payment": "See the payment",
};

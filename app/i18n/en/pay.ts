// "pay.*" messages in English.
import type { payZhCN } from "../zh-CN/pay";

export const payEn: Record<keyof typeof payZhCN, string> = {
  "pay.demo_notice": "Demo payment: no money moves",
  "pay.demo_notice_detail":
    "This portal uses the simulated payment gateway (PAYMENT_PROVIDER=simulated), for development and demos only.",
  "pay.title": "Payment",
  "pay.per_person": "Per-person fee",
  "pay.total": "Total",
  "pay.start": "Pay ¥{amount}",
  "pay.lock_hint": "Starting a payment locks your details, site and photo.",
  "pay.pending": "Order {id} (¥{amount}) is being paid; finish it before {until}.",
  "pay.continue": "Continue paying",
  "pay.refresh": "I have paid: refresh",
  "pay.abandon": "Give up this payment",
  "pay.result_paid": "Payment received: your subjects are paid.",
  "pay.result_failed": "The payment did not go through; you can start it again.",
  "pay.paid_title": "Paid subjects",
  "pay.history": "Payment history",
  "pay.fee_not_set": "The site's fees are not set yet, so payment is not possible; contact the site.",
  "pay.nothing_due": "Nothing to pay.",
  "pay.review_first": "This site reviews registrations: submit for review first, and pay once it passes.",
  "pay.review_pending": "Your registration is under review; you can pay once it passes.",
  "pay.in_payment_batch":
    "Your unpaid subjects are in your site's group payment batch: the site pays them, so you cannot pay them yourself.",
  "pay.payment_batch_title": "Subjects your site pays",
  "pay.payment_batch_hint":
    "These subjects are in your site's group payment batch and are paid by the site; you need not, and cannot, pay them yourself.",
  "pay.provider_down": "The payment platform cannot be reached right now; try again shortly.",
  "pay.status.pending": "paying",
  "pay.status.paid": "paid",
  "pay.status.failed": "not completed",
  "pay.status.expired": "expired",
  "pay.status.refund_due": "refund due",
};

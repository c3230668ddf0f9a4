// "sim.*" messages in English.
import type { simZhCN } from "../zh-CN/sim";

export const simEn: Record<keyof typeof simZhCN, string> = {
  "sim.title": "Simulated payment gateway",
  "sim.merchant": "Merchant",
  "sim.merchant_name": "考务 Kaowu",
  "sim.order": "Order",
  "sim.txn": "Transaction",
  "sim.description": "Description",
  "sim.amount": "Amount",
  "sim.amount_value": "¥{amount}",
  "sim.choose": "Choose how this simulated payment ends:",
  "sim.pay": "Pay (success)",
  "sim.fail": "Payment fails",
  "sim.timeout": "Give up / time out",
  "sim.delayed": "Pay, but notify late",
  "sim.delayed_hint":
    "The payment succeeds, but the merchant is notified only after about {seconds} s (to try reconciliation).",
  "sim.timeout_hint": "Nothing is recorded; the order stays unpaid.",
  "sim.status": "Status",
  "sim.status.open": "Awaiting payment",
  "sim.status.paid": "Paid",
  "sim.status.failed": "Failed",
  "sim.settled_at": "Settled at",
  "sim.settled": "This transaction has been settled and cannot be paid again.",
  "sim.back": "Back to the merchant",
  "sim.not_found": "No such transaction, or it has expired.",
  "sim.already_settled": "This transaction is already paid or failed; it cannot be settled again.",
  "sim.bad_outcome": "Choose an outcome.",
};

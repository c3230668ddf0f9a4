/**
 * CAN-4/CAN-8: call at the top of a payment or hold test file; tests/setup/per-file-db.ts then checks
 * after every test that seat counters equal their rows and every unpaid online entry can expire.
 */
export function guardSeats() {
  (globalThis as { __kaowuGuardSeats?: boolean }).__kaowuGuardSeats = true;
}

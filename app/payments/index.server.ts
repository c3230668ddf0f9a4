import type { PaymentProvider } from "./provider";
import { SimulatedGateway } from "./simulated.server";

/**
 * CAN-7: the portal asks for a provider by name (the name stored on a payment, or the one in the notify
 * URL) or, for a new payment, for the configured one: `PAYMENT_PROVIDER`, "simulated" by default.
 * A real provider is added here as one more entry.
 */
const factories: Record<string, () => PaymentProvider> = {
  simulated: () => new SimulatedGateway(),
};

const instances = new Map<string, PaymentProvider>();
let override: PaymentProvider | undefined;
let warned = false;

export function configuredProviderName(): string {
  return process.env.PAYMENT_PROVIDER?.trim() || "simulated";
}

export function getPaymentProvider(name?: string): PaymentProvider {
  if (override && (name === undefined || name === override.name)) return override;
  const wanted = name ?? configuredProviderName();
  let p = instances.get(wanted);
  if (!p) {
    const make = Object.hasOwn(factories, wanted) ? factories[wanted] : undefined;
    if (!make) throw new Error(`Unknown payment provider "${wanted}"`);
    p = make();
    instances.set(wanted, p);
  }
  if (p.name === "simulated" && process.env.NODE_ENV === "production" && !warned) {
    warned = true;
    // The simulated gateway lets any visitor mark an order paid: fine for a demo, never for real money.
    console.warn("[payments] PAYMENT_PROVIDER is the simulated gateway: no real money is collected. Do not use it in production.");
  }
  return p;
}

/**
 * Tests: `p` answers for its own name and stands in for the configured provider; `undefined` restores
 * the built-in registry.
 */
export function setPaymentProvider(p: PaymentProvider | undefined) {
  override = p;
}

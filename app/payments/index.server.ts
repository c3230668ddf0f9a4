import type { PaymentProvider } from "./provider";
import { getEnv } from "~/utils/env.server";
import { SimulatedGateway } from "./simulated.server";

/**
 * CAN-7: the portal asks for a provider by name (the name stored on a payment, or the one in the notify
 * URL) or, for a new payment, for the configured one: `PAYMENT_PROVIDER` (env.server.ts: required in
 * production, "simulated" in development and tests). A real provider is added here as one more entry.
 */
const factories: Record<string, () => PaymentProvider> = {
  simulated: () => new SimulatedGateway(),
};

const instances = new Map<string, PaymentProvider>();
let override: PaymentProvider | undefined;

export function configuredProviderName(): string {
  return getEnv().PAYMENT_PROVIDER;
}

/** The simulated gateway (anyone may mark an order paid on its page) runs only when chosen by name. */
export function simulatedGatewayEnabled(): boolean {
  return configuredProviderName() === "simulated" || override?.name === "simulated";
}

export function getPaymentProvider(name?: string): PaymentProvider {
  if (override && (name === undefined || name === override.name)) return override;
  const wanted = name ?? configuredProviderName();
  if (wanted === "simulated" && !simulatedGatewayEnabled()) {
    throw new Error("The simulated payment gateway runs only when PAYMENT_PROVIDER=simulated");
  }
  let p = instances.get(wanted);
  if (!p) {
    const make = Object.hasOwn(factories, wanted) ? factories[wanted] : undefined;
    if (!make)
      throw new Error(
        `Unknown payment provider "${wanted}" (PAYMENT_PROVIDER): known ones are ${Object.keys(factories).join(", ")}`,
      );
    p = make();
    instances.set(wanted, p);
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

import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config.ts";

// PAYMENT_GATEWAY and the STRIPE_* settings (ADR 019): the simulated gateway unless Stripe is asked for, and Stripe
// only with both of its secrets.
const base = { SESSION_SECRET: "s".repeat(32), DRAW_SEED_KEY: "d".repeat(32) };

describe("gateway settings", () => {
  it("default to the simulated gateway", () => {
    expect(loadConfig(base).gatewaySettings).toEqual({ kind: "simulated" });
  });

  it("point Stripe at stripe-mock with host, port and protocol", () => {
    const env = { ...base, PAYMENT_GATEWAY: "stripe", STRIPE_SECRET_KEY: "sk_test_123", STRIPE_WEBHOOK_SECRET: "whsec_1", STRIPE_API_HOST: "127.0.0.1", STRIPE_API_PORT: "12111", STRIPE_API_PROTOCOL: "http" };
    expect(loadConfig(env).gatewaySettings).toEqual({ kind: "stripe", apiKey: "sk_test_123", webhookSecret: "whsec_1", host: "127.0.0.1", port: 12111, protocol: "http" });
  });

  it("leave Stripe's own address when no host is given", () => {
    expect(loadConfig({ ...base, PAYMENT_GATEWAY: "stripe", STRIPE_SECRET_KEY: "sk_live_1", STRIPE_WEBHOOK_SECRET: "whsec_1" }).gatewaySettings).toEqual({ kind: "stripe", apiKey: "sk_live_1", webhookSecret: "whsec_1" });
  });

  it("refuse Stripe without its secret key or webhook secret, naming what is missing", () => {
    expect(() => loadConfig({ ...base, PAYMENT_GATEWAY: "stripe" })).toThrow(/STRIPE_SECRET_KEY: required when PAYMENT_GATEWAY=stripe\n {2}STRIPE_WEBHOOK_SECRET: required/);
    expect(() => loadConfig({ ...base, PAYMENT_GATEWAY: "stripe", STRIPE_SECRET_KEY: "sk_test_123" })).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });

  it("refuse an unknown gateway, protocol or port", () => {
    expect(() => loadConfig({ ...base, PAYMENT_GATEWAY: "paypal" })).toThrow(/PAYMENT_GATEWAY/);
    expect(() => loadConfig({ ...base, STRIPE_API_PROTOCOL: "ftp" })).toThrow(/STRIPE_API_PROTOCOL/);
    expect(() => loadConfig({ ...base, STRIPE_API_PORT: "70000" })).toThrow(/STRIPE_API_PORT/);
  });
});

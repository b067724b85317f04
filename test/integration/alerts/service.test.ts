import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deliverAlerts } from "../../../src/alerts/deliver.js";
import type { Actor } from "../../../src/domain/account.js";
import { Enterprise } from "../../../src/domain/enterprise.js";
import { AppError } from "../../../src/domain/errors.js";
import type { SubscriptionInput } from "../../../src/domain/subscription.js";
import type { z } from "../../../src/domain/zod.js";
import {
  createSubscription,
  deleteSubscription,
  feedItems,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  patchSubscription,
  revokeFeedToken,
  rotateFeedToken,
  sendTestAlert,
  unsubscribeByToken,
} from "../../../src/services/alerts.service.js";
import type { ServiceContext } from "../../../src/services/context.js";
import { type TestApp, createTestApp } from "../../support/app.js";
import { DOCUMENTED_SUBSCRIPTION, type RecordingChannel, recordingChannel, tender } from "./support.js";

/** The service the subscription routes call: ownership, enterprise rules, feeds, unsubscribe, test sends. */
let t: TestApp;
let ctx: ServiceContext;
let channel: RecordingChannel;

async function actor(
  role: "enterprise" | "admin" | "buyer" | "coordinator",
  link: { enterpriseId?: string; buyerId?: string } = {},
): Promise<Actor> {
  const { id } = await t.account(role, link);
  const account = await t.deps.store.accounts.get(id);
  if (!account) throw new Error("no account");
  return { kind: "account", account, tokenId: "t" };
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return "ok";
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
};

/** The example body of the issue. */
const input: z.input<typeof SubscriptionInput> = DOCUMENTED_SUBSCRIPTION;

beforeEach(async () => {
  t = await createTestApp();
  channel = recordingChannel();
  ctx = {
    ...t.deps,
    alerts: { channels: { email: channel, webhook: channel }, baseUrl: "https://x.example" },
  };
  await t.deps.store.enterprises.create(
    Enterprise.parse({
      id: "e-clean",
      name: "Rent ApS",
      country: "DK",
      cpv: ["90919000"],
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
    }),
  );
});
afterEach(async () => t.close());

describe("alerts service", () => {
  it("creates a subscription for the account, never shows the secret, and hands out the feed token once", async () => {
    const me = await actor("enterprise", { enterpriseId: "e-clean" });
    const { subscription, feedToken } = await createSubscription(ctx, me, input);
    expect(subscription).toMatchObject({
      name: "Rengøring i Østjylland",
      kind: "filters",
      timeZone: "Europe/Copenhagen",
      active: true,
      feed: true,
      channel: { type: "webhook", url: "https://example.org/hook" },
      filters: { cpv: ["909"], minValue: 100000 },
    });
    expect(JSON.stringify(subscription)).not.toContain("at least 16 chars");
    expect(feedToken.length).toBeGreaterThan(20);
    expect(await listSubscriptions(ctx, me)).toHaveLength(1);
    expect(await code(createSubscription(ctx, { kind: "anonymous" }, input))).toBe("UNAUTHORIZED");
    expect(await code(createSubscription(ctx, me, { ...input, filters: { cpv: ["x"] } }))).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("ties profile and group subscriptions to the account's own enterprise; admins name one", async () => {
    const me = await actor("enterprise", { enterpriseId: "e-clean" });
    const created = await createSubscription(ctx, me, { ...input, kind: "profile" });
    expect(created.subscription.enterpriseId).toBe("e-clean");
    expect(
      await code(createSubscription(ctx, me, { ...input, kind: "profile", enterpriseId: "other" })),
    ).toBe("FORBIDDEN");
    expect(
      await code(createSubscription(ctx, await actor("enterprise"), { ...input, kind: "profile" })),
    ).toBe("VALIDATION_FAILED");
    expect(
      await code(
        createSubscription(ctx, await actor("coordinator"), { ...input, kind: "group-opportunities" }),
      ),
    ).toBe("FORBIDDEN");
    const admin = await actor("admin");
    expect(await code(createSubscription(ctx, admin, { ...input, kind: "profile" }))).toBe(
      "VALIDATION_FAILED",
    );
    expect(
      await code(createSubscription(ctx, admin, { ...input, kind: "profile", enterpriseId: "nope" })),
    ).toBe("VALIDATION_FAILED");
    expect(
      await code(
        createSubscription(ctx, admin, { ...input, kind: "group-opportunities", enterpriseId: "e-clean" }),
      ),
    ).toBe("ok");
    expect(await code(createSubscription(ctx, me, { ...input, enterpriseId: "e-clean" }))).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("lets no account read, change, delete or list deliveries of another's subscription; admin may", async () => {
    const owner = await actor("enterprise", { enterpriseId: "e-clean" });
    const other = await actor("buyer", { buyerId: "dk-0751" });
    const admin = await actor("admin");
    const { subscription } = await createSubscription(ctx, owner, input);
    const id = subscription.id;
    for (const attempt of [
      getSubscription(ctx, other, id),
      patchSubscription(ctx, other, id, { name: "mine" }),
      listDeliveries(ctx, other, id),
      sendTestAlert(ctx, other, id),
      rotateFeedToken(ctx, other, id),
      revokeFeedToken(ctx, other, id),
      deleteSubscription(ctx, other, id),
      getSubscription(ctx, other, "no-such-id"),
    ]) {
      expect(await code(attempt)).toBe("NOT_FOUND");
    }
    expect(await listSubscriptions(ctx, other)).toEqual([]);
    expect((await listSubscriptions(ctx, admin)).map((s) => s.id)).toEqual([id]);
    expect((await patchSubscription(ctx, admin, id, { frequency: "daily", digestHour: 6 })).frequency).toBe(
      "daily",
    );
    expect((await patchSubscription(ctx, owner, id, { active: false })).active).toBe(false);
    await deleteSubscription(ctx, owner, id);
    expect(await code(getSubscription(ctx, owner, id))).toBe("NOT_FOUND");
  });

  it("lists deliveries newest first with dead letters, serves feeds by token, and unsubscribes by link", async () => {
    const owner = await actor("enterprise", { enterpriseId: "e-clean" });
    const { subscription, feedToken } = await createSubscription(ctx, owner, {
      ...input,
      filters: { countries: ["DK"] },
      channel: { type: "email", address: "owner@example.org" },
    });
    await t.deps.store.tenders.create(tender({ id: "test:one" }), "test");
    await t.deps.store.tenders.create(tender({ id: "test:two" }), "test");
    await deliverAlerts(ctx, new Date());
    const page = await listDeliveries(ctx, owner, subscription.id, { limit: 1 });
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(page.items[0]).toMatchObject({ tender: { id: "test:two" }, status: "sent", event: "tender.new" });

    const feed = await feedItems(ctx, feedToken);
    expect(feed.subscription.id).toBe(subscription.id);
    expect(feed.items.map((i) => [i.tender.id, i.link])).toEqual([
      ["test:two", "https://x.example/tenders/test%3Atwo"],
      ["test:one", "https://x.example/tenders/test%3Aone"],
    ]);
    const { feedToken: rotated } = await rotateFeedToken(ctx, owner, subscription.id);
    expect(await code(feedItems(ctx, feedToken))).toBe("NOT_FOUND");
    expect((await feedItems(ctx, rotated)).items).toHaveLength(2);
    await revokeFeedToken(ctx, owner, subscription.id);
    expect(await code(feedItems(ctx, rotated))).toBe("NOT_FOUND");
    expect((await getSubscription(ctx, owner, subscription.id)).feed).toBe(false);

    const link = channel.sent[0]?.unsubscribeUrl ?? "";
    const token = new URL(link).searchParams.get("token") ?? "";
    expect(await unsubscribeByToken(ctx, token)).toEqual({
      subscriptionId: subscription.id,
      name: input.name,
      wasActive: true,
    });
    expect((await unsubscribeByToken(ctx, token)).wasActive).toBe(false);
    expect((await getSubscription(ctx, owner, subscription.id)).active).toBe(false);
    expect(await code(unsubscribeByToken(ctx, "not-a-token"))).toBe("NOT_FOUND");
  });

  it("sends a test message now, marked test, with a key of its own, and stores no delivery", async () => {
    const owner = await actor("enterprise", { enterpriseId: "e-clean" });
    const { subscription } = await createSubscription(ctx, owner, input);
    const result = await sendTestAlert(ctx, owner, subscription.id);
    expect(result).toMatchObject({ ok: true, idempotencyKey: expect.stringMatching(/^test-/) });
    expect(channel.sent[0]).toMatchObject({ test: true, idempotencyKey: result.idempotencyKey });
    expect(channel.sent[0]?.items).toHaveLength(1);
    expect((await listDeliveries(ctx, owner, subscription.id)).total).toBe(0);
    const { alerts: _a, ...without } = ctx;
    expect(await sendTestAlert(without, owner, subscription.id)).toMatchObject({
      ok: false,
      retryable: false,
    });
  });
});

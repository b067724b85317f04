import { and, eq, gt, isNull } from "drizzle-orm";
import * as schema from "./schema.js";
import type { Clock, Db } from "./store.js";

/**
 * Sign-in links and browser sessions of the web pages. Only SHA-256 hashes of the secrets are
 * stored: a copy of the database signs nobody in. A link is used at most once (a conditional
 * update claims it), a session until it expires or is revoked.
 */
export class SessionRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Records a sign-in link (`accountId` undefined: a sign-up link for `email`). */
  async addSignInToken(input: {
    tokenHash: string;
    email: string;
    accountId: string | undefined;
    ttlMs: number;
  }): Promise<void> {
    const now = this.clock();
    await this.db.insert(schema.signInTokens).values({
      tokenHash: input.tokenHash,
      email: input.email.toLowerCase(),
      accountId: input.accountId ?? null,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + input.ttlMs).toISOString(),
    });
  }

  /** Whether a link is still usable (unused and not expired), without using it. */
  async signInTokenUsable(tokenHash: string): Promise<boolean> {
    const rows = await this.db
      .select({ tokenHash: schema.signInTokens.tokenHash })
      .from(schema.signInTokens)
      .where(this.usable(tokenHash));
    return rows.length > 0;
  }

  /**
   * Uses a link: marks it used and returns what it was for, or undefined when it is unknown,
   * expired or already used. Two requests racing for one link: one wins.
   */
  async useSignInToken(tokenHash: string): Promise<{ email: string; accountId?: string } | undefined> {
    const rows = await this.db
      .update(schema.signInTokens)
      .set({ usedAt: this.clock().toISOString() })
      .where(this.usable(tokenHash))
      .returning({ email: schema.signInTokens.email, accountId: schema.signInTokens.accountId });
    const row = rows[0];
    if (!row) return undefined;
    return { email: row.email, ...(row.accountId ? { accountId: row.accountId } : {}) };
  }

  private usable(tokenHash: string) {
    return and(
      eq(schema.signInTokens.tokenHash, tokenHash),
      isNull(schema.signInTokens.usedAt),
      gt(schema.signInTokens.expiresAt, this.clock().toISOString()),
    );
  }

  async createSession(input: { idHash: string; accountId: string; ttlMs: number }): Promise<void> {
    const now = this.clock();
    await this.db.insert(schema.sessions).values({
      idHash: input.idHash,
      accountId: input.accountId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + input.ttlMs).toISOString(),
    });
  }

  /** The account of a live session (not expired, not revoked). */
  async sessionAccountId(idHash: string): Promise<string | undefined> {
    const rows = await this.db
      .select({ accountId: schema.sessions.accountId })
      .from(schema.sessions)
      .where(
        and(
          eq(schema.sessions.idHash, idHash),
          isNull(schema.sessions.revokedAt),
          gt(schema.sessions.expiresAt, this.clock().toISOString()),
        ),
      );
    return rows[0]?.accountId;
  }

  async revokeSession(idHash: string): Promise<void> {
    await this.db
      .update(schema.sessions)
      .set({ revokedAt: this.clock().toISOString() })
      .where(and(eq(schema.sessions.idHash, idHash), isNull(schema.sessions.revokedAt)));
  }
}

import { z } from "./zod.js";
import { IsoDateTime, Slug } from "./common.js";

export const ROLES = ["enterprise", "buyer", "coordinator", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Account = z.object({
  id: z.string().min(1),
  email: z.email().transform((e) => e.toLowerCase()),
  role: Role,
  /** The enterprise an `enterprise` account acts for. */
  enterpriseId: Slug.optional(),
  /** The buyer a `buyer` account acts for. */
  buyerId: Slug.optional(),
  createdAt: IsoDateTime,
});
export type Account = z.infer<typeof Account>;

export const AccountInput = Account.omit({ id: true, createdAt: true })
  .refine((a) => a.role !== "buyer" || a.buyerId !== undefined, {
    message: "a buyer account must be linked to a buyer (--buyer <id>)",
    path: ["buyerId"],
  })
  .refine((a) => a.role === "buyer" || a.buyerId === undefined, {
    message: "only buyer accounts act for a buyer",
    path: ["buyerId"],
  })
  .refine((a) => a.role === "enterprise" || a.enterpriseId === undefined, {
    message: "only enterprise accounts act for an enterprise",
    path: ["enterpriseId"],
  });
export type AccountInput = z.infer<typeof AccountInput>;

/** Who is making a request: an account, or nobody. */
export type Actor = { kind: "account"; account: Account; tokenId: string } | { kind: "anonymous" };

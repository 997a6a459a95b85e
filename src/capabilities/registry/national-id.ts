/**
 * National ID numbers (CCCD 12 digits, old CMND 9 digits) are personal data protected by law
 * (Nghị định 13/2023/NĐ-CP). They are never stored, returned, logged or audited in clear: the
 * database keeps a keyed hash (HMAC-SHA-256) that finds duplicates, and the last four digits that
 * let an officer recognise a number ("…1234"). The key is 32 random bytes generated once per
 * installation and kept in app_settings; without it the hashes cannot be tested against guesses.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.ts";

type Exec = Kysely<DB> | Transaction<DB>;

export const NATIONAL_ID_KEY_SETTING = "national_id_hmac_key";

function decodeKey(value: unknown): Buffer | null {
  if (typeof value !== "string") return null;
  const key = Buffer.from(value, "base64");
  return key.length >= 32 ? key : null;
}

/** The installation's HMAC key, created on first use (safe when two requests race to create it). */
export async function nationalIdKey(db: Exec): Promise<Buffer> {
  const read = async () =>
    decodeKey(
      (
        await db
          .selectFrom("app_settings")
          .select("value")
          .where("key", "=", NATIONAL_ID_KEY_SETTING)
          .executeTakeFirst()
      )?.value,
    );
  const existing = await read();
  if (existing) return existing;
  await db
    .insertInto("app_settings")
    .values({ key: NATIONAL_ID_KEY_SETTING, value: JSON.stringify(randomBytes(32).toString("base64")) })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const created = await read();
  if (!created) throw new Error(`app_settings.${NATIONAL_ID_KEY_SETTING} is not a 32-byte base64 key`);
  return created;
}

/** Keyed hash of a national ID (digits only, as validated by the schema). */
export function hashNationalId(key: Buffer, digits: string): string {
  return createHmac("sha256", key).update(`vn-national-id:${digits}`).digest("hex");
}

export function lastFour(digits: string): string {
  return digits.slice(-4);
}

/** What responses show of a stored number. */
export function maskNationalId(last4: string | null): string | null {
  return last4 ? `…${last4}` : null;
}

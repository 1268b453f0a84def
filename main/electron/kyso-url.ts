/**
 * `kyso://` URLs, which a portal uses to start KySo when it is not running. Validated at the door with one strict
 * schema (style habit 3): they can only bring KySo to the front or open a page; nothing in a URL can approve,
 * sign, pair or change a setting, because anything on the machine can open one.
 */
import { z } from "zod";

export const KYSO_URL_SCHEME = "kyso";
/** Longer URLs are refused before parsing. */
export const MAX_KYSO_URL_LENGTH = 2048;

const PAGES = ["certificates", "activity", "sites", "settings", "diagnostics", "sign-files"] as const;

const action = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("start") }),
  z.strictObject({ action: z.literal("open"), page: z.enum(PAGES).optional() }),
]);

export type KysoUrlAction = z.infer<typeof action>;

export function parseKysoUrl(raw: string): KysoUrlAction | null {
  if (raw.length > MAX_KYSO_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${KYSO_URL_SCHEME}:` || url.username || url.password || url.port) return null;
  // `kyso://open?page=settings` → host "open"; `kyso:open` → pathname "open".
  const name = (url.host || url.pathname).replace(/\/+$/, "").toLowerCase();
  const params = Object.fromEntries(url.searchParams);
  const parsed = action.safeParse({ action: name, ...params });
  return parsed.success ? parsed.data : null;
}

/** Windows and Linux hand the URL to the second instance in argv. */
export function findKysoUrl(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${KYSO_URL_SCHEME}:`));
}

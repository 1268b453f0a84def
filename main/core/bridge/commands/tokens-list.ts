import { z } from "zod";
import type { TokenSummary } from "../../../domain/wire/protocol.js";
import { defineCommand } from "../command.js";
import { toTokenSummary } from "../wire-views.js";

/** Tokens plugged in, without the module path or anything else about the machine. */
export const tokensListCommand = defineCommand({
  method: "tokens.list",
  openToUnknownOrigins: false,
  signs: false,
  params: z.strictObject({}).optional(),
  async run(context): Promise<TokenSummary[]> {
    return (await context.services.tokens.listTokens()).map(toTokenSummary);
  },
});

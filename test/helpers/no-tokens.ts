/** A token layer with no token at all, for suites about what sits around signing: lists are empty, nothing opens. */
import type { TokenService } from "../../main/core/tokens/token-service.js";

export const noTokens: TokenService = {
  listTokens: async () => [],
  listCertificates: async () => [],
  openSigner: async () => {
    throw new Error("no token in this test");
  },
  diagnostics: () => [],
  onEvent: () => () => undefined,
  close: async () => undefined,
};

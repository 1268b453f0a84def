import type { CandidateChainView } from "../../../main/core/app-api/approval-view.js";
import { useI18n, type MessageKey } from "../i18n/index.js";

/**
 * The trust-path check line (policy `chainCheck`, checked before the approval opened): the anchor named (the two
 * national roots by their names, `trust.root.<id>`), then the intermediate CAs' revocation status. Shown in the
 * approval's certificate rows and on the certificates page.
 */
export function ChainLine({ chain }: { chain: CandidateChainView }) {
  const { t } = useI18n();
  const named = chain.nationalRoot ? t(`trust.root.${chain.nationalRoot}` as MessageKey) : (chain.anchor ?? "");
  // An anchor taken from the OS store (policy trustAnchorsOsStore) says so: it is a TLS root the organisation chose to trust.
  const anchor = chain.anchorSource === "system" ? t("trust.chain.systemAnchor", { anchor: named }) : named;
  const parts = [chain.trusted ? t("trust.chain.trusted", { anchor }) : t("trust.chain.untrusted")];
  const revoked = chain.intermediates.filter((i) => i.status === "revoked");
  const unchecked = chain.intermediates.filter((i) => i.status === "unknown" || i.status === "error");
  const silent = chain.intermediates.filter((i) => i.status === "not-published");
  for (const i of revoked) parts.push(t("trust.chain.intermediateRevoked", { name: i.name }));
  for (const i of unchecked) parts.push(t("trust.chain.intermediateUnchecked", { name: i.name }));
  for (const i of silent) parts.push(t("trust.chain.intermediateNotPublished", { name: i.name }));
  if (chain.intermediates.some((i) => i.status === "good") && revoked.length === 0 && unchecked.length === 0) parts.push(t("trust.chain.intermediatesGood"));
  return (
    <span className={chain.warning ? "warning" : "muted"} data-testid="chain-status">
      {parts.join(" · ")}
    </span>
  );
}

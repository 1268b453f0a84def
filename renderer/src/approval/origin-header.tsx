import { useEffect, useState } from "react";
import type { OriginView } from "../../../main/core/app-api/approval-view.js";
import { useI18n, type MessageKey } from "../i18n/index.js";

function useSecondsLeft(expiresAt: string): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(0, Math.round((Date.parse(expiresAt) - now) / 1000));
}

/** The origin always in view and in large type: the one fact the page cannot fake. */
export function OriginHeader({ origin, expiresAt, open }: { origin: OriginView; expiresAt: string; open: boolean }) {
  const { t } = useI18n();
  const seconds = useSecondsLeft(expiresAt);
  const url = safeUrl(origin.origin);
  return (
    <header className="origin-header">
      <p className="origin-label">{t("approval.from")}</p>
      <p className="origin" data-testid="approval-origin">
        {url ? (
          <>
            <span className="origin-scheme">{url.protocol}//</span>
            <bdi className="origin-host">{url.host}</bdi>
          </>
        ) : (
          <bdi>{origin.origin}</bdi>
        )}
      </p>
      <p className={`trust trust-${origin.trust}`}>{t(`approval.trust.${origin.trust}` as MessageKey)}</p>
      {open ? (
        <p className="expires" data-testid="approval-expires">
          {t("approval.expiresIn", { seconds })}
        </p>
      ) : null}
    </header>
  );
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

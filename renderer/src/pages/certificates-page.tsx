import type { CertificateInfo } from "../../../main/domain/certificate.js";
import type { CertificateListItem } from "../../../main/core/app-api/views.js";
import { ChainLine } from "../components/chain-line.js";
import type { TokenInfo } from "../../../main/domain/token.js";
import { Loaded } from "../components/loaded.js";
import { groupHex } from "../i18n/format.js";
import { Identifiers, ValidityBadge, certificateName } from "../components/validity-badge.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { api } from "../kyso.js";
import { useApiRead } from "../use-api.js";
import { StampImagesSection } from "./stamp-images-section.js";

async function readAll(): Promise<{ tokens: readonly TokenInfo[]; certificates: readonly CertificateListItem[] }> {
  const [tokens, certificates] = await Promise.all([api().invoke("tokens.list"), api().invoke("certificates.list")]);
  return { tokens, certificates };
}

function keyText(cert: CertificateInfo): string {
  return cert.keyAlgorithm.kind === "rsa" ? `RSA ${cert.keyAlgorithm.modulusBits}` : `ECDSA ${cert.keyAlgorithm.curve}`;
}

function CertificateCard({ cert }: { cert: CertificateListItem }) {
  const { t, formatDate } = useI18n();
  return (
    <li className="card" data-testid="certificate">
      <p className="card-title">
        <bdi>{certificateName(cert)}</bdi> <ValidityBadge cert={cert} />
      </p>
      <Identifiers cert={cert} />
      <p className="muted">{t("cert.validUntil", { date: formatDate(cert.notAfter) })}</p>
      {cert.trustChain ? (
        <p>
          <ChainLine chain={cert.trustChain} />
        </p>
      ) : null}
      <details>
        <summary>{t("certs.details")}</summary>
        <dl className="details">
          <dt>{t("certs.subject")}</dt>
          <dd>
            <bdi>{cert.subject.text}</bdi>
          </dd>
          <dt>{t("certs.issuer")}</dt>
          <dd>
            <bdi>{cert.issuer.text}</bdi>
          </dd>
          <dt>{t("certs.serial")}</dt>
          <dd>
            <code>{cert.serialNumber}</code>
          </dd>
          <dt>{t("certs.validityLabel")}</dt>
          <dd>{t("certs.validity", { from: formatDate(cert.notBefore), to: formatDate(cert.notAfter) })}</dd>
          <dt>{t("certs.keyUsage")}</dt>
          <dd>{cert.keyUsage.map((u) => t(`keyUsage.${u}` as MessageKey)).join(", ") || t("common.none")}</dd>
          <dt>{t("certs.key")}</dt>
          <dd>{keyText(cert)}</dd>
          <dt>{t("certs.chain")}</dt>
          <dd>{t("certs.chainCount", { count: cert.chain.length })}</dd>
          <dt>{t("certs.fingerprint")}</dt>
          <dd>
            <code className="hex">{groupHex(cert.fingerprintSha256)}</code>
          </dd>
          {cert.problems.length > 0 ? (
            <>
              <dt>{t("certs.problems")}</dt>
              <dd>{cert.problems.map((p) => t(`cert.problem.${p}` as MessageKey)).join(", ")}</dd>
            </>
          ) : null}
        </dl>
      </details>
      <StampImagesSection fingerprint={cert.fingerprintSha256} />
    </li>
  );
}

/** Grouped by token; re-read whenever a token is plugged in or pulled out. */
export function CertificatesPage() {
  const { t } = useI18n();
  const { state } = useApiRead(readAll, ["tokensChanged"]);
  return (
    <section aria-labelledby="certs-heading">
      <h1 id="certs-heading">{t("certs.heading")}</h1>
      <Loaded state={state}>
        {({ tokens, certificates }) =>
          tokens.length === 0 ? (
            <p data-testid="certs-empty">{t("certs.empty")}</p>
          ) : (
            tokens.map((token) => {
              const mine = certificates.filter((c) => c.tokenId === token.id);
              return (
                <section key={token.id} className="token-group" aria-label={token.label} data-testid="token-group">
                  <h2>
                    <bdi>{token.label}</bdi>
                  </h2>
                  <p className="muted">
                    {t("certs.tokenDetails", { manufacturer: token.manufacturer, model: token.model, serial: token.serial })}
                    {token.protectedAuthenticationPath ? ` · ${t("certs.pinPad")}` : ""}
                  </p>
                  {mine.length === 0 ? (
                    <p>{t("certs.noCerts")}</p>
                  ) : (
                    <ul className="cards">
                      {mine.map((cert) => (
                        <CertificateCard key={cert.id} cert={cert} />
                      ))}
                    </ul>
                  )}
                </section>
              );
            })
          )
        }
      </Loaded>
    </section>
  );
}

import { useI18n } from "../i18n/index.js";

export function CertificatesPage() {
  const { t } = useI18n();
  return <h1>{t("nav.certificates")}</h1>;
}

import { useI18n } from "../i18n/index.js";

export function TrustedSitesPage() {
  const { t } = useI18n();
  return <h1>{t("nav.sites")}</h1>;
}

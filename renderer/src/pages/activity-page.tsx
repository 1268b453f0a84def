import { useI18n } from "../i18n/index.js";

export function ActivityPage() {
  const { t } = useI18n();
  return <h1>{t("nav.activity")}</h1>;
}

import { useI18n } from "../i18n/index.js";

export function SettingsPage() {
  const { t } = useI18n();
  return <h1>{t("nav.settings")}</h1>;
}

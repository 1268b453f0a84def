import { useI18n } from "../i18n/index.js";

export function DiagnosticsPage() {
  const { t } = useI18n();
  return <h1>{t("nav.diagnostics")}</h1>;
}

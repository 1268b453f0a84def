import { useI18n } from "../i18n/index.js";

export function ApprovalPage() {
  const { t } = useI18n();
  return <h1>{t("approval.heading")}</h1>;
}

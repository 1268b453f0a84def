import type { ReactNode } from "react";
import { useI18n } from "../i18n/index.js";
import type { Load } from "../use-api.js";

/** Renders a read: a polite loading line, the core's own error message, or the content. */
export function Loaded<T>({ state, children }: { state: Load<T>; children: (value: T) => ReactNode }) {
  const { t } = useI18n();
  switch (state.kind) {
    case "loading":
      return <p role="status">{t("common.loading")}</p>;
    case "failed":
      return (
        <p role="alert" className="error">
          {state.message}
        </p>
      );
    case "loaded":
      return <>{children(state.value)}</>;
  }
}

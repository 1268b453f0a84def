import { useI18n } from "../i18n/index.js";
import { api } from "../kyso.js";
import { useApiRead } from "../use-api.js";
import { Loaded } from "../components/loaded.js";

export function HomePage() {
  const { t } = useI18n();
  const approvals = useApiRead(() => api().invoke("approvals.list"), ["approvalsChanged"]);
  const tokens = useApiRead(() => api().invoke("tokens.list"), ["tokensChanged"]);
  return (
    <section aria-labelledby="home-heading">
      <h1 id="home-heading">{t("home.heading")}</h1>
      <p>{t("home.intro")}</p>
      <Loaded state={approvals.state}>
        {(list) =>
          list.length === 0 ? (
            <p>{t("home.noPending")}</p>
          ) : (
            <p>
              {t("home.pending", { count: list.length })} <a href="#/approval">{t("home.openApproval")}</a>
            </p>
          )
        }
      </Loaded>
      <Loaded state={tokens.state}>{(list) => <p>{t("home.tokens", { count: list.length })}</p>}</Loaded>
    </section>
  );
}

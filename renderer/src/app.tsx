import { useEffect, useState } from "react";
import type { AppInfo } from "../../main/core/app-api/views.js";
import { I18nProvider, languageFromLocale, useI18n, type Language, type MessageKey } from "./i18n/index.js";
import { api } from "./kyso.js";
import { routeFromHash, type Route } from "./routes.js";
import { HomePage } from "./pages/home-page.js";
import { CertificatesPage } from "./pages/certificates-page.js";
import { ActivityPage } from "./pages/activity-page.js";
import { VerifyPage } from "./pages/verify-page.js";
import { SignFilesPage } from "./pages/sign-files-page.js";
import { useWindowDrop } from "./pages/sign-files-drop.js";
import { TrustedSitesPage } from "./pages/trusted-sites-page.js";
import { SettingsPage } from "./pages/settings-page.js";
import { DiagnosticsPage } from "./pages/diagnostics-page.js";
import { ApprovalPage } from "./approval/approval-page.js";

const NAV: readonly { route: Exclude<Route, "approval">; label: MessageKey }[] = [
  { route: "home", label: "nav.home" },
  { route: "certificates", label: "nav.certificates" },
  { route: "activity", label: "nav.activity" },
  { route: "verify", label: "nav.verify" },
  { route: "sign-files", label: "nav.signFiles" },
  { route: "sites", label: "nav.sites" },
  { route: "settings", label: "nav.settings" },
  { route: "diagnostics", label: "nav.diagnostics" },
];

function useRoute(): Route {
  const [route, setRoute] = useState(() => routeFromHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** The core owns the language setting; until it answers (or if it cannot), the browser's locale decides. */
function useLanguage(): Language {
  const [language, setLanguage] = useState<Language>(() => languageFromLocale(navigator.language));
  useEffect(() => {
    api()
      .invoke("settings.get")
      .then((settings) => setLanguage(settings.language))
      .catch(() => undefined);
    return api().on("settingsChanged", (settings) => setLanguage(settings.language));
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return language;
}

/**
 * PDFs handed to KySo by the desktop ("Sign with KySo" and "Open with KySo" alike) open "Sign files", which takes
 * them (`files.takeOpened`). The verify page reads a file's bytes in the page and cannot take a path, so "open"
 * goes to "Sign files" too (docs/desktop.md). The approval window never navigates away from its request.
 */
function useOpenedFiles(route: Route): void {
  useEffect(() => {
    if (route === "approval" || route === "sign-files") return;
    return api().on("files.opened", () => {
      window.location.hash = "#/sign-files";
    });
  }, [route]);
}

function Page({ route }: { route: Route }) {
  switch (route) {
    case "home":
      return <HomePage />;
    case "certificates":
      return <CertificatesPage />;
    case "activity":
      return <ActivityPage />;
    case "verify":
      return <VerifyPage />;
    case "sign-files":
      return <SignFilesPage />;
    case "sites":
      return <TrustedSitesPage />;
    case "settings":
      return <SettingsPage />;
    case "diagnostics":
      return <DiagnosticsPage />;
    case "approval":
      return <ApprovalPage />;
  }
}

function Shell({ route }: { route: Route }) {
  const { t } = useI18n();
  const [info, setInfo] = useState<AppInfo | undefined>();
  useWindowDrop(route);
  useOpenedFiles(route);
  useEffect(() => {
    api()
      .invoke("app.info")
      .then(setInfo)
      .catch(() => undefined);
  }, []);
  const version = info ? <p className="version" data-testid="app-version">{t("app.version", { version: info.version })}</p> : null;
  // The approval window shows only the request: no navigation away from it.
  if (route === "approval") {
    return (
      <main id="content" className="approval-surface">
        <ApprovalPage />
      </main>
    );
  }
  return (
    <div className="shell">
      <a className="skip" href="#content" onClick={(e) => { e.preventDefault(); document.getElementById("content")?.focus(); }}>
        {t("app.skip")}
      </a>
      <nav aria-label={t("nav.label")}>
        <p className="brand">{t("app.name")}</p>
        <ul>
          {NAV.map((item) => (
            <li key={item.route}>
              <a href={`#/${item.route}`} aria-current={item.route === route ? "page" : undefined}>
                {t(item.label)}
              </a>
            </li>
          ))}
        </ul>
        {version}
      </nav>
      <main id="content" tabIndex={-1}>
        <Page route={route} />
      </main>
    </div>
  );
}

export function App() {
  const route = useRoute();
  const language = useLanguage();
  return (
    <I18nProvider language={language}>
      <Shell route={route} />
    </I18nProvider>
  );
}

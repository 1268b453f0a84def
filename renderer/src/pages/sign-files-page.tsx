/**
 * "Ký tệp" / "Sign files": PDFs on this computer signed with a Decree 30/2020 preset (`files.sign`). The paths come
 * from the shell's dialogs (`files.choose`) or a drop (the preload's `pathForFile`, folders expanded by
 * `files.expand`); the page never makes one up. Signing opens the normal approval window; this page waits for the
 * answer, then shows one line per file. Where a signed copy exists, the user is asked first (replace, keep both,
 * skip): the core never replaces one silently. PDFs the desktop hands to KySo ("Sign with KySo", "Open with KySo")
 * arrive as the core's `files.opened` event, or, when this page was not shown yet, through `files.takeOpened`.
 */
import { useEffect, useRef, useState } from "react";
import type { ChosenFiles, ExistingChoice, LocalFileResult, OpenedFiles } from "../../../main/core/files/files-sign-params.js";
import { useI18n, type MessageKey } from "../i18n/index.js";
import { api, errorMessage, isKysoApiError } from "../kyso.js";
import { onDrop, takePendingDrop, type DroppedFiles } from "./sign-files-drop.js";
import { INITIAL_FORM, PresetFields, presetOptions, type PresetForm, type PresetName } from "./sign-files-preset.js";

type Stage =
  | { readonly kind: "idle" }
  | { readonly kind: "signing" }
  | { readonly kind: "asking"; readonly outputs: readonly string[] }
  | { readonly kind: "done"; readonly results: readonly LocalFileResult[] }
  | { readonly kind: "failed"; readonly message: string; readonly code?: string };

const MAX_FILES = 100;
const FIXES = new Set(["file_not_pdf", "file_unreadable", "file_locked", "file_not_writable", "file_exists", "document_too_large"]);

/**
 * What to do about an error, in the user's words. A leader or seal run refused as invalid_params is, on this page,
 * the missing image (the page sends nothing else the core could refuse as such): say where to keep one.
 */
function fixFor(code: string | undefined, preset: PresetName, t: (key: MessageKey) => string): string | null {
  if (code && FIXES.has(code)) return ` ${t(`signFiles.fix.${code}` as MessageKey)}`;
  if (code === "invalid_params" && (preset === "leader" || preset === "seal")) return ` ${t(`signFiles.fix.noImage.${preset}`)}`;
  return null;
}

/** The last part of a path, whichever separator the OS uses. */
const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;
const keepBothName = (path: string): string => baseName(path).replace(/\.signed\.pdf$/i, ".signed (2).pdf");

/** Files taken from the core (`files.takeOpened`) that no mounted page has shown yet. */
let unclaimed: OpenedFiles | undefined;

function mergeOpened(earlier: OpenedFiles | undefined, later: OpenedFiles): OpenedFiles {
  if (!earlier) return later;
  return { paths: [...new Set([...earlier.paths, ...later.paths])].slice(0, MAX_FILES), action: earlier.action === "sign" ? "sign" : later.action };
}

export function SignFilesPage() {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<ChosenFiles>({ paths: [], omitted: 0, ignored: 0 });
  const [form, setForm] = useState<PresetForm>(INITIAL_FORM);
  const [stage, setStage] = useState<Stage>({ kind: "idle" });
  const [notice, setNotice] = useState<string | undefined>();
  const busy = stage.kind === "signing";

  const take = (next: ChosenFiles) => {
    setNotice(undefined);
    if (next.paths.length === 0 && next.ignored === 0) return; // a cancelled dialog changes nothing
    setChosen(next);
    setStage({ kind: "idle" });
  };
  const choose = (kind: "files" | "folder") => {
    api()
      .invoke("files.choose", { kind })
      .then(take, (error: unknown) => setNotice(errorMessage(error)));
  };
  const dropped = (drop: DroppedFiles) => {
    if (drop.kind === "no-paths") {
      setNotice(t("signFiles.dropNoPaths"));
      return;
    }
    api()
      .invoke("files.expand", { paths: drop.paths.slice(0, MAX_FILES) })
      .then(take, (error: unknown) => setNotice(errorMessage(error)));
  };
  useEffect(() => {
    const first = takePendingDrop();
    if (first) dropped(first);
    return onDrop(dropped);
    // `dropped` only reads setters and `t`; a language change needs no new subscription.
  }, []);

  // Files from the desktop: the event only says that some arrived; `files.takeOpened` hands over every file kept
  // since the last take (Explorer starts one process per file, so they add up) and clears the core's list, so a
  // later visit of this page does not bring them back.
  const [opened, setOpened] = useState<OpenedFiles | undefined>();
  useEffect(() => {
    let live = true;
    const takeOpened = () => {
      api()
        .invoke("files.takeOpened")
        .then(
          (files) => {
            // The take empties the core's list, so its answer is kept even when this page went away meanwhile
            // (a route change, React's remount): the next page to mount shows it instead of losing the files.
            if (files) unclaimed = mergeOpened(unclaimed, files);
            if (live && unclaimed) {
              setOpened(unclaimed);
              unclaimed = undefined;
            }
          },
          (error: unknown) => live && setNotice(errorMessage(error)),
        );
    };
    takeOpened();
    const off = api().on("files.opened", takeOpened);
    return () => {
      live = false;
      off();
    };
  }, []);
  // While an approval is waiting the files wait too: replacing the list then would hide that run's answer.
  useEffect(() => {
    if (!opened || busy) return;
    setOpened(undefined);
    take({ paths: opened.paths, omitted: 0, ignored: 0 });
  }, [opened, busy]);

  const options = presetOptions(form);
  const sign = (existing?: ExistingChoice) => {
    if (!options.ok || chosen.paths.length === 0) return;
    setStage({ kind: "signing" });
    api()
      .invoke("files.sign", { paths: [...chosen.paths], preset: options.preset, ...(existing ? { existing } : {}) })
      .then(
        (results) => setStage({ kind: "done", results }),
        (error: unknown) => {
          if (isKysoApiError(error) && error.code === "file_exists") {
            const outputs = (error.details as { outputs?: unknown } | undefined)?.outputs;
            setStage({ kind: "asking", outputs: Array.isArray(outputs) ? outputs.map(String) : [] });
            return;
          }
          setStage({ kind: "failed", message: errorMessage(error), ...(isKysoApiError(error) ? { code: error.code } : {}) });
        },
      );
  };

  return (
    <section className="sign-files-page">
      <h1>{t("signFiles.title")}</h1>
      <p>{t("signFiles.intro")}</p>
      <div className="sign-files-open">
        <button type="button" onClick={() => choose("files")} disabled={busy}>
          {t("signFiles.chooseFiles")}
        </button>
        <button type="button" className="secondary" onClick={() => choose("folder")} disabled={busy}>
          {t("signFiles.chooseFolder")}
        </button>
        <p className="muted">{t("signFiles.dropHint")}</p>
      </div>
      {notice ? (
        <p role="alert" className="warning" data-testid="sign-files-notice">
          {notice}
        </p>
      ) : null}
      <ChosenList chosen={chosen} onClear={() => setChosen({ paths: [], omitted: 0, ignored: 0 })} disabled={busy} />
      <PresetFields form={form} onChange={setForm} disabled={busy} />
      {!options.ok && chosen.paths.length > 0 ? <p className="muted">{t("signFiles.missing", { field: t(options.missing) })}</p> : null}
      <div className="actions sign-files-actions">
        <button type="button" onClick={() => sign()} disabled={busy || !options.ok || chosen.paths.length === 0 || stage.kind === "asking"}>
          {t("signFiles.sign", { n: chosen.paths.length })}
        </button>
      </div>
      {stage.kind === "signing" ? (
        <p role="status" className="muted">
          {t("signFiles.waiting")}
        </p>
      ) : null}
      {stage.kind === "asking" ? <ExistsQuestion outputs={stage.outputs} onAnswer={(answer) => (answer ? sign(answer) : setStage({ kind: "idle" }))} /> : null}
      {stage.kind === "failed" ? (
        <p role="alert" className="error" data-testid="sign-files-error">
          {stage.message}
          {fixFor(stage.code, form.name, t)}
        </p>
      ) : null}
      {stage.kind === "done" ? <Summary results={stage.results} preset={form.name} /> : null}
    </section>
  );
}

function ChosenList({ chosen, onClear, disabled }: { chosen: ChosenFiles; onClear: () => void; disabled: boolean }) {
  const { t } = useI18n();
  if (chosen.paths.length === 0 && chosen.ignored === 0) return <p className="muted">{t("signFiles.none")}</p>;
  return (
    <section className="card" aria-labelledby="sign-files-chosen" data-testid="sign-files-chosen">
      <h2 id="sign-files-chosen">{t("signFiles.chosen", { n: chosen.paths.length })}</h2>
      {chosen.folder ? (
        <p className="muted">
          <bdi>{chosen.folder}</bdi>
        </p>
      ) : null}
      <ul className="list sign-files-list">
        {chosen.paths.map((path) => (
          <li key={path} title={path}>
            <bdi>{baseName(path)}</bdi>
          </li>
        ))}
      </ul>
      {chosen.omitted > 0 ? <p className="warning">{t("signFiles.omitted", { max: MAX_FILES, n: chosen.omitted })}</p> : null}
      {chosen.ignored > 0 ? <p className="muted">{t("signFiles.ignored", { n: chosen.ignored })}</p> : null}
      <button type="button" className="secondary" onClick={onClear} disabled={disabled}>
        {t("signFiles.clear")}
      </button>
    </section>
  );
}

function ExistsQuestion({ outputs, onAnswer }: { outputs: readonly string[]; onAnswer: (answer: ExistingChoice | undefined) => void }) {
  const { t } = useI18n();
  const example = outputs[0] ? keepBothName(outputs[0]) : "(2)";
  // The question appears below the form: the focus goes to it, so a keyboard or screen reader user hears it.
  const box = useRef<HTMLElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <section ref={box} tabIndex={-1} className="card sign-files-question" role="group" aria-labelledby="sign-files-exists" data-testid="sign-files-exists">
      <h2 id="sign-files-exists">{t("signFiles.existsTitle")}</h2>
      <p>{t("signFiles.existsText", { n: outputs.length })}</p>
      <ul className="list">
        {outputs.map((output) => (
          <li key={output} title={output}>
            <bdi>{baseName(output)}</bdi>
          </li>
        ))}
      </ul>
      <p>{t("signFiles.existsQuestion")}</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => onAnswer(undefined)}>
          {t("signFiles.cancel")}
        </button>
        <button type="button" className="secondary" onClick={() => onAnswer("skip")}>
          {t("signFiles.skip")}
        </button>
        <button type="button" className="secondary" onClick={() => onAnswer("overwrite")}>
          {t("signFiles.overwrite")}
        </button>
        <button type="button" onClick={() => onAnswer("keepBoth")}>
          {t("signFiles.keepBoth", { name: example })}
        </button>
      </div>
    </section>
  );
}

function Summary({ results, preset }: { results: readonly LocalFileResult[]; preset: PresetName }) {
  const { t } = useI18n();
  const signed = results.filter((r) => r.ok).length;
  const skipped = results.filter((r) => !r.ok && r.skipped).length;
  const failed = results.length - signed - skipped;
  return (
    <section className="card" aria-labelledby="sign-files-summary" data-testid="sign-files-summary">
      <h2 id="sign-files-summary">{signed === 0 && failed > 0 ? t("signFiles.failedAll") : t("signFiles.summary")}</h2>
      <p data-testid="sign-files-counts">{t("signFiles.summaryCounts", { signed, failed, skipped })}</p>
      <ul className="list item-results">
        {results.map((result) => (
          <li key={result.path} data-testid="sign-files-result" data-ok={result.ok ? "true" : "false"}>
            <bdi className="signed-name">{baseName(result.path)}</bdi>:{" "}
            {result.ok ? (
              <span className="ok">{t("signFiles.signedAs", { name: baseName(result.output) })}</span>
            ) : result.skipped ? (
              <span className="muted">{t("signFiles.skipped")}</span>
            ) : (
              <span className="error">
                {t("signFiles.failed")}: {result.error.message}
                {fixFor(result.error.code, preset, t)}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The user's stamp images for one certificate (Decree 30/2020 leader and seal presets): upload, preview, remove.
 * The core checks every PNG (stamps/png-check.ts) and keeps it per certificate; nothing here leaves the machine.
 */
import { useState, type ChangeEvent } from "react";
import type { StampImageKind, StampImagesView } from "../../../main/domain/stamp-images.js";
import { useI18n } from "../i18n/index.js";
import { api, errorMessage } from "../kyso.js";
import { useApiRead } from "../use-api.js";
import { Loaded } from "../components/loaded.js";
import { fileToBase64 } from "../verify/file-bytes.js";

const DEFAULT_SEAL_MM = 40;

function StampImageRow({ fingerprint, kind, images, onChange }: { fingerprint: string; kind: StampImageKind; images: StampImagesView; onChange: (v: StampImagesView) => void }) {
  const { t } = useI18n();
  const [diameter, setDiameter] = useState(images.seal?.diameterMm ?? DEFAULT_SEAL_MM);
  const [error, setError] = useState<string | undefined>();
  const image = images[kind];
  const run = (work: Promise<StampImagesView>): void => {
    setError(undefined);
    work.then(onChange, (e: unknown) => setError(errorMessage(e)));
  };
  const upload = (event: ChangeEvent<HTMLInputElement>): void => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    run(fileToBase64(file).then((base64) => api().invoke("stampImages.set", { fingerprint, kind, base64, ...(kind === "seal" ? { diameterMm: diameter } : {}) })));
  };
  return (
    <div className="stamp-image" data-testid={`stamp-image-${kind}`}>
      <p>{t(`stamps.kind.${kind}`)}</p>
      {image ? (
        <p>
          <img src={`data:image/png;base64,${image.base64}`} alt={t(`stamps.kind.${kind}`)} style={{ maxWidth: 160, maxHeight: 80 }} />{" "}
          <span className="muted">
            {image.diameterMm !== undefined
              ? t("stamps.sealSize", { width: image.width, height: image.height, diameter: image.diameterMm })
              : t("stamps.size", { width: image.width, height: image.height })}
          </span>{" "}
          <button type="button" onClick={() => run(api().invoke("stampImages.remove", { fingerprint, kind }))}>
            {t("stamps.remove")}
          </button>
        </p>
      ) : (
        <p className="muted">{t("stamps.none")}</p>
      )}
      {kind === "seal" ? (
        <label>
          {t("stamps.diameter")}{" "}
          <input type="number" min={20} max={60} step={0.5} value={diameter} onChange={(e) => setDiameter(Number(e.target.value))} />
        </label>
      ) : null}{" "}
      <label>
        {t("stamps.upload")} <input type="file" accept="image/png" onChange={upload} data-testid={`stamp-upload-${kind}`} />
      </label>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function StampImagesSection({ fingerprint }: { fingerprint: string }) {
  const { t } = useI18n();
  const { state } = useApiRead(() => api().invoke("stampImages.get", { fingerprint }));
  const [latest, setLatest] = useState<StampImagesView | undefined>();
  return (
    <details data-testid="stamp-images">
      <summary>{t("stamps.heading")}</summary>
      <p className="muted">{t("stamps.help")}</p>
      <Loaded state={state}>
        {(loaded) => (
          <>
            {(["signature", "seal"] as const).map((kind) => (
              <StampImageRow key={kind} fingerprint={fingerprint} kind={kind} images={latest ?? loaded} onChange={setLatest} />
            ))}
          </>
        )}
      </Loaded>
    </details>
  );
}

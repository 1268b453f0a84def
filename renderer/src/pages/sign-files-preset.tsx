/**
 * The Decree 30/2020 preset of "Sign files" and the fields it uses (docs/presets.md): appendix the document number,
 * copy the copy kind and the organisation, seal and leader an image. The leader's place is found in the text layer
 * (the authority line, or a default spot), so nothing is picked on the page. The seal's and the leader's image (and
 * the seal's diameter) normally come from the images the user keeps in KySo for the certificate that signs
 * (Certificates page): the core puts them in, and refuses the preset where neither it nor this page gives one. The
 * page does not know that certificate (the approval picks it), so an image chosen here is only a fallback for a
 * certificate without a stored one (the stored image wins).
 */
import type { ChangeEvent } from "react";
import type { PresetOptions } from "../../../main/core/signing/request.js";
import { useI18n, type MessageKey } from "../i18n/index.js";

export type PresetName = PresetOptions["name"];
export type CopyKind = NonNullable<PresetOptions["copyKind"]>;

export interface PresetForm {
  readonly name: PresetName;
  readonly documentNumber: string;
  readonly copyKind: CopyKind;
  readonly organisation: string;
  /** base64 of the chosen PNG or JPEG (seal, leader): used only when the certificate has no stored image. */
  readonly image?: string;
  readonly sealDiameterMm: string;
}

export const INITIAL_FORM: PresetForm = { name: "appendix", documentNumber: "", copyKind: "sao-y", organisation: "", sealDiameterMm: "" };

const PRESETS: readonly PresetName[] = ["appendix", "copy", "income", "seal", "leader"];
const COPY_KINDS: readonly CopyKind[] = ["sao-y", "sao-luc", "trich-sao"];

/** The preset options for `files.sign`, or the label of the first field still missing. */
export function presetOptions(form: PresetForm): { ok: true; preset: PresetOptions } | { ok: false; missing: MessageKey } {
  switch (form.name) {
    case "appendix":
      return form.documentNumber.trim() ? { ok: true, preset: { name: "appendix", documentNumber: form.documentNumber.trim() } } : { ok: false, missing: "signFiles.documentNumber" };
    case "income": {
      // The received number is optional: many offices number the receipt later in their register.
      const documentNumber = form.documentNumber.trim();
      return { ok: true, preset: { name: "income", ...(documentNumber ? { documentNumber } : {}) } };
    }
    case "copy":
      return form.organisation.trim()
        ? { ok: true, preset: { name: "copy", copyKind: form.copyKind, organisation: form.organisation.trim() } }
        : { ok: false, missing: "signFiles.organisation" };
    case "seal": {
      // No diameter typed: the stored seal's own diameter (the core's), else the core refuses with its message.
      const typed = form.sealDiameterMm.trim();
      const diameter = Number(typed);
      if (typed && !(diameter >= 20 && diameter <= 60)) return { ok: false, missing: "signFiles.sealDiameter" };
      return { ok: true, preset: { name: "seal", ...(form.image ? { image: form.image } : {}), ...(typed ? { sealDiameterMm: diameter } : {}) } };
    }
    case "leader":
      return { ok: true, preset: { name: "leader", ...(form.image ? { image: form.image } : {}) } };
  }
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function PresetFields({ form, onChange, disabled }: { form: PresetForm; onChange: (form: PresetForm) => void; disabled: boolean }) {
  const { t } = useI18n();
  const set = (patch: Partial<PresetForm>) => onChange({ ...form, ...patch });
  const image = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) set({ image: await base64Of(file) });
  };
  return (
    <>
      <fieldset className="chooser" disabled={disabled}>
        <legend>{t("signFiles.preset")}</legend>
        {PRESETS.map((name) => (
          <label key={name} className="choice">
            <input
              type="radio"
              name="preset"
              value={name}
              checked={form.name === name}
              onChange={() => set({ name, image: undefined })}
              aria-describedby={`preset-help-${name}`}
            />
            <span className="choice-body">
              <span className="choice-title">{t(`preset.name.${name}`)}</span>
              <span className="muted" id={`preset-help-${name}`}>
                {t(`signFiles.presetHelp.${name}`)}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="sign-files-fields">
        {form.name === "appendix" || form.name === "income" ? (
          <label>
            {t("signFiles.documentNumber")}
            <input type="text" value={form.documentNumber} maxLength={100} disabled={disabled} onChange={(e) => set({ documentNumber: e.target.value })} aria-describedby="document-number-hint" />
            <span className="muted" id="document-number-hint">
              {t("signFiles.documentNumberHint")}
            </span>
          </label>
        ) : null}
        {form.name === "copy" ? (
          <>
            <label>
              {t("signFiles.copyKind")}
              <select value={form.copyKind} disabled={disabled} onChange={(e) => set({ copyKind: e.target.value as CopyKind })}>
                {COPY_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`signFiles.copyKind.${kind}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("signFiles.organisation")}
              <input type="text" value={form.organisation} maxLength={200} disabled={disabled} onChange={(e) => set({ organisation: e.target.value })} />
            </label>
          </>
        ) : null}
        {form.name === "seal" || form.name === "leader" ? (
          <>
            <p className="muted" id="stored-image-hint">
              {t("signFiles.storedImageHint")}
            </p>
            <label>
              {t(`signFiles.image.${form.name}`)}
              <input type="file" accept="image/png,image/jpeg" disabled={disabled} onChange={(e) => void image(e)} aria-describedby="stored-image-hint" />
            </label>
          </>
        ) : null}
        {form.name === "seal" ? (
          <label>
            {t("signFiles.sealDiameter")}
            <input type="number" min={20} max={60} step={0.5} value={form.sealDiameterMm} disabled={disabled} onChange={(e) => set({ sealDiameterMm: e.target.value })} />
          </label>
        ) : null}
      </div>
    </>
  );
}

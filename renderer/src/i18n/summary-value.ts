/**
 * Words and formats one field of an XML summary (main/domain/document-description.ts `XmlSummaryValue`): the core
 * read raw values, the UI language decides how they read (`11.000.000 ₫` / `VND 11,000,000`, `20/04/2025` /
 * `20 Apr 2025`, "Quý 1/2025" / "Quarter 1/2025").
 */
import type { XmlSummaryField, XmlSummaryValue } from "../../../main/domain/document-description.js";
import type { Formatter } from "./format.js";
import type { MessageKey, Translate } from "./index.js";

export function summaryLabel(field: XmlSummaryField, t: Translate): string {
  return t(`doc.field.${field.field}` satisfies MessageKey);
}

export function summaryValue(value: XmlSummaryValue, t: Translate, format: Formatter): string {
  switch (value.type) {
    case "text":
      return value.truncated ? t("doc.truncated", { text: value.text }) : value.text;
    case "taxCode":
      return value.taxCode;
    case "date":
      return format.date(value.date);
    case "amount":
      return format.amount(value.amount, value.currency);
    case "count":
      return format.number(value.count);
    case "taxPeriod":
      return t(`doc.period.${value.unit}` satisfies MessageKey, { period: value.period });
    case "taxForm":
      return [value.code, value.name].filter(Boolean).join(" – ");
  }
}

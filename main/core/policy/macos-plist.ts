/**
 * The machine policy from a macOS configuration profile: the managed preferences of domain `vn.kyso.app`, which
 * macOS writes to `/Library/Managed Preferences/vn.kyso.app.plist`. `plutil` converts it to XML; this turns the XML
 * into the same JSON a policy file holds, so one validator checks both. Keys are the policy's keys; a `Policy`
 * string holds the whole JSON document instead (never both, as in the registry form).
 */
import { DOMParser, type Element } from "@xmldom/xmldom";
import { PolicyFileError } from "./load-policy.js";

const LOCATION = "/Library/Managed Preferences/vn.kyso.app.plist";

/** The plist's policy as JSON text, or undefined when its dictionary is empty. */
export function plistPolicy(xml: string): string | undefined {
  const problems: string[] = [];
  let document;
  try {
    document = new DOMParser({ onError: (level, message) => void (level !== "warning" && problems.push(message)) }).parseFromString(xml, "text/xml");
  } catch (error) {
    // xmldom throws for fatal errors after reporting them.
    throw new PolicyFileError(LOCATION, [...problems, (error as Error).message].slice(0, 1));
  }
  const root = firstElement(document.documentElement);
  if (problems.length > 0 || document.documentElement?.tagName !== "plist" || root?.tagName !== "dict") {
    throw new PolicyFileError(LOCATION, problems.length > 0 ? problems : ["not a property list holding a dictionary"]);
  }
  const value = plistValue(root) as Record<string, unknown>;
  // Profile tools add their own bookkeeping keys to the payload; they are not policy.
  for (const key of Object.keys(value)) if (key.startsWith("Payload")) delete value[key];
  if (Object.keys(value).length === 0) return undefined;
  if (typeof value.Policy === "string") {
    if (Object.keys(value).length > 1) throw new PolicyFileError(LOCATION, ['the "Policy" JSON string and separate keys are both set: use one form']);
    return value.Policy;
  }
  return JSON.stringify(value);
}

function elements(parent: Element): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) out.push(node as Element);
  return out;
}

function firstElement(parent: Element | null | undefined): Element | undefined {
  return parent ? elements(parent)[0] : undefined;
}

function plistValue(element: Element): unknown {
  const text = element.textContent ?? "";
  switch (element.tagName) {
    case "dict": {
      const children = elements(element);
      const dict: Record<string, unknown> = {};
      for (let i = 0; i + 1 < children.length; i += 2) dict[children[i]!.textContent ?? ""] = plistValue(children[i + 1]!);
      return dict;
    }
    case "array":
      return elements(element).map(plistValue);
    case "true":
      return true;
    case "false":
      return false;
    case "integer":
    case "real":
      return Number(text);
    default:
      // string, date, data: the policy has no dates or binary values, so their text lets the validator name the key.
      return text;
  }
}

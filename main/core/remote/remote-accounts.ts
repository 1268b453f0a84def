/**
 * The settings page's remote accounts (app-api `remote.status`, `remote.signIn`, `remote.signOut`): the providers
 * the machine policy configures, the user's account id at each, and for CSC the browser sign-in. A sign-in starts
 * only here, on the user's click, never from a page's request; it is refused before the browser opens when the
 * machine has no secure store for the tokens (`secret_store_unavailable`), so the user is not sent through a
 * sign-in whose result would be thrown away.
 */
import { KysoError } from "../../domain/errors/index.js";
import type { RemoteAccountSetting, RemoteAccountsView, RemoteProviderView } from "../app-api/views.js";
import type { RemoteProviderPolicy } from "../policy/policy-schema.js";
import { CscProvider } from "./csc.js";
import type { SecretStoreStatus } from "./os-secret-store.js";
import type { RemoteProvider } from "./types.js";

export interface RemoteAccounts {
  status(): Promise<RemoteAccountsView>;
  signIn(providerId: string): Promise<RemoteAccountsView>;
  signOut(providerId: string): Promise<RemoteAccountsView>;
}

export interface RemoteAccountsOptions {
  readonly providers: readonly RemoteProviderPolicy[];
  /** The source's clients by provider id (remote-source.ts `clients`); absent: no provider configured. */
  readonly clients?: ReadonlyMap<string, RemoteProvider>;
  readonly accounts: () => Readonly<Record<string, RemoteAccountSetting>>;
  readonly secretStoreStatus?: () => SecretStoreStatus;
  /** After a sign-in: the account's credentials are listed again. */
  readonly changed?: () => void;
  /** After a sign-out: the account's credentials leave the list. */
  readonly signedOut?: (providerId: string) => void;
}

const KIND_NAMES: Record<RemoteProviderPolicy["kind"], string> = { "vnpt-smartca": "VNPT SmartCA", neac: "NEAC eSign", csc: "CSC", "viettel-mysign": "Viettel MySign" };

export function createRemoteAccounts(options: RemoteAccountsOptions): RemoteAccounts {
  const running = new Map<string, Promise<void>>();
  const csc = (providerId: string): CscProvider => {
    const client = options.clients?.get(providerId);
    if (!(client instanceof CscProvider)) throw new KysoError("not_found", "no CSC provider with this id in the policy");
    return client;
  };
  const storeStatus = (): SecretStoreStatus => options.secretStoreStatus?.() ?? { kind: "memory" };

  const status = async (): Promise<RemoteAccountsView> => {
    const accounts = options.accounts();
    const providers: RemoteProviderView[] = [];
    for (const policy of options.providers) {
      const client = options.clients?.get(policy.id);
      const signIn = client instanceof CscProvider ? await client.signInStatus() : undefined;
      providers.push({
        id: policy.id,
        name: policy.name ?? KIND_NAMES[policy.kind],
        kind: policy.kind,
        ...(accounts[policy.id] ? { userId: accounts[policy.id]!.userId } : {}),
        ...(signIn
          ? { signIn: { signedIn: signIn.signedIn, ...(signIn.expiresAt !== undefined ? { expiresAt: new Date(signIn.expiresAt).toISOString() } : {}), ...(signIn.refreshable !== undefined ? { refreshable: signIn.refreshable } : {}) } }
          : {}),
      });
    }
    return { secretStore: storeStatus(), providers };
  };

  return {
    status,
    async signIn(providerId) {
      const client = csc(providerId);
      const store = storeStatus();
      if (store.kind === "unavailable") throw new KysoError("secret_store_unavailable", `no OS secret store (${store.reason})`);
      // One browser sign-in per provider at a time: a second click waits for the first.
      let pending = running.get(providerId);
      if (!pending) {
        pending = client.signIn().finally(() => running.delete(providerId));
        running.set(providerId, pending);
      }
      await pending;
      options.changed?.();
      return status();
    },
    async signOut(providerId) {
      await csc(providerId).signOut();
      options.signedOut?.(providerId);
      return status();
    },
  };
}

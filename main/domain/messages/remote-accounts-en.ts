/**
 * English words of the settings page's remote signing accounts section (renderer/src/pages/remote-accounts-section.tsx):
 * the providers the machine policy configures, the account id, the CSC sign-in, the secret store guidance.
 */
export const remoteAccountsEn = {
  "remoteAccounts.heading": "Remote signing accounts",
  "remoteAccounts.note": "Your organisation configures these signing services. Enter your account id (CCCD, tax code or the id the provider gave you); KySo never asks for or keeps your password.",
  "remoteAccounts.none": "Your organisation has not configured any remote signing service.",
  "remoteAccounts.kind.csc": "Cloud Signature Consortium (CSC)",
  "remoteAccounts.kind.vnpt-smartca": "VNPT SmartCA",
  "remoteAccounts.kind.neac": "NEAC eSign",
  "remoteAccounts.kind.viettel-mysign": "Viettel MySign",
  "remoteAccounts.userId": "Account id at {provider}",
  "remoteAccounts.save": "Save",
  "remoteAccounts.remove": "Remove account",
  "remoteAccounts.saved": "Saved.",
  "remoteAccounts.signedIn": "Signed in until {time}",
  "remoteAccounts.signedInRenews": "Signed in (renewed automatically; current access until {time})",
  "remoteAccounts.signedOut": "Not signed in",
  "remoteAccounts.signIn": "Sign in",
  "remoteAccounts.signingIn": "Finish signing in in your browser…",
  "remoteAccounts.signOut": "Sign out",
  "remoteAccounts.browserDone": "KySo: you are signed in. You can close this window.",
  "remoteAccounts.browserFailed": "KySo: signing in did not succeed. Go back to KySo and try again.",
  "remoteAccounts.storeMemory": "Sign-ins are kept only until KySo quits.",
  "remoteAccounts.storeUnavailable": "This computer has no secure secret store, so KySo cannot keep a sign-in.",
  "remoteAccounts.storeFix.basic-text": "On Linux, install and unlock a keyring (GNOME Keyring or KWallet), then restart KySo.",
  "remoteAccounts.storeFix.no-encryption": "Turn on the operating system's credential store (Keychain, Windows Credential Manager or a Linux keyring), then restart KySo.",
} as const;

export type RemoteAccountsMessageKey = keyof typeof remoteAccountsEn;

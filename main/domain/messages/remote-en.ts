/**
 * English words of remote signing accounts (ký số từ xa) in the approval: the phone step and the note that no PIN
 * is typed. Kept apart from en.ts to keep each file short; merged into the one catalogue by en.ts.
 */
export const remoteEn = {
  "remote.noPin": "No PIN here: you confirm on your phone in the {provider} app after you press Sign.",
  "remote.sending": "Sending the request to {provider}…",
  "remote.waitingHeading": "Confirm on your phone",
  "remote.waitingExplain": "Open the {provider} app on your phone and confirm this request.",
  "remote.sent": "The request shows: “{description}” from {origin}",
  "remote.countdown": "Time left to confirm: {time}",
  "remote.expired": "The time to confirm is up.",
  "remote.quota": "The signature counts against your signing quota at {provider}.",
  "remote.confirmed": "Confirmed on your phone. Finishing the signature…",
  "remote.otpHeading": "Enter the OTP",
  "remote.otpExplain": "{provider} asks for a one-time code (OTP) to authorize this signature. Type it here, in KySo's window only.",
  "remote.otpLabel": "OTP",
  "remote.otpSend": "Sign with this OTP",
  "remote.cancel": "Cancel",
} as const;

export type RemoteMessageKey = keyof typeof remoteEn;

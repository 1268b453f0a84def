/**
 * Electron fuses flipped into the packaged binary (https://www.electronjs.org/docs/latest/tutorial/fuses): features
 * KySo never uses are switched off so nobody can turn the signed app into a general Node runtime or load code from
 * outside its ASAR. `strictlyRequireAllFuses` makes packaging fail when an Electron upgrade adds a fuse nobody decided.
 */
const { FuseV1Options, FuseVersion } = require("@electron/fuses");

/** @returns {import("@electron/fuses").FuseV1Config} */
function kysoFuses() {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // `ELECTRON_RUN_AS_NODE=1 KySo` would run any script with the app's identity (and its TCC/keychain grants).
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // The ASAR is checked against the hash in the signed binary (macOS, Windows); with OnlyLoadAppFromAsar a
    // replaced `app/` folder beside it is not loaded either.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The renderer is served from KySo's own scheme, never file://.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

module.exports = { kysoFuses };

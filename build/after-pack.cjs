/**
 * electron-builder afterPack hook: flips KySo's fuses (fuses.cjs) right after packing, before signing, as
 * electron-builder's own fuse step does, but with `strictlyRequireAllFuses`.
 *
 * The offline packaging test packs a stand-in Electron folder (no Electron binary can be downloaded there) and sets
 * KYSO_PACKAGE_STANDIN=1: a stand-in has no fuse wire to flip, so only then is the step skipped, loudly.
 */
const { kysoFuses } = require("./fuses.cjs");

exports.default = async function afterPack(context) {
  if (process.env.KYSO_PACKAGE_STANDIN === "1") {
    console.log("kyso after-pack: stand-in Electron, fuses not flipped (KYSO_PACKAGE_STANDIN=1)");
    return;
  }
  await context.packager.addElectronFuses(context, kysoFuses());
};

#!/bin/sh
# deb postinst / rpm %post (electron-builder afterInstall). Per-machine install: start KySo in the tray for every
# user at login, as the per-user "start at login" setting would, register the kyso:// handler, then the machine
# step (`kyso --machine-install`, main/core/deploy/machine-install.ts): the machine's local certificate with its
# name-constrained CA in the system store, and the browser policies when /etc/kyso/policy.json says
# "browserPolicy": "write". It runs on every install and upgrade (idempotent) and never fails the package.
set -e
APP_DIR="/opt/KySo"
if [ -d /etc/xdg/autostart ] && [ -f /usr/share/applications/kyso.desktop ]; then
  sed -e "s|^Exec=.*|Exec=\"$APP_DIR/kyso\" --hidden %U|" /usr/share/applications/kyso.desktop > /etc/xdg/autostart/kyso.desktop
fi
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
# The token host loads PKCS#11 drivers through pcscd; start it when present (a Recommends, not a Depends).
if command -v systemctl >/dev/null 2>&1 && systemctl list-unit-files pcscd.socket >/dev/null 2>&1; then
  systemctl enable --now pcscd.socket >/dev/null 2>&1 || true
fi
# Electron as root needs --no-sandbox; no display exists during a package install, hence the headless platform.
if [ -x "$APP_DIR/kyso" ]; then
  "$APP_DIR/kyso" --machine-install --no-sandbox --ozone-platform=headless --disable-gpu || echo "kyso: the machine step failed; run $APP_DIR/kyso --machine-install --no-sandbox --ozone-platform=headless as root" >&2
fi
exit 0

#!/bin/sh
# deb postinst / rpm %post (electron-builder afterInstall). Per-machine install: start KySo in the tray for every
# user at login, as the per-user "start at login" setting would, and register the kyso:// handler.
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
exit 0

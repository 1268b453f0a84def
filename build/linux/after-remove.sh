#!/bin/sh
# deb postrm / rpm %postun (electron-builder afterRemove): remove what after-install.sh wrote, and make sure no KySo
# is left listening. The machine policy in /etc/kyso is the admin's file and stays (as dpkg keeps conffiles).
set -e
rm -f /etc/xdg/autostart/kyso.desktop
if command -v pkill >/dev/null 2>&1; then pkill -x kyso >/dev/null 2>&1 || true; fi
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
exit 0

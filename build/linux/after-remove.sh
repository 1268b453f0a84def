#!/bin/sh
# deb postrm / rpm %postun (electron-builder afterRemove): remove what after-install.sh wrote, and make sure no KySo
# is left listening. The machine step was undone by before-remove.sh; /var/lib/kyso is removed here too in case
# that step could not run. The machine policy in /etc/kyso is the admin's file and stays (as dpkg keeps conffiles).
set -e
case "$1" in
  upgrade|1) exit 0 ;;
esac
rm -f /etc/xdg/autostart/kyso.desktop
rm -rf /var/lib/kyso
if command -v pkill >/dev/null 2>&1; then pkill -x kyso >/dev/null 2>&1 || true; fi
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
exit 0

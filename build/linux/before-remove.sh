#!/bin/sh
# deb prerm / rpm %preun (fpm --before-remove, electron-builder.yml): while the binary is still there, undo the
# machine step (`kyso --machine-uninstall`): the CA leaves the system store, the browser policies KySo wrote are
# removed (exactly those, from /var/lib/kyso/machine-install.json), and /var/lib/kyso goes. Not on upgrade (deb
# "upgrade", rpm $1 = 1): the new version's postinst keeps what is still good.
set -e
APP_DIR="/opt/KySo"
case "$1" in
  remove|0)
    if [ -x "$APP_DIR/kyso" ]; then
      "$APP_DIR/kyso" --machine-uninstall --no-sandbox --ozone-platform=headless --disable-gpu || echo "kyso: the machine uninstall step failed" >&2
    fi
    ;;
esac
exit 0

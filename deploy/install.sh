#!/bin/sh
# Installs parkwatch as a systemd service (README.md, "Deploy"). As root, from the repository,
# after `make build`:
#   deploy/install.sh
# Running it again upgrades the binary and the unit, restarts the service, and keeps the
# configuration, the rules and the tokens as they are.
#   ROOT=DIR        install under DIR instead of / (a package build; the test suite), the paths
#                   in the installed parkwatch.yml moved there too; no systemctl then (the user
#                   is still the host's: file ownership needs one)
#   PARKWATCH_BIN   the binary to install (default build/release/parkwatch)
#   PARKWATCH_USER  the service's user and group (default parkwatch, as the unit says)
set -eu
cd "$(dirname "$0")/.."
ROOT=${ROOT:-}
BIN=${PARKWATCH_BIN:-build/release/parkwatch}
SVC=${PARKWATCH_USER:-parkwatch}
[ "$(id -u)" = 0 ] || { echo "deploy/install.sh: run as root" >&2; exit 1; }
[ -x "$BIN" ] || { echo "deploy/install.sh: no $BIN (make build first)" >&2; exit 1; }

# 1. The service's own user and group, system accounts without a login.
getent passwd "$SVC" >/dev/null ||
  useradd --system --user-group --home-dir /var/lib/parkwatch --no-create-home \
    --shell /usr/sbin/nologin "$SVC"

# 2. The binary and the unit.
install -D -m 0755 "$BIN" "$ROOT/usr/local/bin/parkwatch"
install -d -m 0755 "$ROOT/etc/systemd/system"
sed "s/^User=parkwatch\$/User=$SVC/; s/^Group=parkwatch\$/Group=$SVC/" \
  deploy/systemd/parkwatch.service >"$ROOT/etc/systemd/system/parkwatch.service"
chmod 0644 "$ROOT/etc/systemd/system/parkwatch.service"

# 3. Configuration and rules: root's, readable by the service's group and nobody else (the
#    configuration can hold receivers' passwords, rules name enterprises). Kept if present.
install -d -m 0755 "$ROOT/etc/parkwatch"
install -d -m 0750 -o root -g "$SVC" "$ROOT/etc/parkwatch/rules"
if [ ! -e "$ROOT/etc/parkwatch/parkwatch.yml" ]; then
  sed "s#/etc/parkwatch#$ROOT/etc/parkwatch#g; s#/var/lib/parkwatch#$ROOT/var/lib/parkwatch#g" \
    deploy/parkwatch.yml >"$ROOT/etc/parkwatch/.parkwatch.yml.new"
  install -m 0640 -o root -g "$SVC" "$ROOT/etc/parkwatch/.parkwatch.yml.new" \
    "$ROOT/etc/parkwatch/parkwatch.yml"
  rm "$ROOT/etc/parkwatch/.parkwatch.yml.new"
fi
for rules in deploy/rules/*.yml; do
  [ -e "$ROOT/etc/parkwatch/rules/${rules##*/}" ] ||
    install -m 0640 -o root -g "$SVC" "$rules" "$ROOT/etc/parkwatch/rules/"
done

# 4. The ingest and admin tokens parkwatch.yml names, random, made by parkwatch itself: 0640 in
#    a root:$SVC 0750 directory, so they take the service's group. Existing ones are kept.
install -d -m 0750 -o root -g "$SVC" "$ROOT/etc/parkwatch/secrets"
"$ROOT/usr/local/bin/parkwatch" secrets --dir="$ROOT/etc/parkwatch/secrets"

# 5. The state directory: the store and the inbox (the unit's StateDirectory= makes it too).
install -d -m 0750 -o "$SVC" -g "$SVC" "$ROOT/var/lib/parkwatch" "$ROOT/var/lib/parkwatch/inbox"

# 6. The configuration checked as the service will read it, by its user; then (re)start.
setpriv --reuid="$SVC" --regid="$SVC" --clear-groups \
  "$ROOT/usr/local/bin/parkwatch" check-config "$ROOT/etc/parkwatch/parkwatch.yml"
if [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable parkwatch
  systemctl restart parkwatch
  echo "parkwatch is running: systemctl status parkwatch; logs: journalctl -u parkwatch"
fi

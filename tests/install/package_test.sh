#!/usr/bin/env bash
# package_test.sh BUILD_DIR — the README's install section, checked the way
# CI can without touching the machine: builds the Debian package with CPack
# from BUILD_DIR, reads its control data (dependencies, conffile, postinst),
# unpacks it into a clean folder tree, runs the unpacked binary (it must
# find its own data beside itself, not the source tree's), scans a seed with
# the unpacked data, and verifies the systemd unit with systemd-analyze.
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "package_test: FAIL: $*" >&2; exit 1; }

# 1. The package, as the README builds it.
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$work"/pkg/dragnet_*.deb 2>/dev/null | head -n 1)
[[ -n "$deb" ]] || { ls -R "$work/pkg" >&2; fail "no dragnet_*.deb"; }
echo "package_test: built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# 2. Control data.
info=$(dpkg-deb --info "$deb")
grep -q '^ Package: dragnet$' <<<"$info" || fail "Package field: $info"
depends=$(dpkg-deb --field "$deb" Depends)
for lib in libcurl4 libgumbo libmaxminddb libhiredis libsqlite3; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -x -C "$work" -f - ./conffiles ./postinst ||
  fail "control archive lacks conffiles or postinst"
grep -qx '/etc/dragnet/dragnet.toml' "$work/conffiles" || fail "conffiles: $(cat "$work/conffiles")"
grep -q 'adduser --system' "$work/postinst" || fail "postinst does not create the dragnet user"
sh -n "$work/postinst" || fail "postinst is not valid sh"

# 3. Unpacked into a clean tree: the files where the README says.
root="$work/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/dragnet usr/share/dragnet/rules.toml usr/share/dragnet/brands.toml \
         usr/share/dragnet/templates/en/body.txt usr/share/dragnet/rdap/dns.json \
         usr/share/dragnet/web/templates/layout.mustache \
         etc/dragnet/dragnet.toml lib/systemd/system/dragnet.service \
         usr/share/doc/dragnet/README.md usr/share/doc/dragnet/examples/dragnet.example.toml; do
  [[ -e "$root/$f" ]] || fail "missing /$f"
done
[[ ! -e "$root/usr/share/dragnet/dragnet.example.toml" ]] || fail "the example config is data"

# 4. The unpacked binary runs and reads its own data.
version=$("$root/usr/bin/dragnet" version)
grep -q "^data: $root/usr/share/dragnet$" <<<"$version" || fail "data folder: $version"
mkdir -p "$work/state"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat >"$work/dragnet.toml" <<TOML
[general]
state_dir = "$work/state"
[crawl]
allow_private = true
resolve = ["closed.test:$port:127.0.0.1"]
[browser]
enabled = false
TOML
set +e
out=$("$root/usr/bin/dragnet" --config "$work/dragnet.toml" scan --json --no-locate --no-report \
      "http://closed.test:$port/" 2>"$work/scan.err")
rc=$?
set -e
[[ $rc -eq 0 || $rc -eq 1 ]] || { cat "$work/scan.err" >&2; fail "scan exit $rc"; }
grep -q '"seed":"http://closed.test:'"$port"'/"' <<<"$out" || { cat "$work/scan.err" >&2; fail "scan output: $out"; }

# 5. The unit, verified by systemd-analyze with this machine's systemd
#    (targets, /bin/kill) and the unpacked binary in ExecStart's place.
unit="$root/lib/systemd/system/dragnet.service"
grep -q '^ExecStart=/usr/bin/dragnet ' "$unit" || fail "ExecStart"
mkdir -p "$work/unit"
sed "s#^ExecStart=/usr/bin/dragnet #ExecStart=$root/usr/bin/dragnet #" "$unit" >"$work/unit/dragnet.service"
if ! out=$(systemd-analyze verify "$work/unit/dragnet.service" 2>&1); then
  echo "$out" >&2
  fail "systemd-analyze verify"
fi
if [[ -n "$out" ]]; then
  echo "$out" >&2
  fail "systemd-analyze verify printed warnings"
fi
echo "package_test: ok"

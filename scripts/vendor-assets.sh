#!/usr/bin/env bash
# Refresh the browser assets kept in jingkai/web/static/vendor from the npm registry.
# They are committed: government networks are often offline and nothing may load from the internet.
set -euo pipefail
ECHARTS=6.1.0
HTMX=2.0.8
dest="$(cd "$(dirname "$0")/.." && pwd)/jingkai/web/static/vendor"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "echarts@$ECHARTS" "htmx.org@$HTMX" >/dev/null
tar xzf "echarts-$ECHARTS.tgz" package/dist/echarts.min.js package/LICENSE && mv package/dist/echarts.min.js "$dest/" && mv package/LICENSE "$dest/echarts.LICENSE" && rm -rf package
tar xzf "htmx.org-$HTMX.tgz" package/dist/htmx.min.js package/LICENSE && mv package/dist/htmx.min.js "$dest/" && mv package/LICENSE "$dest/htmx.LICENSE"
echo "echarts $ECHARTS, htmx.org $HTMX -> $dest"

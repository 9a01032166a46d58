#!/usr/bin/env bash
# Installs Jingkai from the offline bundle (make offline-bundle) into ./.venv, with no network:
#   tar xzf jingkai-offline-….tar.gz && cd jingkai-offline-… && bash install-offline.sh [TARGET_DIR]
# The Debian packages in debian-packages.txt come from the intranet's Debian mirror (apt-get install).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:-$PWD}"
missing=$(while read -r pkg; do dpkg -s "$pkg" >/dev/null 2>&1 || echo "$pkg"; done < "$here/debian-packages.txt")
[ -n "$missing" ] && echo "请先从内网 Debian 源安装：apt-get install $(echo $missing)" >&2
python3 -m venv "$target/.venv"
"$target/.venv/bin/pip" install --quiet --no-index --find-links "$here/wheels" -r "$here/requirements.lock"
"$target/.venv/bin/pip" install --quiet --no-index --no-deps --find-links "$here/wheels" jingkai
echo "已安装到 $target/.venv：$target/.venv/bin/jingkai migrate 后即可 jingkai serve --with-worker"

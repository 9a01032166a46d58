#!/usr/bin/env bash
# make offline-bundle: one archive in dist/ that installs Jingkai on an intranet machine without internet:
# every pinned wheel of the tested environment (.venv, `pip freeze`) for this platform, the project's own wheel
# (its web assets are vendored inside: jingkai/web/static/vendor), the Debian packages to install, and
# scripts/install-offline.sh. Building it needs PyPI; installing it needs nothing but the archive.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
version=$($PY -c 'import importlib.metadata as m; print(m.version("jingkai"))')
platform=$($PY -c 'import sysconfig; print(sysconfig.get_platform().replace("-", "_"))')
pyver=$($PY -c 'import sys; print(f"cp{sys.version_info.major}{sys.version_info.minor}")')
name="jingkai-offline-${version}-${pyver}-${platform}"
stage="dist/${name}"
rm -rf "$stage" && mkdir -p "$stage/wheels"
.venv/bin/pip freeze --exclude-editable | grep -v '^jingkai[= @]' > "$stage/requirements.lock"
# pip wheel: PyPI wheels as they are, and a wheel built here for the few that ship only sources (jieba)
.venv/bin/pip wheel --quiet --no-deps -r "$stage/requirements.lock" -w "$stage/wheels"
.venv/bin/pip wheel --quiet --no-deps . -w "$stage/wheels"
$PY -m jingkai.ops.bundle "$stage/requirements.lock" "$stage/wheels"
sed -n 's/^need+=(\(.*\))$/\1/p; s/.*|| need+=(\(.*\))$/\1/p' scripts/system-packages.sh | tr ' ' '\n' | sort -u > "$stage/debian-packages.txt"
cp scripts/install-offline.sh "$stage/"
tar -C dist -czf "dist/${name}.tar.gz" "$name"
rm -rf "$stage"
echo "离线安装包：dist/${name}.tar.gz（$(du -h "dist/${name}.tar.gz" | cut -f1)）"

"""The offline bundle's check: does a directory of wheels cover every pinned requirement (the lock written from
the tested environment, `pip freeze`), each at its pinned version? `make offline-bundle` refuses to pack a
bundle that does not. Run as `python -m jingkai.ops.bundle LOCK WHEELDIR`."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename


def pins(lock_lines: Iterable[str]) -> dict[str, str]:
    """{canonical name: version} of `name==version` lines (comments and blank lines skipped)."""
    found: dict[str, str] = {}
    for line in lock_lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        exact = [s.version for s in req.specifier if s.operator == "=="]
        if len(exact) != 1:
            raise ValueError(f"锁定文件中的依赖未固定版本：{line}")
        found[canonicalize_name(req.name)] = exact[0]
    return found


def missing_wheels(lock_lines: Iterable[str], wheel_names: Iterable[str]) -> list[str]:
    """The pins no wheel in `wheel_names` provides, as `name==version`."""
    have = set()
    for name in wheel_names:
        if name.endswith(".whl"):
            dist, version, _, _ = parse_wheel_filename(name)
            have.add((canonicalize_name(dist), str(version)))
    return [f"{n}=={v}" for n, v in sorted(pins(lock_lines).items()) if (n, v) not in have]


def main(argv: list[str]) -> int:
    lock, wheels = Path(argv[0]), Path(argv[1])
    missing = missing_wheels(lock.read_text().splitlines(), (p.name for p in wheels.iterdir()))
    if missing:
        print("离线安装包缺少以下依赖的 wheel：" + "，".join(missing), file=sys.stderr)
        return 1
    print(f"离线安装包覆盖全部 {len(pins(lock.read_text().splitlines()))} 个固定版本的依赖")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Zip each functions/<name>/ directory into build/<name>.zip for Terraform to upload.

The zips are byte-identical for identical code (fixed timestamps and permissions,
sorted entries), so `source_code_hash` changes only when the code does.
"""

import pathlib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
EPOCH = (1980, 1, 1, 0, 0, 0)


def main() -> None:
    build = ROOT / "build"
    build.mkdir(exist_ok=True)
    functions = ROOT / "functions"
    directories = sorted(p for p in functions.glob("*") if p.is_dir())
    for directory in directories:
        target = build / f"{directory.name}.zip"
        with zipfile.ZipFile(target, "w") as archive:
            for path in sorted(p for p in directory.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(path.relative_to(directory).as_posix(), EPOCH)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
        print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()

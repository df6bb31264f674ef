"""The EPUB container (OCF): a deterministic ZIP, written atomically.

EPUB 3.3 §4 (Open Container Format) asks for the ``mimetype`` entry first,
stored (not compressed), without extra field, holding exactly
``application/epub+zip``. Everything else is deflated.

Determinism: entries are written in a fixed order (``mimetype``,
``META-INF/container.xml``, then the package document, then every other file
by path), each with the same timestamp (:data:`ZIP_EPOCH`), the same
permissions and the same compression level, so two builds of the same
source are byte-identical.

Atomicity: the archive is written next to its destination under a temporary
name and renamed over it only when complete; a failed build leaves the
previous file (or nothing) at the output path, never a truncated one.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

MIMETYPE = b"application/epub+zip"
CONTAINER_PATH = "META-INF/container.xml"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest date a ZIP entry can carry: no clock time leaks into the file."""


def container_xml(package_path: str) -> bytes:
    """``META-INF/container.xml`` pointing to the package document."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
        "  <rootfiles>\n"
        f'    <rootfile full-path="{package_path}" media-type="application/oebps-package+xml"/>\n'
        "  </rootfiles>\n"
        "</container>\n"
    ).encode()


def entry_order(paths: list[str], package_path: str) -> list[str]:
    """The fixed order of entries after ``mimetype``."""
    first = [CONTAINER_PATH, package_path]
    return [p for p in first if p in paths] + sorted(p for p in paths if p not in first)


def _info(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = compress
    info.create_system = 3  # Unix, whatever machine builds it
    info.external_attr = 0o100644 << 16
    return info


def ocf_bytes(files: Mapping[str, bytes], package_path: str) -> bytes:
    """The EPUB archive of ``files`` (path in container → content) as bytes.

    ``files`` must not contain ``mimetype`` or ``META-INF/container.xml``:
    both are written here.
    """
    for reserved in ("mimetype", CONTAINER_PATH):
        if reserved in files:
            raise ValueError(f"{reserved} is written by the container, not passed in")
    members = dict(files)
    members[CONTAINER_PATH] = container_xml(package_path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(_info("mimetype", zipfile.ZIP_STORED), MIMETYPE)
        for name in entry_order(list(members), package_path):
            archive.writestr(_info(name, zipfile.ZIP_DEFLATED), members[name],
                             compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def write_atomically(data: bytes, target: Path) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

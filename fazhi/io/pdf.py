"""DOCX → PDF with LibreOffice headless (Debian's ``libreoffice-writer-nogui``, installed by ``make pdf-tools``).

Each conversion runs ``soffice --convert-to pdf`` in a temporary directory with this process's own LibreOffice
profile (two conversions at once in one profile corrupt it; one profile per process and a lock keep them apart)
and the fonts of ``fonts/fonts.conf`` (open fallbacks for 仿宋_GB2312, 方正小标宋简体 …). The caller gets the
whole PDF or an exception that says what is wrong — never a half-written file: the output is read only after
LibreOffice has exited, and a run past ``timeout`` is killed with its process group.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

FONTS_CONF = Path(__file__).with_name("fonts") / "fonts.conf"
DEFAULT_TIMEOUT = 120  # seconds: a first start of LibreOffice with a new profile takes a few seconds on 2 cores
_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice")
_lock = threading.Lock()


class PdfUnavailable(Exception):
    """LibreOffice is not installed: the DOCX is still there, the PDF cannot be made on this server."""


class PdfFailed(Exception):
    """LibreOffice ran but produced no PDF (timeout, a broken document)."""


def soffice_path() -> str | None:
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def available() -> bool:
    return soffice_path() is not None


def _profile_dir() -> Path:
    path = Path(tempfile.gettempdir()) / f"fazhi-lo-profile-{os.getuid()}-{os.getpid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def docx_to_pdf(data: bytes, *, timeout: int = DEFAULT_TIMEOUT) -> bytes:
    """The PDF of a .docx, as LibreOffice prints it. Raises ``PdfUnavailable`` or ``PdfFailed``."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable("LibreOffice (soffice) is not installed")
    with _lock, tempfile.TemporaryDirectory(prefix="fazhi-pdf-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(data)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": work, "LANG": "zh_CN.UTF-8",
               "SAL_USE_VCLPLUGIN": "svp"}
        command = [soffice, f"-env:UserInstallation=file://{_profile_dir()}", "--headless", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
                   "--outdir", work, str(source)]
        process = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE,  # noqa: S603
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfFailed(f"LibreOffice did not finish within {timeout} s") from None
        target = Path(work) / "document.pdf"
        if process.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            message = err.decode("utf-8", "replace").strip()[-300:] or f"exit status {process.returncode}"
            raise PdfFailed(f"LibreOffice produced no PDF: {message}")
        return target.read_bytes()

"""The ``fazhi`` console command.

Domain commands that need no database run without Django:
``fazhi doc clean|outline``, ``fazhi report check`` (Chinese text toolkit) and ``fazhi assess compute``
(scoring engine), ``fazhi sample draw|verify`` (reproducible sampling). Everything else is Django's management interface (``fazhi migrate``, ``fazhi runserver``,
``fazhi audit verify`` → ``audit_verify``, ``fazhi load_demo`` …).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

#: top-level word -> module exposing ``register(subparsers)``; these run without Django.
PURE_COMMANDS = {
    "doc": "fazhi.core.text.cli",
    "report": "fazhi.core.text.cli",
    "assess": "fazhi.core.scoring.cli",
    "sample": "fazhi.core.sampling_cli",
}
#: ``fazhi <group> <verb>`` spelled as a Django management command ``<group>_<verb>``.
DJANGO_GROUPS = {"audit"}


def _run_pure(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="fazhi", description="fazhi 法治政府建设督导考核平台")
    sub = parser.add_subparsers(dest="command", required=True)
    importlib.import_module(PURE_COMMANDS[argv[0]]).register(sub)
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


def _run_django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"fazhi: {exc}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    if len(argv) >= 2 and argv[0] in DJANGO_GROUPS:
        argv = [f"{argv[0]}_{argv[1].replace('-', '_')}", *argv[2:]]
    execute_from_command_line(["fazhi", *argv])
    return 0


def _audit_keygen(argv: list[str]) -> int:
    """``fazhi audit keygen PATH [--key-id ID]``: create the audit key file (mode 600) before the platform can
    start in production; refuses to overwrite an existing file (rotate with ``fazhi audit rotate-key``)."""
    from fazhi.audit.keyfile import KeyFileError, new_key_line

    parser = argparse.ArgumentParser(prog="fazhi audit keygen", description="create the audit key file")
    parser.add_argument("path")
    parser.add_argument("--key-id", default="k1")
    args = parser.parse_args(argv)
    try:
        line = new_key_line(args.key_id)
        fd = os.open(args.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        print(f"fazhi: {args.path} exists; rotate keys with `fazhi audit rotate-key`", file=sys.stderr)
        return 2
    except (KeyFileError, OSError) as exc:
        print(f"fazhi: {exc}", file=sys.stderr)
        return 2
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write("# fazhi audit keys: KEY_ID SECRET_HEX, the last line signs new rows. Keep a copy offline.\n")
        stream.write(line)
    print(f"wrote {args.path} (key {args.key_id}); set FAZHI_AUDIT_KEY_FILE={args.path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["audit", "keygen"]:
        return _audit_keygen(argv[2:])
    if argv and argv[0] in PURE_COMMANDS:
        return _run_pure(argv)
    return _run_django(argv)


if __name__ == "__main__":
    sys.exit(main())

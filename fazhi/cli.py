"""The ``fazhi`` console command.

Domain commands that need no database run without Django:
``fazhi doc clean|outline``, ``fazhi report check`` (Chinese text toolkit) and ``fazhi assess compute``
(scoring engine). Everything else is Django's management interface (``fazhi migrate``, ``fazhi runserver``,
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
        argv = [f"{argv[0]}_{argv[1]}", *argv[2:]]
    execute_from_command_line(["fazhi", *argv])
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PURE_COMMANDS:
        return _run_pure(argv)
    return _run_django(argv)


if __name__ == "__main__":
    sys.exit(main())

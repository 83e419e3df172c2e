"""The core is plain Python: importing all of it loads no Django (so it can be used and tested alone)."""

import subprocess
import sys

CODE = """
import sys
import fazhi.core.scoring, fazhi.core.scoring.cli, fazhi.core.scoring.synthetic
import fazhi.core.text, fazhi.core.text.cli
import fazhi.core.workdays
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(",".join(loaded))
"""


def test_core_imports_no_django():
    completed = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120,
                               env={"PATH": "/usr/bin:/bin"})
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == ""

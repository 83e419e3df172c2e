"""Demo issuer settings (机关代字) for the demo offices. Idempotent."""

from __future__ import annotations

from . import services
from .models import IssuerProfile

#: office username → (机关代字, 发文机关标志)
DEMO_PROFILES = {
    "office": ("豫法治办", "河南省法治政府建设领导小组办公室"),
    "office_zz": ("郑法治办", "郑州市法治政府建设领导小组办公室"),
    "office_xy": ("信法治办", "信阳市法治政府建设领导小组办公室"),
}


def load(*, units, people, stdout) -> None:
    done = 0
    for username, (code, mark) in DEMO_PROFILES.items():
        user = people.get(username)
        if user is None or user.unit_id is None or IssuerProfile.objects.filter(office_id=user.unit_id).exists():
            continue
        services.profile_save(user=user, office=user.unit, code=code, mark=mark, signature=mark, printer=mark)
        done += 1
    stdout.write(f"documents demo: issuer settings for {done} offices")

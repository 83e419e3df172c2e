"""In Chromium: a campaign's overview lists its units compactly, many to a line, each with its remove button.

With 73 units of one category the list used to put every unit (and its "、" and × button) on its own line — a
page over 5,000 px tall. Here the units must share lines and the whole page must stay short.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from fazhi.assessment.models import CampaignUnit
from fazhi.orgs.models import Level, Unit, UnitKind
from fazhi.testing.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_seventy_three_units_fit_in_a_few_lines(live_server, browser, campaign, units):
    extra = [Unit.objects.create(code=f"T{i:02d}", name=f"第{i}县人民政府", short_name=f"第{i}县",
                                 level=Level.COUNTY, kind=UnitKind.GOVERNMENT, parent=units["P"], category=1)
             for i in range(73 - 2)]  # C1 and C2 are category 1 already
    CampaignUnit.objects.bulk_create(CampaignUnit(campaign=campaign, unit=u, category=1) for u in extra)
    assert campaign.units.filter(category=1).count() == 73
    login(browser, live_server.url, "office", "pw-Secret-1")
    browser.get(f"{live_server.url}/assessment/campaigns/{campaign.pk}/")
    chips = browser.find_elements(By.CSS_SELECTOR, "ul.chips[data-category='1'] li.chip")
    assert len(chips) == 73
    tops = {round(c.rect["y"]) for c in chips}
    assert len(tops) <= 73 // 5, f"73 units take {len(tops)} lines"
    # each chip holds its name and its own remove button on the same line
    first = chips[0]
    button = first.find_element(By.CSS_SELECTOR, "button.chip-remove")
    assert abs(button.rect["y"] - first.find_element(By.TAG_NAME, "a").rect["y"]) < 12
    height = browser.execute_script("return document.documentElement.scrollHeight")
    assert height < 2000, f"the overview is {height} px tall"

"""In Chromium: the dashboard's map of Henan fits its box — every city, 信阳市 (the southernmost) included — on a
desktop screen and on a 375 px phone. (It used to clip 信阳市 at the bottom.)"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from fazhi.testing.browser import login, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Each city's bounding box in the chart's pixels, from the map's own GeoJSON (every coordinate converted).
BOUNDS = """
var c = fazhiDashboard.charts['chart-map'];
var out = {w: c.getWidth(), h: c.getHeight(), regions: {}};
echarts.getMap('henan').geoJSON.features.forEach(function (f) {
  var b = {left: 1e9, right: -1e9, top: 1e9, bottom: -1e9};
  function walk(a) {
    if (typeof a[0] === 'number') {
      var p = c.convertToPixel({seriesIndex: 0}, a);
      b.left = Math.min(b.left, p[0]); b.right = Math.max(b.right, p[0]);
      b.top = Math.min(b.top, p[1]); b.bottom = Math.max(b.bottom, p[1]);
    } else { a.forEach(walk); }
  }
  walk(f.geometry.coordinates);
  out.regions[f.properties.name] = b;
});
return out;
"""


@pytest.mark.parametrize("width", [1366, 375])
def test_every_city_is_inside_the_map_box(live_server, browser, small_plan, width):
    browser.set_window_size(width, 900)
    login(browser, live_server.url, "office", "pw-Secret-1")
    browser.get(f"{live_server.url}/plans/{small_plan.pk}/dashboard/")
    wait_until(browser, lambda d: d.find_element(By.ID, "chart-map").get_attribute("data-ready") == "1")
    found = browser.execute_script(BOUNDS)
    assert len(found["regions"]) == 18 and "信阳市" in found["regions"]
    outside = {name: {k: round(v) for k, v in b.items()} for name, b in found["regions"].items()
               if b["left"] < 0 or b["top"] < 0 or b["right"] > found["w"] or b["bottom"] > found["h"]}
    assert outside == {}, f"outside the {found['w']}×{found['h']} box: {outside}"

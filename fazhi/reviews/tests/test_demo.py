import io

from fazhi.reviews import demo
from fazhi.reviews.models import Feedback, Rectification, ReviewRequest


def test_demo_skips_without_assessment_demo(units, people):
    out = io.StringIO()
    demo.load(units=units, people=people, stdout=out)
    assert "skipped" in out.getvalue() and not Feedback.objects.exists()


def test_demo_loads_once(campaign, units, people):
    units["P"].is_demo = True
    units["P"].save()
    out = io.StringIO()
    demo.load(units=units, people=people, stdout=out)
    demo.load(units=units, people=people, stdout=out)
    assert Feedback.objects.filter(unit=units["C1"]).count() == 2
    assert ReviewRequest.objects.count() == 1 and Rectification.objects.count() == 1
    assert "already loaded" in out.getvalue()

"""Each petition's dashboard: counts, confirmation rate, a chart per day, countries, sources."""

import re
from datetime import timedelta

from campaign.signatures.charts import daily_series
from campaign.types import utcnow
from tests import factories
from tests.conftest import login


def test_the_dashboard_shows_the_figures_an_organiser_needs(client, organisation, petition,
                                                           viewer):
    now = utcnow()
    today = now.date()
    for days_ago, country, source, n in [(0, "FR", None, 3), (1, "AM", "partner-a", 5),
                                         (10, "AM", "newsletter", 2)]:
        for _n in range(n):
            factories.create_signature(petition, country=country, source=source,
                                       when=now - timedelta(days_ago))
    for _n in range(10):
        factories.create_signature(petition, state="pending")
    login(client, viewer)
    page = client.get(f"/o/{organisation.slug}/petitions/{petition.id}").get_data(as_text=True)
    stats = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))
    assert stats["Confirmed"] == "10"
    assert stats["Pending"] == "10"
    assert stats["Confirmation rate"] == "50%"
    assert "<svg" in page and 'role="img"' in page
    assert page.count("<rect ") == 60
    assert f"<title>{today.isoformat()}: 3</title>" in page
    assert re.search(r"<td>Armenia</td><td class=\"number\">7</td>", page)
    assert "partner-a" in page and "newsletter" in page
    assert "<script" not in page


def test_a_viewer_sees_figures_but_not_the_editing_actions(client, organisation, petition,
                                                          viewer):
    login(client, viewer)
    page = client.get(f"/o/{organisation.slug}/petitions/{petition.id}").get_data(as_text=True)
    assert "Edit</a>" not in page
    assert "Invalidate" not in page


def test_the_daily_series_has_a_zero_for_every_quiet_day():
    today = utcnow().date()
    series = daily_series({today.isoformat(): 4}, today, days=3)
    assert [count for _day, count in series] == [0, 0, 4]

"""The key pages of J1, J2 and J3 on a slow 3G link (400 kbit/s each way, 400 ms round trip),
on the demo territory, 360 px wide: each loads, shows its main heading, and stays within its
weight budget. Prints a table of requests and kB transferred per page, first visit and again.

Budget (per page, bytes on the wire, headers included), from the time a page takes at 400 kbit/s
(50 kB a second) plus its round trips, aiming at a page read within about 3 s on 3G:
- again, static files cached: 100 kB, 2 s of transfer. Most of our pages are 6-17 kB of HTML.
  A page that loads a new library or a large image on every visit breaks it.
- the teleconsultation booking page, again: 30 kB. It was the heaviest (about 95 kB: one
  <option> per free slot over the offer's 21 days); it now lists a week of days with free
  slots and the slots of one day only (17-23 kB of HTML on the demo's 8:00-20:00 offer, 48
  slots a day), so a return to one <option> per slot fails here.
- first visit, empty cache: 200 kB. htmx, our script and stylesheet, the logo and the page. The
  test settings serve static files uncompressed; production's WhiteNoise storage sends them
  compressed, about a third of the size, so this is an upper bound.
The rural areas Maillage is for often have only 3G, or a weak 4G that behaves like it.

The times are printed, never asserted (they depend on the machine); the pass conditions are
that each page loads and shows its content, the weights, and no request to another host
(checked by the browser_session fixture).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import CDPSession, expect

from maillage.accounts.models import User
from maillage.consultations.models import OnlineRequest
from maillage.operations.demo import build_demo_territory
from maillage.teleconsultation.models import Appointment, TeleconsultationOffer
from maillage.testing.browser import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms, added to each round trip
    "downloadThroughput": 400 * 1000 / 8,  # bytes per second
    "uploadThroughput": 400 * 1000 / 8,
}
FIRST_VISIT_BUDGET_KB = 200
CACHED_BUDGET_KB = 100
BOOKING_PAGE_PREFIX = "/teleconsultation/reserver/"
BOOKING_CACHED_BUDGET_KB = 30


@dataclass
class Traffic:
    """Bytes on the wire per request, from the DevTools protocol (what the radio carries)."""

    sizes: dict[str, int] = field(default_factory=dict)

    def on_finished(self, event: dict[str, Any]) -> None:
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def reset(self) -> None:
        self.sizes.clear()

    @property
    def requests(self) -> int:
        return sum(1 for size in self.sizes.values() if size > 0)

    @property
    def kilobytes(self) -> float:
        return sum(self.sizes.values()) / 1000


def _cached_budget(path: str) -> int:
    return BOOKING_CACHED_BUDGET_KB if path.startswith(BOOKING_PAGE_PREFIX) else CACHED_BUDGET_KB


def _throttle(session: BrowserSession) -> tuple[CDPSession, Traffic]:
    cdp = session.page.context.new_cdp_session(session.page)
    traffic = Traffic()
    cdp.on("Network.loadingFinished", traffic.on_finished)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    return cdp, traffic


def _load(session: BrowserSession, traffic: Traffic, path: str) -> tuple[int, float, float]:
    """Open `path`; return requests, kB transferred and seconds to DOMContentLoaded."""
    traffic.reset()
    page = session.page
    page.goto(f"{session.base_url}{path}", wait_until="domcontentloaded")
    expect(page.locator("main h1")).to_be_visible()
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    seconds: float = page.evaluate(
        "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd / 1000"
    )
    return traffic.requests, traffic.kilobytes, seconds


def test_journey_pages_load_on_slow_3g_within_their_weight_budget(
    browser_session: BrowserSession,
) -> None:
    # given the demo territory, its patient and her GP, on a throttled phone
    logins = {login.role: login.email for login in build_demo_territory()}
    patient = User.objects.get(email=logins["Patient"])
    gp = User.objects.get(email=logins["Médecin généraliste"])
    request = OnlineRequest.objects.filter(patient=patient).order_by("submitted_at").first()
    assert request is not None
    offer = TeleconsultationOffer.objects.get(doctor=gp)
    appointment = Appointment.objects.filter(patient=patient).order_by("-starts_at").first()
    assert appointment is not None
    pages = [
        ("J1", patient, "/sante/"),
        ("J1", patient, "/sante/mal-de-gorge/"),
        ("J1", patient, "/auto-evaluation/commencer/mal-de-gorge/"),
        ("J2", patient, "/demandes/nouvelle/"),
        ("J2", patient, f"/demandes/{request.public_id}/"),
        ("J2", gp, "/cabinet/demandes/"),
        ("J2", gp, f"/cabinet/demandes/{request.public_id}/"),
        ("J3", patient, "/teleconsultation/"),
        ("J3", patient, f"/teleconsultation/reserver/{offer.public_id}/"),
        ("J3", patient, f"/teleconsultation/rdv/{appointment.public_id}/"),
        ("J3", patient, "/teleconsultation/test-materiel/"),
        ("J3", gp, "/cabinet/teleconsultations/"),
    ]
    browser_session.page.set_viewport_size({"width": 360, "height": 740})
    browser_session.page.context.set_default_timeout(60_000)
    cdp, traffic = _throttle(browser_session)
    # when each page is opened twice: with an empty cache, then with its static files cached
    rows = []
    for journey, person, path in pages:
        browser_session.page.context.clear_cookies()
        browser_session.login_as(person)
        cdp.send("Network.clearBrowserCache")
        first = _load(browser_session, traffic, path)
        again = _load(browser_session, traffic, path)
        rows.append((journey, path, first, again))
    # then
    print("\nslow 3G (400 kbit/s, 400 ms RTT), 360 px")  # noqa: T201
    print(f"{'':3} {'page':58} {'first visit':>22} {'again (cached)':>22}")  # noqa: T201
    for journey, path, (n1, kb1, s1), (n2, kb2, s2) in rows:
        print(  # noqa: T201  # the report the issue asks for
            f"{journey:3} {path:58} {n1:3} req {kb1:6.1f} kB {s1:4.1f} s "
            f"{n2:3} req {kb2:6.1f} kB {s2:4.1f} s"
        )
    heavy = [
        f"{path}: {first[1]:.0f} kB first, {again[1]:.0f} kB again"
        for _, path, first, again in rows
        if first[1] > FIRST_VISIT_BUDGET_KB or again[1] > _cached_budget(path)
    ]
    assert heavy == []

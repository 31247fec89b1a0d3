"""The menu offers each role exactly the pages its capabilities allow (core.access)."""

import pytest

from carebridge.core.access import ROLE_CAPABILITIES, Capability, Role

LINKS = {
    "/caseload/": Capability.HAS_CASELOAD,
    "/people/": Capability.SEARCH_PEOPLE,
    "/people/new/": Capability.CREATE_PERSON,
    "/break-glass/": Capability.VIEW_AUDIT,
    "/people/plans/approvals/": Capability.APPROVE_PLAN,
    "/people/plans/resource-allocation-system/": Capability.CONFIGURE_RAS,
    "/compliance/": Capability.VIEW_COMPLIANCE,
    "/performance/": Capability.VIEW_PERFORMANCE,
    "/amhp/rota/": Capability.VIEW_AMHP_ROTA,
    "/aftercare/register/": Capability.VIEW_S117_REGISTER,
    "/safeguarding/": Capability.DECIDE_SAFEGUARDING,
    "/providers/safeguarding/": Capability.VIEW_PROVIDER_CONCERNS,
    # Team managers, performance analysts, commissioners and administrators.
    "/partnerships/": Capability.VIEW_PARTNERSHIPS,
    # Administrators set the standards but do not read the figures: their way in.
    "/compliance/standards/": Capability.SET_LOCAL_STANDARDS,
}


@pytest.mark.parametrize("role", list(Role))
def test_menu_follows_the_role_table(client, county, role):
    client.force_login(county.workers[role])
    html = client.get("/caseload/", follow=True).content.decode()
    # A role with nothing to go to gets no menu at all.
    start = html.find('aria-label="Menu"')
    nav = html[start : html.index("</nav>", start)] if start >= 0 else ""
    for href, capability in LINKS.items():
        offered = f'href="{href}"' in nav
        assert offered == (capability in ROLE_CAPABILITIES[role]), (role, href)

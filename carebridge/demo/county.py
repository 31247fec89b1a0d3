"""The organisations, teams and workers of the synthetic county, with the demo sign-ins.

One council (Wessex County Council), the NHS mental health trust that hosts the council's mental
health social workers under a s75 agreement, the integrated care board, GP practices and care
providers. A few hundred rows at most, so they are written with ``bulk_create`` (with primary keys
assigned here, so that people and events can refer to them without a round trip).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from carebridge.core.access import Role
from carebridge.organisations.models import Organisation, Team, Worker
from carebridge.rules import names as name_rules
from carebridge.rules import postcode as postcode_rules

from . import names_data as nd
from .writer import next_id

DEMO_PASSWORD = "carebridge-demo"  # noqa: S105 - the published password of synthetic demo accounts

COUNCIL_NAME = "Wessex County Council"
COUNCIL_ONS_CODE = "E10000099"  # fictional: real county codes run E10000002-E10000034
COUNCIL_CASSR_CODE = "999"
TRUST_NAME = "Wessex Partnership NHS Foundation Trust"
TRUST_ODS_CODE = "RX9"
ICB_NAME = "NHS Wessex Integrated Care Board"
ICB_ODS_CODE = "QX9"
GP_PRACTICES = 60
EMAIL_DOMAIN = "wessex.example"  # .example is reserved (RFC 2606): never a real mailbox

# People per worker: about one worker for every 120 people in the county (brief), counting
# managers, AMHPs, finance, commissioning and performance staff.
PEOPLE_PER_WORKER = 120

# Roles that hold cases (allocations name them).
CASEHOLDING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.AMHP, Role.SAFEGUARDING_LEAD})


@dataclass(frozen=True, slots=True)
class TeamSpec:
    key: str
    host: str  # "council" or "trust"
    name: str
    kind: str  # local_codes.TEAM_KINDS
    # Share of the extra (non-structural) workers: roughly the open cases each team holds in a
    # seeded county (locality teams hold most long-term clients), plus staff for the fast
    # turnover of the front door and hospital teams [est].
    weight: float
    roles: tuple[Role, ...]  # structural roster, demo accounts first
    extra_role: Role | None


R = Role
TEAMS: tuple[TeamSpec, ...] = (
    # Trust-hosted CMHTs: council social workers seconded under the s75 agreement, with NHS
    # colleagues who read shared records.
    TeamSpec(
        "cmht_north",
        "trust",
        "North Community Mental Health Team",
        "cmht",
        3.5,
        (R.SOCIAL_WORKER, R.TEAM_MANAGER, R.NHS_PARTNER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "cmht_south",
        "trust",
        "South Community Mental Health Team",
        "cmht",
        3.0,
        (R.TEAM_MANAGER, R.SOCIAL_WORKER, R.NHS_PARTNER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "cmht_east",
        "trust",
        "East Community Mental Health Team",
        "cmht",
        3.0,
        (R.TEAM_MANAGER, R.SOCIAL_WORKER, R.NHS_PARTNER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "cmht_west",
        "trust",
        "West Community Mental Health Team",
        "cmht",
        3.0,
        (R.TEAM_MANAGER, R.SOCIAL_WORKER, R.NHS_PARTNER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "front_door",
        "council",
        "Adult Social Care Front Door",
        "front_door",
        7.0,
        (R.TEAM_MANAGER, R.SOCIAL_WORKER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "locality_central",
        "council",
        "Central Locality Team",
        "locality",
        16.0,
        (R.SOCIAL_WORKER, R.TEAM_MANAGER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "locality_north",
        "council",
        "North Locality Team",
        "locality",
        13.0,
        (R.TEAM_MANAGER, R.SOCIAL_WORKER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "locality_south",
        "council",
        "South Locality Team",
        "locality",
        14.0,
        (R.TEAM_MANAGER, R.SOCIAL_WORKER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "hospital",
        "council",
        "Hospital Discharge Team",
        "hospital",
        5.0,
        (R.TEAM_MANAGER, R.SOCIAL_WORKER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "learning_disability",
        "council",
        "Learning Disability Team",
        "learning_disability",
        9.0,
        (R.TEAM_MANAGER, R.SOCIAL_WORKER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec("amhp", "council", "AMHP Service", "amhp", 3.0, (R.AMHP, R.TEAM_MANAGER), R.AMHP),
    TeamSpec(
        "safeguarding",
        "council",
        "Safeguarding Adults Team",
        "safeguarding",
        3.0,
        (R.SAFEGUARDING_LEAD, R.TEAM_MANAGER),
        R.SAFEGUARDING_LEAD,
    ),
    TeamSpec(
        "finance",
        "council",
        "Financial Assessment Team",
        "finance",
        4.0,
        (R.FINANCE_OFFICER, R.TEAM_MANAGER),
        R.FINANCE_OFFICER,
    ),
    TeamSpec(
        "reablement",
        "council",
        "Reablement Team",
        "reablement",
        4.0,
        (R.TEAM_MANAGER, R.SOCIAL_WORKER),
        R.SOCIAL_WORKER,
    ),
    TeamSpec(
        "commissioning",
        "council",
        "Commissioning Team",
        "commissioning",
        1.5,
        (R.COMMISSIONER,),
        R.COMMISSIONER,
    ),
    TeamSpec(
        "performance",
        "council",
        "Performance and Intelligence Team",
        "performance",
        1.0,
        (R.PERFORMANCE_ANALYST,),
        R.PERFORMANCE_ANALYST,
    ),
    TeamSpec(
        "business_support",
        "council",
        "Business Support",
        "business_support",
        0.0,
        (R.SYSTEM_ADMINISTRATOR,),
        None,
    ),
)
TEAM_SPECS = {t.key: t for t in TEAMS}


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    password: str
    description: str
    role: str = ""
    team_key: str = ""
    first_name: str = ""
    last_name: str = ""


def _demo(username: str, role: Role, team_key: str, first: str, last: str) -> DemoAccount:
    spec = TEAM_SPECS[team_key]
    host = (
        TRUST_NAME + ", hosted under the s75 agreement" if spec.host == "trust" else (COUNCIL_NAME)
    )
    return DemoAccount(
        username=username,
        password=DEMO_PASSWORD,
        description=f"{role.label}, {spec.name} ({host})",
        role=role.value,
        team_key=team_key,
        first_name=first,
        last_name=last,
    )


# Usernames exactly as the brief gives them; each is the first worker of its role in its team.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    _demo("sw.demo", R.SOCIAL_WORKER, "cmht_north", "Sam", "Whitlock"),
    _demo("tm.demo", R.TEAM_MANAGER, "cmht_north", "Tessa", "Marlowe"),
    _demo("nhs.demo", R.NHS_PARTNER, "cmht_north", "Nia", "Hollis"),
    _demo("amhp.demo", R.AMHP, "amhp", "Amir", "Haddon"),
    _demo("sw2.demo", R.SOCIAL_WORKER, "locality_central", "Sophie", "Wray"),
    _demo("tm2.demo", R.TEAM_MANAGER, "locality_central", "Tom", "Mabey"),
    _demo("fo.demo", R.FINANCE_OFFICER, "finance", "Fran", "Oakes"),
    _demo("sg.demo", R.SAFEGUARDING_LEAD, "safeguarding", "Sunita", "Gill"),
    _demo("comm.demo", R.COMMISSIONER, "commissioning", "Colin", "Marsh"),
    _demo("pa.demo", R.PERFORMANCE_ANALYST, "performance", "Priya", "Anand"),
    _demo("admin.demo", R.SYSTEM_ADMINISTRATOR, "business_support", "Alex", "Dunmore"),
)

JOB_TITLES: dict[str, str] = {
    R.SOCIAL_WORKER: "Social Worker",
    R.AMHP: "Approved Mental Health Professional",
    R.TEAM_MANAGER: "Team Manager",
    R.FINANCE_OFFICER: "Financial Assessment Officer",
    R.SAFEGUARDING_LEAD: "Safeguarding Adults Lead",
    R.COMMISSIONER: "Commissioning Officer",
    R.PERFORMANCE_ANALYST: "Performance Analyst",
    R.SYSTEM_ADMINISTRATOR: "Systems Administrator",
    R.NHS_PARTNER: "Community Mental Health Nurse",
}
REGISTERED_ROLES = frozenset({R.SOCIAL_WORKER, R.AMHP, R.TEAM_MANAGER, R.SAFEGUARDING_LEAD})

# Provider categories: share of the provider register [est], and the components they deliver.
PROVIDER_CATEGORIES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("home_care", 34.0, ("Home Care", "Homecare Services", "Care at Home Ltd", "Home Support")),
    ("care_home", 28.0, ("House", "Lodge Care Home", "Court Residential Home", "Grange")),
    ("nursing_home", 14.0, ("Nursing Home", "Manor Nursing Home", "Park Care Centre")),
    ("supported_living", 11.0, ("Supported Living", "Community Living", "Housing Support")),
    ("day_service", 9.0, ("Day Centre", "Day Opportunities", "Community Hub")),
    ("shared_lives", 1.5, ("Shared Lives",)),
    ("reablement", 2.5, ("Reablement Service", "Enablement")),
)


@dataclass(slots=True)
class County:
    council_id: int
    trust_id: int
    icb_id: int
    gp_by_town: dict[str, list[int]]
    gp_ids: list[int]
    providers: dict[str, list[int]]
    team_ids: dict[str, int]
    caseholders: dict[int, list[int]]  # team id -> workers who hold cases
    managers: dict[int, int]  # team id -> its team manager (or first worker)
    worker_count: int
    counts: dict[str, int] = field(default_factory=dict)


def _aware(day: dt.date, minutes: int, tz) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=tz)


def create_county(*, people: int, rng: random.Random, until: dt.date, tz) -> County:
    org_id = next_id(Organisation)
    orgs: list[Organisation] = []

    def add(**kwargs) -> int:
        nonlocal org_id
        orgs.append(Organisation(id=org_id, **kwargs))
        org_id += 1
        return org_id - 1

    council = add(
        kind=Organisation.COUNCIL,
        name=COUNCIL_NAME,
        ons_code=COUNCIL_ONS_CODE,
        cassr_code=COUNCIL_CASSR_CODE,
        postcode=f"{nd.POSTCODE_AREA}1 1AA",
    )
    trust = add(
        kind=Organisation.NHS_TRUST,
        name=TRUST_NAME,
        ods_code=TRUST_ODS_CODE,
        postcode=f"{nd.POSTCODE_AREA}3 2BD",
    )
    icb = add(
        kind=Organisation.ICB,
        name=ICB_NAME,
        ods_code=ICB_ODS_CODE,
        postcode=f"{nd.POSTCODE_AREA}1 4EF",
    )
    gp_by_town: dict[str, list[int]] = defaultdict(list)
    gp_ids = []
    used_names: set[str] = set()
    for i in range(GP_PRACTICES):
        town, district, _, _ = nd.TOWNS[i % len(nd.TOWNS)]
        name = _unique(
            used_names,
            lambda t=town: rng.choice(nd.GP_PRACTICE_PATTERNS).format(
                town=t, word=rng.choice(nd.PROVIDER_WORDS)
            ),
            town,
        )
        pk = add(
            kind=Organisation.GP_PRACTICE,
            name=name,
            ods_code=f"W9{i + 1:04d}",
            postcode=_postcode(rng, district),
        )
        gp_by_town[town].append(pk)
        gp_ids.append(pk)
    providers = _providers(people, rng, add, used_names)
    Organisation.objects.bulk_create(orgs)

    team_ids, teams = _teams({"council": council, "trust": trust})
    Team.objects.bulk_create(teams)
    workers = _workers(people, rng, team_ids, until, tz)
    Worker.objects.bulk_create(workers)

    caseholders: dict[int, list[int]] = defaultdict(list)
    managers: dict[int, int] = {}
    for w in workers:
        if w.role in CASEHOLDING_ROLES:
            caseholders[w.team_id].append(w.pk)
        if w.role == Role.TEAM_MANAGER and w.team_id not in managers:
            managers[w.team_id] = w.pk
    for w in workers:
        managers.setdefault(w.team_id, w.pk)
    return County(
        council_id=council,
        trust_id=trust,
        icb_id=icb,
        gp_by_town=dict(gp_by_town),
        gp_ids=gp_ids,
        providers=providers,
        team_ids=team_ids,
        caseholders=dict(caseholders),
        managers=managers,
        worker_count=len(workers),
        counts={"organisations": len(orgs), "teams": len(teams), "workers": len(workers)},
    )


def _unique(used: set[str], make, suffix: str) -> str:
    for _ in range(20):
        name = make()
        if name not in used:
            used.add(name)
            return name
    name = f"{make()}, {suffix}"
    n = 2
    while name in used:
        name, n = f"{make()}, {suffix} {n}", n + 1
    used.add(name)
    return name


def _postcode(rng: random.Random, district: int) -> str:
    letters = nd.POSTCODE_UNIT_LETTERS
    raw = (
        f"{nd.POSTCODE_AREA}{district}{rng.randrange(10)}{rng.choice(letters)}{rng.choice(letters)}"
    )
    return postcode_rules.parse(raw)


def _providers(people: int, rng: random.Random, add, used_names: set[str]) -> dict[str, list[int]]:
    # A few hundred providers for a large county; fewer (never under 40) for a small demo.
    total = max(40, min(400, people // 150))
    weight_sum = sum(w for _, w, _ in PROVIDER_CATEGORIES)
    counts = [max(2, round(total * w / weight_sum)) for _, w, _ in PROVIDER_CATEGORIES]
    cqc_numbers = iter(rng.sample(range(100_000_000, 1_000_000_000), sum(counts)))
    providers: dict[str, list[int]] = {}
    for (category, _, suffixes), count in zip(PROVIDER_CATEGORIES, counts, strict=True):
        ids = []
        for _ in range(count):
            town, district, _, _ = rng.choice(nd.TOWNS)
            name = _unique(
                used_names,
                lambda s=suffixes: f"{rng.choice(nd.PROVIDER_WORDS)} {rng.choice(s)}",
                town,
            )
            ids.append(
                add(
                    kind=Organisation.PROVIDER,
                    name=name,
                    cqc_location_id=f"1-{next(cqc_numbers)}",
                    postcode=_postcode(rng, district),
                )
            )
        providers[category] = ids
    return providers


def _teams(hosts: dict[str, int]) -> tuple[dict[str, int], list[Team]]:
    pk = next_id(Team)
    ids: dict[str, int] = {}
    teams = []
    for spec in TEAMS:
        teams.append(Team(id=pk, organisation_id=hosts[spec.host], name=spec.name, kind=spec.kind))
        ids[spec.key] = pk
        pk += 1
    return ids, teams


def _roster(people: int) -> list[tuple[str, Role]]:
    """(team key, role) for every worker: the structural roster, then extra practitioners
    shared out by team weight until there is about one worker per 120 people."""
    roster = [(spec.key, role) for spec in TEAMS for role in spec.roles]
    target = max(len(roster), round(people / PEOPLE_PER_WORKER))
    extra = target - len(roster)
    weighted = [s for s in TEAMS if s.extra_role is not None and s.weight > 0]
    total = sum(s.weight for s in weighted)
    shares = [(s, extra * s.weight / total) for s in weighted]
    counts = {s.key: int(share) for s, share in shares}
    # Largest remainders, in a fixed order, so the total is exact and deterministic.
    leftover = extra - sum(counts.values())
    for s, _share in sorted(shares, key=lambda x: (-(x[1] - int(x[1])), x[0].key))[:leftover]:
        counts[s.key] += 1
    for s in weighted:
        roster.extend((s.key, s.extra_role) for _ in range(counts[s.key]))
    return roster


def _workers(
    people: int, rng: random.Random, team_ids: dict[str, int], until: dt.date, tz
) -> list[Worker]:
    password = make_password(DEMO_PASSWORD)  # hashed once for every seeded worker
    demo_left = {(a.team_key, a.role): a for a in DEMO_ACCOUNTS}
    used_usernames = {a.username for a in DEMO_ACCOUNTS}
    pk = next_id(Worker)
    reg_numbers = rng.sample(range(10_000, 999_999), len(_roster(people)) + 1)
    workers = []
    for i, (team_key, role) in enumerate(_roster(people)):
        demo = demo_left.pop((team_key, role.value), None)
        if demo is not None:
            first, last, username = demo.first_name, demo.last_name, demo.username
            joined = until - dt.timedelta(days=400)
        else:
            female = rng.random() < 0.78  # the social care workforce is mostly women [est]
            cohort = nd.GIVEN_NAMES_BY_COHORT[rng.choice((1, 2, 3, 4))]
            first = rng.choice(cohort[1] if female else cohort[2])
            last = rng.choice(nd.FAMILY_NAMES)
            username = _username(first, last, used_usernames)
            joined = until - dt.timedelta(days=rng.randint(30, 3650))
        admin = role == Role.SYSTEM_ADMINISTRATOR
        workers.append(
            Worker(
                id=pk,
                password=password,
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{EMAIL_DOMAIN}",
                is_staff=admin,
                is_superuser=admin,
                is_active=True,
                date_joined=_aware(joined, 9 * 60, tz),
                team_id=team_ids[team_key],
                role=role.value,
                job_title=JOB_TITLES[role],
                professional_registration=(
                    f"SW{reg_numbers[i]:06d}" if role in REGISTERED_ROLES else ""
                ),
            )
        )
        pk += 1
    return workers


def _username(first: str, last: str, used: set[str]) -> str:
    base = f"{name_rules.normalise(first)}.{name_rules.normalise(last)}"
    username, n = base, 2
    while username in used:
        username, n = f"{base}{n}", n + 1
    used.add(username)
    return username

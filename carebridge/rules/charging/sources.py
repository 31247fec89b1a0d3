"""The sources cited as ``[S1]``, ``[S14]``, ... in the charging rules and rates.

The numbering is the reference notes' (charging-rates.md, "Sources"), so a citation can be looked
up there too. An assessment lists the ones its workings cite (``Assessment.references``).
"""

from __future__ import annotations

import re

SOURCES: dict[str, str] = {
    "S1": "GOV.UK, Social care charging for care and support: local authority circular 2024 to "
    "2025 (9 Feb 2024)",
    "S2": "Written PQ answer: 2025/26 MIG and PEA uprated by CPI (parallelparliament.co.uk, "
    "question 83486)",
    "S3": "careawareias.co.uk, inflationary increases to allowances",
    "S4": "Written PQ answer: PEA £30.65 (parallelparliament.co.uk, question 38104)",
    "S5": "Reading Borough Council, Appendix B allowances schedule (2024-25 and 2023-24)",
    "S6": "Wirral Council, How we work out charges for residential care",
    "S7": "ruils.co.uk, 2025-2026 benefit and minimum income guarantee rates",
    "S8": "SI 2023/277 as made (legislation.gov.uk): the 2023/24 amending regulations",
    "S9": "The Care and Support (Charging and Assessment of Resources) Regulations 2014, "
    "SI 2014/2672",
    "S10": "britbrief.co.uk, press report of the DHSC MIG announcement (18 Feb 2026)",
    "S11": "disabilityinsider.com, 18 Feb 2026",
    "S12": "Devon County Council, examples of common financial assessments",
    "S13": "GOV.UK, Benefit and pension rates 2024 to 2025",
    "S14": "Knowsley Council, financial assessment examples (home and residential)",
    "S15": "Local Government Association, interest rates for universal deferred payments",
    "S16": "North East Lincolnshire Council, deferred payment agreements",
    "S17": "West Sussex County Council, charges for deferred payment agreements",
    "S18": "Bath and North East Somerset Council, charging framework section 20, Annex C",
    "S19": "newsbeep.com/uk/426316 (DWP benefit rates 2025-26 and 2026-27)",
    "S21": "glama.ai, decisionscalc uk_care_home_fees (third-party calculator)",
    "S22": "Newham Council, charging FAQs",
    "S23": "Fairer Contributions Policy, Annex A (docest.com/doc/258138)",
    "S24": "Explanatory note to SI 2022/243 (savings credit disregard)",
    "S25": "Statutory guidance Annex C (manchesterappp.co.uk copy)",
    "S26": "Brighton & Hove City Council, charging policy",
    "S27": "Bromley Council, domiciliary care charges",
    "S28": "Gloucestershire County Council, Fairer Contributions Policy s17",
    "S29": "St Helens Council, article 4475",
    "S30": "Reading Borough Council, Appendix C disability-related expenditure guide",
    "S31": "A council page on disability-related expenditure (atheneenglish.com mirror)",
    "S32": "Bath and North East Somerset Council, charging framework 6.10",
    "S33": "Devon County Council, residential care factsheet",
    "S34": "Bath and North East Somerset Council, charging framework section 4",
    "S35": "SI 2014/2672 Part 3 as made (legislation.gov.uk)",
    "S36": "North Tyneside Council, light-touch financial assessments",
    "S37": "Liverpool City Council, changes to paying for care at home",
    "S39": "paperzz.com/doc/8682845 (a council's worked example, 2016/17)",
    "S40": "Leeds City Council, care home examples",
    "S41": "Lambeth Council, care home example",
}

_CITATION = re.compile(r"\bS\d+\b")
_CITED: dict[str, tuple[str, ...]] = {}


def cited(text: str) -> tuple[str, ...]:
    """The source codes cited in ``text``, in order of first citation (cached: texts repeat)."""
    codes = _CITED.get(text)
    if codes is None:
        codes = tuple(dict.fromkeys(c for c in _CITATION.findall(text) if c in SOURCES))
        _CITED[text] = codes
    return codes

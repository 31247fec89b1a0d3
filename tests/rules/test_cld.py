import pytest

from carebridge.rules import cld

FIELDS = [
    cld.EVENT_TYPE, cld.CLIENT_TYPE, cld.GENDER, cld.ETHNICITY, cld.ROUTE_OF_ACCESS,
    cld.ASSESSMENT_TYPE, cld.SERVICE_TYPE, cld.SERVICE_COMPONENT, cld.DELIVERY_MECHANISM,
    cld.PRIMARY_SUPPORT_REASON, cld.ACCOMMODATION_STATUS, cld.EMPLOYMENT_STATUS,
    cld.EVENT_OUTCOME, cld.REVIEW_REASON, cld.CLIENT_FUNDING_STATUS, cld.COST_FREQUENCY,
    cld.METHOD_OF_ASSESSMENT, cld.REVIEW_OUTCOMES_ACHIEVED,
]  # fmt: skip


@pytest.mark.parametrize("field", FIELDS)
def test_every_list_loads_without_duplicates_and_cites_a_source(field):
    values = cld.codes(field)
    assert values and len(values) == len(set(values))
    for v in values:
        assert cld.code_detail(field, v).source


def test_event_types_are_the_four_cld_types():
    assert cld.codes(cld.EVENT_TYPE) == cld.EVENT_TYPES


def test_release_1_only_outcomes_are_not_offered():
    assert "Progress to financial assessment" not in cld.codes(cld.EVENT_OUTCOME)
    assert "Progress to financial assessment" in cld.r1_only(cld.EVENT_OUTCOME)


def test_settled_accommodation_is_a_subset_of_the_code_list():
    assert set(cld.codes(cld.ACCOMMODATION_STATUS)) >= cld.SETTLED_ACCOMMODATION


def test_unknown_field_is_an_error():
    with pytest.raises(KeyError):
        cld.codes("Not_A_Field")


def test_the_codes_the_rules_name_are_in_their_code_lists():
    assert cld.is_valid(cld.EVENT_OUTCOME, cld.OUTCOME_TO_ASSESSMENT)
    assert cld.is_valid(cld.EVENT_OUTCOME, cld.OUTCOME_SUPPORT_DECLINED)
    assert cld.is_valid(cld.ASSESSMENT_TYPE, cld.FINANCIAL_ASSESSMENT)
    assert any(cld.is_long_term_support(v) for v in cld.codes(cld.SERVICE_TYPE))


def test_method_of_assessment_is_a_provisional_local_list_marked_low_confidence():
    values = cld.codes(cld.METHOD_OF_ASSESSMENT)
    assert values == ("Face to face", "Telephone", "Video call", "Other")
    for v in values:
        detail = cld.code_detail(cld.METHOD_OF_ASSESSMENT, v)
        assert detail.release == cld.LOCAL and detail.confidence.startswith("low")
        assert "no source" in detail.source


def test_review_outcomes_achieved_is_the_release_1_list_in_use():
    assert cld.codes(cld.REVIEW_OUTCOMES_ACHIEVED) == ("Fully Met", "Partially Met", "Not Met")
    assert cld.r1_only(cld.REVIEW_OUTCOMES_ACHIEVED) == ()
    for v in cld.codes(cld.REVIEW_OUTCOMES_ACHIEVED):
        assert cld.code_detail(cld.REVIEW_OUTCOMES_ACHIEVED, v).confidence.startswith("low")


@pytest.mark.parametrize(
    ("assessment_type", "required"),
    [("Long term assessment", True), ("Short term assessment", True),
     ("Financial Assessment", False), (" financial assessment ", False)],
)  # fmt: skip
def test_method_of_assessment_is_required_except_on_financial_assessments(
    assessment_type, required
):
    assert cld.method_of_assessment_required(assessment_type) is required


@pytest.mark.parametrize(
    ("review_reason", "required"),
    [("Planned", True), ("Planned review of long term support", True),
     ("Unplanned - Carer related", False), ("Review of short term support", False), ("", False)],
)  # fmt: skip
def test_review_outcomes_are_required_on_planned_reviews_only(review_reason, required):
    assert cld.review_outcomes_required(review_reason) is required

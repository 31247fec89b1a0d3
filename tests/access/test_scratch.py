import pytest
def test_a(county, client):
    client.force_login(county.workers["social_worker"])
    r = client.get(f"/people/{county.person_a.person_id}/")
    assert r.status_code == 200
@pytest.mark.parametrize("i", range(20))
def test_b(county, client, i, settings):
    client.force_login(county.workers["social_worker"])
    r = client.get(f"/people/{county.person_a.person_id}/")
    assert r.status_code == 200

from carebridge.core.access import Role


def test_address_lines_render_as_lines_not_markup(client, county):
    person = county.person_a
    person.address_line_1 = "1 <Test> Street"
    person.town = "Norwich"
    person.save()
    client.force_login(county.workers[Role.SOCIAL_WORKER])
    html = client.get(f"/people/{person.person_id}/").content.decode()
    assert "1 &lt;Test&gt; Street<br>Norwich<br>NR1 2DH" in html
    assert "&lt;br&gt;" not in html

from sanxiang.agencies.selectors import officer_list_for, visible_agency_ids


def test_charlie_sees_nothing_of_agency_a(personas):
    assert personas.agency_a.pk not in visible_agency_ids(personas.charlie)
    assert personas.alice_officer not in officer_list_for(personas.charlie)


def test_supervisor_sees_the_agencies_below_the_city(personas):
    ids = visible_agency_ids(personas.supervisor)
    assert personas.agency_a.pk in ids
    assert personas.agency_b.pk not in ids

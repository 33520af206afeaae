"""The `backend` marker (tests/conftest.py) picks the tests the PostgreSQL pass reruns."""

import pytest
from django.contrib.auth.models import User

from tests.conftest import refusing_sql


def test_a_test_using_the_database_is_marked(db, request):
    assert request.node.get_closest_marker("backend") is not None


@pytest.fixture
def person(db) -> User:
    return User.objects.create_user("person")


def test_a_test_using_a_fixture_built_on_the_database_is_marked(person, request):
    assert request.node.get_closest_marker("backend") is not None


@pytest.mark.django_db
def test_a_test_with_the_django_db_mark_is_marked(request):
    assert request.node.get_closest_marker("backend") is not None


def test_a_pure_test_is_not_marked(request):
    assert request.node.get_closest_marker("backend") is None


def test_sql_from_an_unmarked_test_fails_naming_it(db):
    with refusing_sql("tests/x.py::test_y"), pytest.raises(AssertionError) as refused:
        User.objects.count()
    assert "tests/x.py::test_y runs SQL but is not marked `backend`" in str(refused.value)

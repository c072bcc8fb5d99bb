"""Property-based tests of every API operation against its own OpenAPI schema: whatever a client
sends, the server never answers with a 5xx, and its answers match the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from treem.accounts.models import User
from treem.wsgi import application


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    """Calls go straight to the WSGI application, whose request signals close "old" database
    connections; Django's test client disconnects that handler, and so must we, or the test's
    own connection (and its transaction) is closed under it."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db):
    token, _ = Token.objects.get_or_create(user=User.objects.get(username="canbo.a"))
    return token.key


# Loaded at collection: fetching the schema touches no database table.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_never_answers_with_a_server_error(case, token):
    response = case.call(headers={"Authorization": f"Token {token}"})
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )

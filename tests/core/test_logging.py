import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def test_request_log_has_path_without_query_and_user_id_not_name(officer_a_client, demo, caplog):
    caplog.set_level(logging.INFO, logger="treem.request")
    officer_a_client.get("/accounts/users/", {"q": "Nguyễn Văn An"})
    records = [r for r in caplog.records if r.name == "treem.request"]
    assert records
    record = records[-1]
    assert record.path == "/accounts/users/"
    assert record.user_id == demo.users["canbo.a"].pk
    rendered = logging.getLogger().handlers[0].formatter.format(record)
    assert "Nguy" not in rendered and "canbo" not in rendered
    assert json.loads(rendered)["status"] == 403


def test_error_records_keep_only_method_and_path_of_the_request(rf):
    from treem.core.logging import DropRequestFilter

    request = rf.get("/app/registry/", {"q": "Trần Thị Bé"})
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, None)
    record.request = request
    DropRequestFilter().filter(record)
    assert record.request == "GET /app/registry/"

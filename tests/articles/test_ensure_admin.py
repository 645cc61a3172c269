"""`ensure_admin`: the embedded `make run` prints a login that works, at its own address."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_printed_login_works_and_names_the_servers_address(rf):
    out = StringIO()
    call_command("ensure_admin", "--site", "http://127.0.0.1:8765/", stdout=out)
    printed = re.search(r"Admin login: (\S+)  user: (\S+)  password: (\S+)", out.getvalue())
    assert printed[1] == "http://127.0.0.1:8765/admin/"
    user = authenticate(rf.post("/admin/login/"), username=printed[2], password=printed[3])
    assert user is not None and user.is_superuser

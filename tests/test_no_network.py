"""While a mock is active nothing leaves the process: no socket is opened, whatever is called."""

from __future__ import annotations

import socket

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

import stubaws
from stubaws import hook


@pytest.fixture
def sockets(monkeypatch):
    opened = []
    real_connect = socket.socket.connect

    def record(self, address):
        opened.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", record)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: opened.append(address))
    return opened


def test_no_socket_is_opened_for_faked_unfaked_or_refused_calls(sockets):
    with stubaws.mock():
        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        mi.create_credential_locker(Name="door")
        mi.list_credential_lockers()
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        iam.create_access_key(UserName="alice")
        iam.list_access_keys(UserName="alice")
        with pytest.raises(ClientError):
            iam.list_access_keys(UserName="bad name")
        lightsail = boto3.client("lightsail", region_name="us-east-1")
        lightsail.create_bucket(bucketName="my-bucket", bundleId="small_1_0")
        lightsail.create_bucket_access_key(bucketName="my-bucket")
        lightsail.get_bucket_access_keys(bucketName="my-bucket")
        with pytest.raises(stubaws.UnfakedOperationError):
            boto3.client("dynamodb", region_name="us-east-1").list_tables()
    assert sockets == []


def test_a_client_whose_session_lacks_the_hook_is_stopped_at_the_http_layer(sockets):
    session = botocore.session.get_session()
    session.unregister("before-send", hook._before_send)  # as if made before stubaws was imported
    with stubaws.mock():
        iam = session.create_client("iam", region_name="us-east-1")
        with pytest.raises(stubaws.NetworkBlockedError, match="before stubaws was imported"):
            iam.list_access_keys(UserName="alice")
    assert sockets == []


_BEFORE_IMPORT = """
import boto3
early = boto3.client("iam", region_name="us-east-1")  # made before stubaws was imported
import stubaws
with stubaws.mock():
    late = boto3.client("iam", region_name="us-east-1")  # same default session, made after
    late.create_user(UserName="alice")
    print("late client answered by the fake")
    try:
        early.list_users()
    except stubaws.NetworkBlockedError as error:
        print("early client stopped:", "Import stubaws" in str(error))
"""


def test_clients_made_before_stubaws_was_imported_are_stopped_not_sent(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="AKIAREALREALREALREAL", AWS_SECRET_ACCESS_KEY="real", AWS_EC2_METADATA_DISABLED="true")
    done = subprocess.run([sys.executable, "-c", _BEFORE_IMPORT], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["late client answered by the fake", "early client stopped: True"]

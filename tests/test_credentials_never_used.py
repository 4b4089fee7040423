"""While a mock is active, real credentials are never read, never run and never sign.

The end-to-end test runs in a fresh interpreter: a config with every kind of credential source
(a credential_process that writes a marker file, SSO, web identity, a role to assume, keys in
the credentials file), real-looking keys in the environment, instance metadata and container
credentials pointed at a local port, and sessions and clients made before stubaws is imported
and before the mock. An audit hook sees every file opened, socket connected and process
started while the mock is active.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import boto3
import botocore.credentials
import pytest
from botocore.exceptions import ProfileNotFound

import stubaws
from stubaws.identity import account_of_access_key_id
from stubaws.mock import FAKE_ACCESS_KEY_ID

REAL_KEY = "AKIAREALREALREALREAL"


def _signed_key(authorization: bytes | str) -> str:
    text = authorization.decode() if isinstance(authorization, bytes) else authorization
    return text.split("Credential=", 1)[1].split("/", 1)[0]


def _recorder(client) -> list[str]:
    keys: list[str] = []
    client.meta.events.register_first("before-send", lambda request, **_: keys.append(_signed_key(request.headers["Authorization"])))
    return keys


# --- in process ----------------------------------------------------------------------------


def test_a_client_made_with_real_keys_before_the_mock_signs_with_the_root(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", REAL_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    early = boto3.session.Session(region_name="us-east-1").client("iam")
    keys = _recorder(early)
    with stubaws.mock():
        early.create_user(UserName="alice")
        assert early.list_users()["Users"][0]["UserName"] == "alice"
    assert keys == [FAKE_ACCESS_KEY_ID, FAKE_ACCESS_KEY_ID]
    assert early._request_signer._credentials.access_key == REAL_KEY  # the client is left as it was


def test_moto_style_dummy_keys_act_as_the_root():
    with stubaws.mock(account_id="111122223333"):
        iam = boto3.client("iam", aws_access_key_id="testing", aws_secret_access_key="testing")
        keys = _recorder(iam)
        assert iam.get_user()["User"]["Arn"] == "arn:aws:iam::111122223333:root"
    assert account_of_access_key_id(keys[0]) == "111122223333"


def test_keys_the_world_issued_sign_as_given():
    with stubaws.mock():
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        key = iam.create_access_key(UserName="alice")["AccessKey"]
        alice = boto3.client("iam", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
        keys = _recorder(alice)
        assert alice.get_user()["User"]["UserName"] == "alice"
    assert keys == [key["AccessKeyId"]]


def test_refreshable_credentials_are_not_refreshed_inside_a_mock():
    refreshed = []

    def refresh():
        refreshed.append(1)
        return {"access_key": REAL_KEY, "secret_key": "s", "token": "t", "expiry_time": "2000-01-01T00:00:00Z"}

    session = boto3.session.Session(region_name="us-east-1")
    session._session._credentials = botocore.credentials.DeferredRefreshableCredentials(refresh, "custom-process")
    with stubaws.mock():
        iam = session.client("iam")
        keys = _recorder(iam)
        iam.list_users()
        assert session.get_credentials().access_key == FAKE_ACCESS_KEY_ID
    assert refreshed == [] and keys == [FAKE_ACCESS_KEY_ID]


def _config(tmp_path, text: str) -> str:
    path = tmp_path / "config"
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_a_named_profile_made_inside_a_mock_applies_its_settings(monkeypatch, tmp_path):
    marker = tmp_path / "ran"
    config = _config(
        tmp_path,
        f"""
        [profile dev]
        region = eu-west-3
        credential_process = {sys.executable} -c "open({str(marker)!r}, 'a').write('ran')"
        """,
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", config)
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    with stubaws.mock():
        dev = boto3.Session(profile_name="dev")
        assert dev.region_name == "eu-west-3"  # the profile's, not the mock's stand-in
        iam = dev.client("iam")
        keys = _recorder(iam)
        assert iam.get_user()["User"]["Arn"].endswith(":root")
        with pytest.raises(ProfileNotFound):
            boto3.Session(profile_name="missing")
        assert boto3.Session().region_name == "us-east-1"
    assert keys == [FAKE_ACCESS_KEY_ID]
    assert not marker.exists()


def test_a_region_the_mock_is_given_beats_the_profiles(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_CONFIG_FILE", _config(tmp_path, "[profile dev]\nregion = eu-west-3\n"))
    with stubaws.mock(region="ap-south-1"):
        assert boto3.Session(profile_name="dev").region_name == "ap-south-1"


def test_a_profile_session_made_before_the_mock_runs_no_process_inside(monkeypatch, tmp_path):
    marker = tmp_path / "ran"
    script = tmp_path / "process.py"
    script.write_text(
        "import json\n"
        f"open({str(marker)!r}, 'a').write('ran\\n')\n"
        f"print(json.dumps({{'Version': 1, 'AccessKeyId': {REAL_KEY!r}, 'SecretAccessKey': 'real'}}))\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", _config(tmp_path, f"[profile p]\nregion = us-west-2\ncredential_process = {sys.executable} {script}\n"))
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    early = boto3.Session(profile_name="p")
    with stubaws.mock():
        iam = early.client("iam")
        keys = _recorder(iam)
        iam.list_users()
        assert early.client("lightsail").meta.region_name == "us-west-2"
    assert keys == [FAKE_ACCESS_KEY_ID]
    assert not marker.exists()


# --- a fresh interpreter, every source at once ----------------------------------------------

_SCRIPT = r"""
import json, os, sys

watched = json.loads(os.environ["WATCHED"])
seen = []
active = [False]

def audit(event, args):
    if not active[0]:
        return
    if event == "open" and args and isinstance(args[0], (str, bytes)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if any(path == w or path.startswith(w + os.sep) for w in watched):
            seen.append(["open", path])
    elif event in ("socket.connect", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"):
        seen.append([event, repr(args)[:200]])

sys.addaudithook(audit)

import boto3
import botocore.session

signed = []
def record(client):
    client.meta.events.register_first(
        "before-send", lambda request, **_: signed.append(request.headers["Authorization"].decode().split("Credential=")[1].split("/")[0])
    )
    return client

PROFILES = ["process", "sso", "web", "role", "keys"]
# Made before stubaws is imported: sessions of every profile and the default session.
before_import = [boto3.Session(profile_name=p) for p in PROFILES]
early_clients = [record(boto3.client("iam", region_name="us-east-1"))]
early_clients += [record(botocore.session.Session(profile="keys").create_client("iam", region_name="us-east-1"))]

import stubaws

after_import = [boto3.Session(profile_name=p) for p in PROFILES]
late_clients = [record(boto3.Session(profile_name="keys").client("iam"))]

def calls(client):
    try:
        client.list_users()
        return "answered"
    except stubaws.NetworkBlockedError:
        return "blocked"

marker = os.environ["MARKER"]
runs_before = open(marker).read().count("ran") if os.path.exists(marker) else 0
results = []
active[0] = True
with stubaws.mock() as aws:
    for session in before_import + after_import:
        results.append(calls(record(session.client("iam"))))
    for client in early_clients + late_clients:
        results.append(calls(client))
    for profile in PROFILES:
        results.append(calls(record(boto3.Session(profile_name=profile).client("iam"))))
    results.append(calls(record(boto3.client("iam"))))
    root = aws.world.root_access_key_id
active[0] = False
runs_after = open(marker).read().count("ran") if os.path.exists(marker) else 0
print(json.dumps({"seen": seen, "signed": signed, "root": root, "results": results,
                  "process_runs": runs_after - runs_before}))
"""


def test_no_credential_source_is_read_run_or_used_while_a_mock_is_active(tmp_path):
    home = tmp_path / "home"
    (home / ".aws" / "sso" / "cache").mkdir(parents=True)
    marker = tmp_path / "process-ran"
    token_file = tmp_path / "web-identity-token"
    token_file.write_text("a-real-looking-token")
    process = tmp_path / "credential_process.py"
    process.write_text(
        "import json, datetime\n"
        f"open({str(marker)!r}, 'a').write('ran\\n')\n"
        "soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=30)).isoformat()\n"
        f"print(json.dumps({{'Version': 1, 'AccessKeyId': 'AKIAPROCESSPROCESS00', 'SecretAccessKey': 'p', 'SessionToken': 't', 'Expiration': soon}}))\n"
    )
    credentials = home / ".aws" / "credentials"
    credentials.write_text("[default]\naws_access_key_id = AKIAFILEFILEFILEFILE\naws_secret_access_key = f\n"
                           "[keys]\naws_access_key_id = AKIAKEYSKEYSKEYSKEYS\naws_secret_access_key = k\n")
    config = home / ".aws" / "config"
    config.write_text(textwrap.dedent(f"""
        [default]
        region = us-east-1
        [profile process]
        region = us-east-1
        credential_process = {sys.executable} {process}
        [profile sso]
        region = us-east-1
        sso_start_url = https://example.awsapps.com/start
        sso_region = us-east-1
        sso_account_id = 111111111111
        sso_role_name = Admin
        [profile web]
        region = us-east-1
        role_arn = arn:aws:iam::111111111111:role/web
        web_identity_token_file = {token_file}
        [profile role]
        region = us-east-1
        role_arn = arn:aws:iam::111111111111:role/assumed
        source_profile = keys
        [profile keys]
        region = us-east-1
    """))
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        HOME=str(home),
        AWS_ACCESS_KEY_ID=REAL_KEY,
        AWS_SECRET_ACCESS_KEY="real-secret",
        AWS_SESSION_TOKEN="real-token",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(config),
        AWS_SHARED_CREDENTIALS_FILE=str(credentials),
        # Instance metadata and container credentials on a local port nothing listens on.
        AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:9/",
        AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:9/credentials",
        MARKER=str(marker),
        WATCHED=json.dumps([str(credentials), str(home / ".aws" / "sso"), str(token_file), str(process), str(marker)]),
    )
    done = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["seen"] == []  # no credential file, SSO cache, token file or marker opened; no socket, no process
    assert found["process_runs"] == 0
    # Sessions and clients made before the import have no hook: stopped at the HTTP layer,
    # after signing with the mock's root like every other.
    assert found["results"].count("blocked") == 7
    assert found["results"].count("answered") == len(found["results"]) - 7 == 12
    assert found["signed"] and set(found["signed"]) == {found["root"]}

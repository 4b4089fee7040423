"""Interception: the before-send hook answers while a mock is active and stays out of the way
otherwise; the operation comes from botocore's event, never from the host name."""

from __future__ import annotations

import boto3
import botocore.handlers
import botocore.httpsession
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config

import stubaws
from stubaws import hook


class _Canned:
    def stream(self, **_):
        yield b"<ListUsersResponse><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult></ListUsersResponse>"


def test_without_a_mock_requests_go_to_the_http_layer(monkeypatch):
    sent = []

    def fake_send(self, request):
        sent.append(request.url)
        return AWSResponse(request.url, 200, {}, _Canned())

    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", fake_send)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAOUTSIDEOFANYMOCK")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    iam = boto3.client("iam", region_name="us-east-1")

    assert iam.list_users()["Users"] == []
    assert sent == ["https://iam.amazonaws.com/"]


def test_the_inactive_handler_answers_nothing():
    assert hook._latest is None
    assert hook._before_send(request=None, event_name="before-send.iam.ListUsers") is None


def test_the_handler_is_in_botocores_builtin_list():
    assert ("before-send", hook._before_send) in botocore.handlers.BUILTIN_HANDLERS


def test_a_service_served_from_api_aws_is_answered():
    urls = []
    with stubaws.mock():
        mi = boto3.client("iot-managed-integrations", region_name="us-east-1")
        mi.meta.events.register("before-send", lambda request, **_: urls.append(request.url))
        created = mi.create_credential_locker(Name="door")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert urls == ["https://api.iotmanagedintegrations.us-east-1.api.aws/credential-lockers"]


def test_the_operation_comes_from_the_event_not_the_url():
    # A client pointed anywhere at all is still answered as the operation it called.
    with stubaws.mock():
        iam = boto3.client("iam", endpoint_url="http://127.0.0.1:9/somewhere-else")
        iam.create_user(UserName="alice")
        keys = iam.list_access_keys(UserName="alice")
        assert keys["AccessKeyMetadata"] == []


def test_an_operation_without_a_fake_names_itself_and_says_what_to_do():
    with stubaws.mock():
        s3 = boto3.client("s3")
        with pytest.raises(stubaws.UnfakedOperationError) as raised:
            s3.get_bucket_policy(Bucket="my-bucket")
    message = str(raised.value)
    assert "s3 GetBucketPolicy" in message
    assert "aws.respond('s3', 'GetBucketPolicy'" in message


def test_a_canned_response_answers_an_operation_without_a_fake():
    with stubaws.mock() as aws:
        aws.respond("sts", "GetCallerIdentity", {"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:root", "UserId": "123456789012"})
        sts = boto3.client("sts", region_name="us-east-1")
        assert sts.get_caller_identity()["Account"] == "123456789012"
        assert aws.calls[-1].operation == "GetCallerIdentity"


def test_a_canned_error_overrides_a_fake_for_as_many_calls_as_asked():
    with stubaws.mock() as aws:
        aws.respond("iam", "ListAccessKeys", error=stubaws.ServiceError("ServiceFailure", "try later"), times=1)
        iam = boto3.client("iam", config=Config(retries={"max_attempts": 0}))
        iam.create_user(UserName="alice")
        with pytest.raises(iam.exceptions.ServiceFailureException) as raised:
            iam.list_access_keys(UserName="alice")
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        assert iam.list_access_keys(UserName="alice")["AccessKeyMetadata"] == []


def test_every_call_is_logged_with_its_params_and_outcome():
    with stubaws.mock() as aws:
        iam = boto3.client("iam")
        iam.create_user(UserName="alice")
        with pytest.raises(iam.exceptions.NoSuchEntityException):
            iam.list_access_keys(UserName="bob")
    first, second = aws.calls
    assert (first.service, first.operation, first.params, first.ok) == ("iam", "CreateUser", {"UserName": "alice"}, True)
    assert second.error.code == "NoSuchEntity" and not second.ok

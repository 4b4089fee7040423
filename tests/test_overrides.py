"""The test author's toolkit, through boto3 as a test uses it: canned answers that are checked,
matched and counted; faults that go through botocore's real retry logic without waiting;
assertions on the calls; a handle in every style of test."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from unittest import mock as unittest_mock

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import stubaws
from stubaws import ServiceError

pytest_plugins = ["pytester"]  # the fixture is tested in a test run of its own

IDENTITY = {"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/alice", "UserId": "AIDAEXAMPLE"}
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


def _user(name: str) -> dict:
    return {
        "Path": "/",
        "UserName": name,
        "UserId": "AIDA" + name.upper().ljust(17, "X"),
        "Arn": f"arn:aws:iam::123456789012:user/{name}",
        "CreateDate": dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    }


# --- 1. names -------------------------------------------------------------------------------------


@pytest.mark.parametrize("service", ["logs", "cloudwatch-logs"])
@pytest.mark.parametrize("operation", ["DescribeLogGroups", "describe_log_groups"])
def test_a_service_by_client_name_or_service_id_and_an_operation_by_api_or_method_name(service, operation):
    with stubaws.mock() as aws:
        route = aws.respond(service, operation, {"logGroups": [{"logGroupName": "app"}]})
        groups = boto3.client("logs").describe_log_groups()["logGroups"]
    assert [group["logGroupName"] for group in groups] == ["app"]
    assert route.call_count == 1 and route.service == "logs" and route.operation == "DescribeLogGroups"


@pytest.mark.parametrize(
    "client, method, answer",
    [
        ("secretsmanager", "list_secrets", {"SecretList": []}),
        ("stepfunctions", "list_state_machines", {"stateMachines": []}),
        ("events", "list_rules", {"Rules": []}),
        ("route53", "list_hosted_zones", {"HostedZones": [], "IsTruncated": False, "Marker": "", "MaxItems": "100"}),
        ("elbv2", "describe_load_balancers", {"LoadBalancers": []}),
    ],
)
def test_services_whose_client_name_is_not_their_service_id_are_accepted(client, method, answer):
    with stubaws.mock() as aws:
        aws.respond(client, method, answer)
        getattr(boto3.client(client), method)()


def test_an_unknown_service_name_suggests_the_closest_ones_in_a_line_or_two():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.StubawsError) as raised:
            aws.respond("secretmanager", "ListSecrets", {})
    message = str(raised.value)
    assert "did you mean 'secretsmanager'" in message
    assert message.count("\n") <= 1 and len(message) < 400


def test_an_unknown_operation_suggests_the_api_name():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.StubawsError, match="did you mean 'GetCallerIdentity'"):
            aws.respond("sts", "get_caller_identiy", IDENTITY)


def test_the_unfaked_operation_error_names_the_client_and_the_line_to_paste():
    with stubaws.mock():
        with pytest.raises(stubaws.UnfakedOperationError) as raised:
            boto3.client("logs").describe_log_groups()
    message = str(raised.value)
    assert "aws.respond('logs', 'DescribeLogGroups', {...})" in message
    assert raised.value.service == "logs" and raised.value.operation == "DescribeLogGroups"


def test_an_unfaked_call_is_logged_with_its_params():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.UnfakedOperationError):
            boto3.client("secretsmanager").get_secret_value(SecretId="db-password")
        aws.assert_called("secretsmanager", "GetSecretValue", SecretId="db-password")


def test_for_every_service_named_otherwise_by_its_id_the_unfaked_error_names_what_respond_takes():
    from stubaws.models import _client_names_by_service_id, client_name_for_event, service_model

    differing = {sid: name for sid, name in _client_names_by_service_id().items() if sid != name}
    assert len(differing) >= 50  # 53 in botocore 1.44
    aws = stubaws.mock(assert_all_used=False)
    for sid, name in differing.items():
        error = stubaws.UnfakedOperationError(client_name_for_event(sid), service_model(name).operation_names[0])
        assert error.service == name
        aws.respond(error.service, error.operation, error=ServiceError("Refused", "no"))
        aws.respond(sid, error.operation, error=ServiceError("Refused", "no"))


def test_the_line_the_unfaked_error_suggests_works():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.UnfakedOperationError) as raised:
            boto3.client("stepfunctions").list_activities()
        aws.respond(raised.value.service, raised.value.operation, {"activities": []})
        assert boto3.client("stepfunctions").list_activities()["activities"] == []


# --- 2. checked at registration -----------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, complaint",
    [
        ({**IDENTITY, "Acount": "1"}, "Acount: GetCallerIdentityResponse has no member 'Acount'; did you mean 'Account'?"),
        ({**IDENTITY, "Account": 123}, "Account: must be a string, not int (123)"),
    ],
)
def test_an_answer_that_does_not_fit_the_output_shape_is_refused_when_registered(answer, complaint):
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.InvalidAnswerError) as raised:
            aws.respond("sts", "GetCallerIdentity", answer)
    assert complaint in str(raised.value)


def test_every_misfit_is_named_with_its_path_and_what_the_model_wants():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.InvalidAnswerError) as raised:
            aws.respond(
                "iam", "ListAccessKeys",
                {
                    "AccessKeyMetadata": [{"UserName": "", "Status": "Enabled", "AccessKeyId": "AKIA"}],
                    "IsTruncated": "yes",
                },
            )
    message = str(raised.value)
    assert "IsTruncated: must be True or False, not str ('yes')" in message
    assert "AccessKeyMetadata[0].Status: 'Enabled' is not one of the model's values: Active, Inactive, Expired" in message
    assert "AccessKeyMetadata[0].UserName: has 0 characters; the model wants at least 1" in message
    assert "AccessKeyMetadata[0].AccessKeyId: has 4 characters; the model wants at least 16" in message


def test_a_member_the_model_requires_must_be_there():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.InvalidAnswerError, match=r"AccessKeyMetadata: required by the model"):
            aws.respond("iam", "ListAccessKeys", {})


def test_a_pattern_and_a_range_are_checked():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.InvalidAnswerError) as raised:
            aws.respond(
                "iam", "GetAccountPasswordPolicy",
                {"PasswordPolicy": {"MinimumPasswordLength": 200, "MaxPasswordAge": 0}},
            )
        with pytest.raises(stubaws.InvalidAnswerError, match=r"does not match the model's pattern"):
            aws.respond("iam", "GetUser", {"User": {**_user("alice"), "UserName": "not valid!"}})
    assert "MinimumPasswordLength: 200 is above the model's maximum of 128" in str(raised.value)
    assert "MaxPasswordAge: 0 is below the model's minimum of 1" in str(raised.value)


@pytest.mark.parametrize(
    "given",
    ["2024-05-01T12:30:00Z", "2024-05-01T12:30:00+00:00", 1714566600, 1714566600.0,
     dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.timezone.utc)],
)
def test_timestamps_may_be_datetimes_epoch_seconds_or_iso_text(given):
    with stubaws.mock() as aws:
        aws.respond("iam", "GetUser", {"User": {**_user("alice"), "CreateDate": given}})
        created = boto3.client("iam").get_user(UserName="alice")["User"]["CreateDate"]
    assert created == dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.timezone.utc)


def test_a_timestamp_that_is_not_one_is_refused_with_what_would_do():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.InvalidAnswerError, match=r"User.CreateDate: must be a timestamp"):
            aws.respond("iam", "GetUser", {"User": {**_user("alice"), "CreateDate": "yesterday"}})


def test_an_answer_made_by_a_function_is_checked_when_it_is_made():
    with stubaws.mock() as aws:
        aws.respond("sts", "GetCallerIdentity", lambda params: {"Acount": "1"})
        with pytest.raises(stubaws.InvalidAnswerError, match="did you mean 'Account'"):
            boto3.client("sts").get_caller_identity()


def test_an_answer_made_from_the_request():
    with stubaws.mock() as aws:
        aws.respond("iam", "GetUser", lambda params: {"User": _user(params["UserName"])})
        assert boto3.client("iam").get_user(UserName="carol")["User"]["UserName"] == "carol"


def test_a_modeled_error_takes_its_status_and_fields_from_the_model():
    with stubaws.mock() as aws:
        aws.respond("iam", "GetUser", error=ServiceError("NoSuchEntity", "The user with name bob cannot be found."))
        with pytest.raises(ClientError) as raised:
            boto3.client("iam").get_user(UserName="bob")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert raised.value.response["Error"]["Code"] == "NoSuchEntity"


@pytest.mark.parametrize(
    "client, method, code, status",
    [
        ("iam", "list_users", "AccessDenied", 403),
        ("sts", "get_caller_identity", "AccessDenied", 403),
        ("secretsmanager", "list_secrets", "AccessDeniedException", 403),
        ("iam", "list_users", "Throttling", 400),
        ("logs", "describe_log_groups", "ThrottlingException", 400),
        ("logs", "describe_log_groups", "ServiceUnavailable", 503),
        ("logs", "describe_log_groups", "InternalFailure", 500),
        ("logs", "describe_log_groups", "SomethingNobodyDocuments", 400),
    ],
)
def test_an_error_the_operation_does_not_model_gets_the_status_aws_uses_for_it(client, method, code, status):
    with stubaws.mock() as aws:
        aws.respond(client, method, error=ServiceError(code, "refused"))
        with pytest.raises(ClientError) as raised:
            getattr(boto3.client(client, config=NO_RETRIES), method)()
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert raised.value.response["Error"]["Code"] == code


def test_the_status_of_an_error_can_be_given():
    with stubaws.mock() as aws:
        aws.respond("iam", "ListUsers", error=ServiceError("AccessDenied", "no", status=401))
        with pytest.raises(ClientError) as raised:
            boto3.client("iam").list_users()
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401


# --- 3. order, matching, counting -----------------------------------------------------------------


def test_answers_for_one_operation_are_served_first_registered_first():
    with stubaws.mock() as aws:
        first = aws.respond("iam", "GetUser", {"User": _user("first")}, times=1)
        second = aws.respond("iam", "GetUser", {"User": _user("second")}, times=1)
        iam = boto3.client("iam")
        names = [iam.get_user(UserName="x")["User"]["UserName"] for _ in range(2)]
    assert names == ["first", "second"]
    assert first.call_count == second.call_count == 1


def test_match_answers_only_requests_whose_params_contain_those_values():
    with stubaws.mock() as aws:
        bob = aws.respond("iam", "GetUser", {"User": _user("bob")}, match={"UserName": "bob"})
        anyone = aws.respond("iam", "GetUser", {"User": _user("someone")})
        iam = boto3.client("iam")
        assert iam.get_user(UserName="carol")["User"]["UserName"] == "someone"
        assert iam.get_user(UserName="bob")["User"]["UserName"] == "bob"
    assert [call.params["UserName"] for call in bob.calls] == ["bob"]
    assert [call.params["UserName"] for call in anyone.calls] == ["carol"]


def test_match_compares_nested_dicts_as_subsets():
    with stubaws.mock() as aws:
        route = aws.respond(
            "lightsail", "UpdateBucket", {"operations": []},
            match={"bucketName": "bkt", "accessRules": {"getObject": "public"}},
        )
        lightsail = boto3.client("lightsail")
        lightsail.update_bucket(bucketName="bkt", accessRules={"getObject": "public", "allowPublicOverrides": False})
    assert route.call_count == 1


def test_match_naming_a_parameter_the_operation_lacks_is_refused():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.StubawsError, match="did you mean 'UserName'"):
            aws.respond("iam", "GetUser", {"User": _user("bob")}, match={"Username": "bob"})


def test_times_counts_api_calls_so_a_canned_server_error_is_seen_after_botocores_retries():
    with stubaws.mock() as aws:
        route = aws.respond("iam", "ListUsers", error=ServiceError("ServiceFailure", "down"), times=1)
        iam = boto3.client("iam", config=Config(retries={"mode": "standard", "total_max_attempts": 3}))
        with pytest.raises(ClientError) as raised:
            iam.list_users()
        assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 2
        assert route.call_count == 1
        assert [call.attempt for call in aws.calls] == [1, 2, 3]
        assert iam.list_users()["Users"] == []  # the next call: the fake answers again


def test_a_refused_request_uses_nothing_up():
    with stubaws.mock() as aws:
        route = aws.respond("iam", "GetUser", {"User": _user("bob")}, times=1)
        iam = boto3.client("iam", config=Config(parameter_validation=False))
        with pytest.raises(ClientError, match="ValidationError"):
            iam.get_user(UserName="x" * 200)
        assert route.call_count == 0
        assert iam.get_user(UserName="bob")["User"]["UserName"] == "bob"
    assert route.call_count == 1


def test_an_answer_without_times_answers_forever_and_the_route_counts():
    with stubaws.mock() as aws:
        route = aws.respond("sts", "GetCallerIdentity", IDENTITY)
        sts = boto3.client("sts")
        for _ in range(3):
            sts.get_caller_identity()
    assert route.called and route.call_count == 3 and route.calls[0].params == {}


def test_when_no_answer_matches_an_unfaked_operation_the_error_says_why():
    with stubaws.mock(assert_all_used=False) as aws:
        aws.respond("sts", "GetFederationToken", error=ServiceError("AccessDenied", "no"), match={"Name": "first"})
        with pytest.raises(stubaws.UnfakedOperationError, match="none of the answers registered for it serves this request"):
            boto3.client("sts").get_federation_token(Name="second")


# --- 4. strict by default ---------------------------------------------------------------------------


def test_an_answer_never_used_fails_the_activation_listing_it_and_the_calls():
    aws = stubaws.mock()
    with pytest.raises(stubaws.UnusedAnswersError) as raised:
        with aws:
            aws.respond("sts", "GetCallerIdentity", IDENTITY)
            boto3.client("iam").list_users()
    message = str(raised.value)
    assert "aws.respond('sts', 'GetCallerIdentity'): used by 0 calls" in message
    assert "1. iam ListUsers() -> answered" in message
    assert isinstance(raised.value, AssertionError)


def test_an_answer_used_fewer_times_than_registered_fails():
    with pytest.raises(stubaws.UnusedAnswersError, match=r"times=2\): used by 1 call"):
        with stubaws.mock() as aws:
            aws.respond("sts", "GetCallerIdentity", IDENTITY, times=2)
            boto3.client("sts").get_caller_identity()


def test_a_decorated_test_is_strict_too():
    @stubaws.mock
    def forgot_to_call():
        stubaws.current().fail("iam", "ListUsers", "Throttling")

    with pytest.raises(stubaws.UnusedAnswersError, match=r"aws.fail\('iam', 'ListUsers', 'Throttling', times=1\)"):
        forgot_to_call()


def test_assert_all_used_false_turns_it_off():
    with stubaws.mock(assert_all_used=False) as aws:
        aws.respond("sts", "GetCallerIdentity", IDENTITY)


def test_a_test_that_raised_shows_its_own_failure_not_the_unused_answers():
    with pytest.raises(ZeroDivisionError):
        with stubaws.mock() as aws:
            aws.respond("sts", "GetCallerIdentity", IDENTITY)
            1 / 0


# --- 5. faults through botocore's retries, without waiting -----------------------------------------


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_faults_are_retried_by_botocore_with_no_real_sleep(mode):
    with unittest_mock.patch("time.sleep") as sleep, stubaws.mock() as aws:
        fault = aws.fail("iam", "ListAccessKeys", "Throttling", times=2)
        iam = boto3.client("iam", config=Config(retries={"mode": mode}))
        iam.create_user(UserName="bob")
        answer = iam.list_access_keys(UserName="bob")
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2
    assert len(aws.retry_delays) == 2 and all(delay > 0 for delay in aws.retry_delays)
    assert fault.call_count == 2
    assert [(call.attempt, call.ok) for call in aws.calls.of("iam", "ListAccessKeys")] == [(1, False), (2, False), (3, True)]
    sleep.assert_not_called()


def test_a_fault_is_sent_as_aws_would_send_it():
    with stubaws.mock() as aws:
        aws.fail("iam", "ListUsers", "Throttling", times=None)
        iam = boto3.client("iam", config=Config(retries={"mode": "standard", "total_max_attempts": 4}))
        with pytest.raises(ClientError) as raised:
            iam.list_users()
    error = raised.value.response
    assert error["Error"] == {"Type": "Sender", "Code": "Throttling", "Message": "Rate exceeded"}
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["ResponseMetadata"]["RetryAttempts"] == 3
    assert len(aws.retry_delays) == 3


def test_a_fault_that_botocore_does_not_retry_is_seen_at_once():
    with stubaws.mock() as aws:
        aws.fail("iam", "ListUsers", "AccessDenied")
        with pytest.raises(ClientError) as raised:
            boto3.client("iam").list_users()
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert aws.retry_delays == []


def test_faults_come_before_answers_and_the_answer_counts_one_call():
    with stubaws.mock() as aws:
        answer = aws.respond("sts", "GetCallerIdentity", IDENTITY, times=1)
        aws.fail("sts", "GetCallerIdentity", "ServiceUnavailable", times=2)
        result = boto3.client("sts").get_caller_identity()
    assert result["ResponseMetadata"]["RetryAttempts"] == 2
    assert answer.call_count == 1 and answer.calls[0].attempt == 3


def test_a_fault_can_match_and_take_a_status():
    with stubaws.mock() as aws:
        aws.fail("iam", "GetUser", "InternalFailure", match={"UserName": "bob"}, status=502, times=None)
        iam = boto3.client("iam", config=NO_RETRIES)
        iam.create_user(UserName="alice")
        iam.create_user(UserName="bob")
        assert iam.get_user(UserName="alice")["User"]["UserName"] == "alice"
        with pytest.raises(ClientError) as raised:
            iam.get_user(UserName="bob")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 502


def test_adaptive_modes_rate_limiter_does_not_hold_requests_back(monkeypatch):
    from botocore.retries import adaptive

    limiters = []
    register = adaptive.register_retry_handler

    def keep(client):
        limiters.append(register(client))
        return limiters[-1]

    monkeypatch.setattr(adaptive, "register_retry_handler", keep)
    with stubaws.mock() as aws:
        iam = boto3.client("iam", config=Config(retries={"mode": "adaptive"}))
        bucket = limiters[0]._token_bucket

        def wait(timeout=None):
            raise AssertionError(f"the rate limiter waited {timeout} s")

        monkeypatch.setattr(bucket._new_fill_rate_condition, "wait", wait)
        for _ in range(4):
            aws.fail("iam", "ListUsers", "Throttling", times=2)
            assert iam.list_users()["ResponseMetadata"]["RetryAttempts"] == 2
        assert bucket._sleep_amount(1) > 0  # throttled: botocore would have waited for a token
    assert len(aws.retry_delays) == 8


@pytest.mark.skipif(
    not hasattr(__import__("botocore.retries.standard").retries.standard.RetryHandler, "_is_long_polling_operation"),
    reason="this botocore does not pause long-polling operations",
)
def test_a_long_polling_operation_whose_retry_quota_is_spent_does_not_sleep():
    # Standard mode pauses SQS ReceiveMessage itself once the client's retry quota is spent.
    with stubaws.mock() as aws:
        aws.fail("sqs", "ReceiveMessage", "ServiceUnavailable", times=None)
        sqs = boto3.client("sqs", config=Config(retries={"mode": "standard"}))
        url = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"
        retried = 1
        while retried:
            with pytest.raises(ClientError) as raised:
                sqs.receive_message(QueueUrl=url)
            retried = raised.value.response["ResponseMetadata"]["RetryAttempts"]
        before = len(aws.retry_delays)
        with pytest.raises(ClientError):
            sqs.receive_message(QueueUrl=url)
        assert len(aws.retry_delays) == before + 1


def test_retries_outside_a_mock_still_wait():
    # The waits are taken out of time only while a mock is active.
    import time

    import botocore.endpoint
    from botocore.retries import bucket, standard

    acquire = bucket.TokenBucket._acquire
    with stubaws.mock():
        assert botocore.endpoint.time is not time
        assert "_sleep" in vars(standard.RetryHandler)
    assert botocore.endpoint.time is time
    assert "_sleep" not in vars(standard.RetryHandler)
    assert bucket.TokenBucket._acquire is acquire


# --- 6. assertions --------------------------------------------------------------------------------


def test_assert_called_passes_when_some_call_contains_the_params():
    with stubaws.mock() as aws:
        iam = boto3.client("iam")
        iam.create_user(UserName="bob")
        iam.list_access_keys(UserName="bob")
        call = aws.assert_called("iam", "ListAccessKeys", UserName="bob")
        aws.assert_called("iam", "list_access_keys")
        aws.assert_not_called("iam", "DeleteUser")
        aws.assert_not_called("iam", "ListAccessKeys", UserName="alice")
    assert call.params == {"UserName": "bob"}


def test_a_failed_assertion_lists_every_call_received():
    with stubaws.mock() as aws:
        iam = boto3.client("iam")
        iam.create_user(UserName="bob")
        with pytest.raises(AssertionError) as raised:
            aws.assert_called("iam", "ListAccessKeys", UserName="bob")
        with pytest.raises(AssertionError) as not_raised:
            aws.assert_not_called("iam", "CreateUser")
    assert str(raised.value) == (
        "No call to iam ListAccessKeys(UserName='bob') was made.\n"
        "The mock received 1 call:\n"
        "  1. iam CreateUser(UserName='bob') -> answered"
    )
    assert "iam CreateUser() was called 1 time" in str(not_raised.value)


def test_calls_of_filters_by_service_and_operation_in_either_spelling():
    with stubaws.mock() as aws:
        aws.respond("logs", "DescribeLogGroups", {"logGroups": []})
        iam = boto3.client("iam")
        iam.create_user(UserName="bob")
        boto3.client("logs").describe_log_groups()
        iam.list_users()
    assert [c.operation for c in aws.calls.of("iam")] == ["CreateUser", "ListUsers"]
    assert len(aws.calls.of("cloudwatch-logs", "describe_log_groups")) == 1
    assert aws.calls.of("iam", "DeleteUser") == []


def test_unfaked_and_refused_calls_are_logged_with_their_error():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.UnfakedOperationError):
            boto3.client("logs").describe_log_groups()
        iam = boto3.client("iam", config=Config(parameter_validation=False))
        with pytest.raises(ClientError):
            iam.create_user(UserName="")
    unfaked, refused = aws.calls
    assert isinstance(unfaked.error, stubaws.UnfakedOperationError) and unfaked.service == "logs"
    assert unfaked.params == {}
    assert refused.error.code == "ValidationError" and refused.params == {"UserName": ""}


# --- 7. a handle in every style of test -----------------------------------------------------------


def test_current_is_the_handle_of_a_decorated_test():
    @stubaws.mock
    def decorated():
        aws = stubaws.current()
        aws.respond("sts", "GetCallerIdentity", IDENTITY)
        assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
        return aws

    handle = decorated()
    assert isinstance(handle, stubaws.Mock) and not handle.active


def test_current_is_the_innermost_mock():
    with stubaws.mock() as outer:
        assert stubaws.current() is outer
        with stubaws.mock() as inner:
            assert stubaws.current() is inner
        assert stubaws.current() is outer


def test_current_without_a_mock_says_what_to_do():
    with pytest.raises(stubaws.StubawsError, match="no stubaws mock is active"):
        stubaws.current()


@pytest.mark.asyncio
async def test_current_inside_an_async_test():
    @stubaws.mock
    async def decorated():
        await asyncio.sleep(0)
        stubaws.current().respond("sts", "GetCallerIdentity", IDENTITY)
        return boto3.client("sts").get_caller_identity()["Account"]

    assert await decorated() == "123456789012"


def test_setup_runs_at_the_start_of_every_activation():
    def setup(aws):
        aws.respond("sts", "GetCallerIdentity", IDENTITY, times=1)
        boto3.client("iam").create_user(UserName="from-setup")

    @stubaws.mock(setup=setup)
    def decorated():
        assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
        return [user["UserName"] for user in boto3.client("iam").list_users()["Users"]]

    assert decorated() == ["from-setup"]
    assert decorated() == ["from-setup"]  # a fresh world, a fresh answer


def test_setup_registers_for_every_use_of_a_context_manager_without_piling_up():
    handle = stubaws.mock(setup=lambda aws: aws.respond("sts", "GetCallerIdentity", IDENTITY, times=1))
    for _ in range(2):
        with handle:
            boto3.client("sts").get_caller_identity()
    assert len(handle.overrides.unused()) == 0


def test_answers_registered_before_start_are_kept_and_serve_every_activation():
    handle = stubaws.mock()
    route = handle.respond("sts", "GetCallerIdentity", IDENTITY, times=1)
    for _ in range(2):
        with handle:
            assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
        assert route.call_count == 1


def test_answers_registered_on_a_decorator_serve_each_run():
    handle = stubaws.mock()
    handle.respond("sts", "GetCallerIdentity", IDENTITY, times=1)

    @handle
    def decorated():
        return boto3.client("sts").get_caller_identity()["Account"]

    assert decorated() == decorated() == "123456789012"


def test_a_fixture_from_conftest_style_setup(stubaws_with_identity):
    assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
    stubaws_with_identity.assert_called("sts", "GetCallerIdentity")


@pytest.fixture
def stubaws_with_identity():
    with stubaws.mock(setup=lambda aws: aws.respond("sts", "GetCallerIdentity", IDENTITY)) as aws:
        yield aws


def test_a_worker_thread_is_answered_by_the_mock_its_test_started():
    seen = []
    with stubaws.mock() as aws:
        aws.respond("sts", "GetCallerIdentity", IDENTITY)
        worker = threading.Thread(target=lambda: seen.append(boto3.client("sts").get_caller_identity()["Account"]))
        worker.start()
        worker.join()
    assert seen == ["123456789012"]


# --- the fixture -----------------------------------------------------------------------------------

FIXTURE_TESTS = '''
import boto3
import stubaws

IDENTITY = {"Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/a", "UserId": "AIDAEXAMPLE"}

def test_unused(aws):
    aws.respond("sts", "GetCallerIdentity", IDENTITY)

def test_failing_with_an_unused_answer(aws):
    aws.respond("sts", "GetCallerIdentity", IDENTITY)
    assert False, "the test's own failure"

def test_used(aws):
    aws.respond("sts", "GetCallerIdentity", IDENTITY)
    boto3.client("sts").get_caller_identity()
'''


def test_the_fixture_is_strict_when_the_test_passed_and_quiet_when_it_failed(pytester):
    pytester.makepyfile(FIXTURE_TESTS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:asyncio")
    result.assert_outcomes(passed=2, failed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_unused*", "*UnusedAnswersError*"])
    assert "ERROR at teardown of test_failing_with_an_unused_answer" not in result.stdout.str()


def test_a_canned_errors_modeled_fields_are_checked_against_its_shape():
    with stubaws.mock() as aws:
        with pytest.raises(stubaws.InvalidAnswerError, match=r"tip: must be a string, not int \(5\)"):
            aws.respond("lightsail", "GetBuckets", error=ServiceError("ServiceException", "down", tip=5))


def test_a_canned_error_may_carry_fields_its_model_leaves_out():
    # AWS's errors carry such fields (S3's NoSuchKey names the Key), and botocore passes them on.
    with stubaws.mock() as aws:
        aws.respond("s3", "GetObject", error=ServiceError("NoSuchKey", "The specified key does not exist.", Key="a/b"))
        with pytest.raises(ClientError) as raised:
            boto3.client("s3").get_object(Bucket="bucket", Key="a/b")
    assert raised.value.response["Error"]["Key"] == "a/b"


def test_current_is_the_mock_each_thread_entered():
    both_active = threading.Barrier(2)
    seen = {}

    def run(name):
        with stubaws.mock() as aws:
            both_active.wait(timeout=30)
            seen[name] = stubaws.current() is aws
            both_active.wait(timeout=30)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"first": True, "second": True}


@pytest.mark.asyncio
async def test_current_is_the_mock_each_task_entered():
    async def run():
        with stubaws.mock() as aws:
            await asyncio.sleep(0)  # let the other task enter its own mock
            return stubaws.current() is aws

    assert await asyncio.gather(run(), run()) == [True, True]

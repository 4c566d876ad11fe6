"""The permission view's builders (views/permissions.py), which every permission reader uses: who a
resource-based statement names, its Condition entries, the account of the table it guards, and the
names that may mark a holder as read-only. Unknowns stay visible; junk never raises."""

from __future__ import annotations

from typing import Any

import pytest

from dynamodb_guardrails.model import UNKNOWN
from dynamodb_guardrails.views.permissions import (
    ConditionEntry,
    PrincipalView,
    account_of_dynamodb_arn,
    condition_entries,
    holder_names,
    identity_document,
    principal_views,
    resource_document,
)

ACCOUNT = "111122223333"
TABLE_ARN = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ()),
        (UNKNOWN, (PrincipalView("unknown"),)),
        ("*", (PrincipalView("everyone"),)),
        (" * ", (PrincipalView("everyone"),)),
        ("arn:aws:iam::111122223333:root", (PrincipalView("invalid"),)),  # a bare string must be "*"
        (7, (PrincipalView("invalid"),)),
        ({"AWS": "*"}, (PrincipalView("everyone"),)),
        ({"AWS": ACCOUNT}, (PrincipalView("aws", ACCOUNT),)),
        ({"AWS": f" {ACCOUNT} "}, (PrincipalView("aws", ACCOUNT),)),
        ({"AWS": UNKNOWN}, (PrincipalView("unknown"),)),
        (
            {"AWS": [ACCOUNT, UNKNOWN, 5]},
            (PrincipalView("aws", ACCOUNT), PrincipalView("unknown"), PrincipalView("invalid")),
        ),
        ({"Service": "lambda.amazonaws.com"}, (PrincipalView("service"),)),
        ({"Service": "*"}, (PrincipalView("everyone"),)),
        ({"Federated": "cognito-identity.amazonaws.com"}, (PrincipalView("federated"),)),
        ({"CanonicalUser": "79a59df900b949e55d96a1e698fbace"}, (PrincipalView("canonical-user"),)),
        ({"Robot": "r2d2"}, (PrincipalView("invalid"),)),
        ({3: "x"}, (PrincipalView("invalid"),)),
        ({"AWS": [], "Service": "dynamodb.amazonaws.com"}, (PrincipalView("service"),)),
    ],
)
def test_who_a_statement_names(value: Any, expected: tuple[PrincipalView, ...]) -> None:
    assert principal_views(value) == expected


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (f"arn:aws:iam::{ACCOUNT}:root", PrincipalView("aws", ACCOUNT)),
        (f"arn:aws:iam::{ACCOUNT}:role/app", PrincipalView("aws", ACCOUNT)),
        (f"arn:aws-us-gov:iam::{ACCOUNT}:user/ops", PrincipalView("aws", ACCOUNT)),
        (f"arn:aws:sts::{ACCOUNT}:assumed-role/app/session", PrincipalView("aws", ACCOUNT)),
        ("arn:aws:iam::*:root", PrincipalView("everyone")),  # every account: fail closed
        ("arn:aws:iam::1111222233?3:root", PrincipalView("everyone")),
        ("arn:aws:iam::1234:root", PrincipalView("aws", None)),  # no 12-digit account to read
        ("arn:aws:iam:::root", PrincipalView("aws", None)),
        ("AROAEXAMPLEID123456789", PrincipalView("aws", None)),  # a deleted principal's unique ID
        (f"arn:aws:s3::{ACCOUNT}:bucket", PrincipalView("aws", None)),  # not an IAM or STS ARN
        ("1111222233334", PrincipalView("aws", None)),  # 13 digits
    ],
)
def test_the_account_an_aws_principal_names(arn: str, expected: PrincipalView) -> None:
    assert principal_views({"AWS": arn}) == (expected,)


def test_condition_entries_keep_known_strings_and_flag_unknown_values() -> None:
    entries, unknown = condition_entries(
        {
            "StringEquals": {"aws:PrincipalAccount": ACCOUNT, "aws:SourceVpc": ["vpc-1", UNKNOWN, 3]},
            "Bool": {"aws:SecureTransport": UNKNOWN},
            7: {"ignored": "x"},
            "StringLike": {9: "ignored", "aws:userid": "AIDA*"},
            "Null": {"aws:TokenIssueTime": "false"},
        }
    )
    assert (entries, unknown) == (
        (
            ConditionEntry("StringEquals", "aws:PrincipalAccount", (ACCOUNT,)),
            ConditionEntry("StringEquals", "aws:SourceVpc", ("vpc-1",), unknown=True),
            ConditionEntry("Bool", "aws:SecureTransport", (), unknown=True),
            ConditionEntry("StringLike", "aws:userid", ("AIDA*",)),  # junk before it is skipped
            ConditionEntry("Null", "aws:TokenIssueTime", ("false",)),
        ),
        False,
    )


def test_an_unknown_condition_block_or_operator_body_makes_the_conditions_unknown() -> None:
    assert condition_entries(UNKNOWN) == ((), True)
    known = ConditionEntry("StringEquals", "aws:PrincipalAccount", (ACCOUNT,))
    assert condition_entries(
        {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}, "Bool": UNKNOWN, "Null": {"k": "true"}}
    ) == ((known,), True)


@pytest.mark.parametrize("junk", [None, "junk", 3, ["a"], {"StringEquals": "not a map"}])
def test_a_junk_condition_block_has_no_entries(junk: Any) -> None:
    assert condition_entries(junk) == ((), False)


@pytest.mark.parametrize(
    ("arn", "account"),
    [
        (TABLE_ARN, ACCOUNT),
        (f"arn:aws-cn:dynamodb:cn-north-1:{ACCOUNT}:table/orders/stream/2026", ACCOUNT),
        ("arn:aws:dynamodb:us-east-1:1234:table/orders", None),
        (f"arn:aws:s3:us-east-1:{ACCOUNT}:bucket", None),
        (f"prefix arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders", None),
        (UNKNOWN, None),
        (None, None),
    ],
)
def test_the_account_that_owns_a_table_or_stream(arn: Any, account: str | None) -> None:
    assert account_of_dynamodb_arn(arn) == account


def test_holder_names_keep_known_strings_one_pair_each() -> None:
    assert holder_names(
        ("name", "app-readonly"), ("role", ["r1", UNKNOWN, 2, "r2"]), ("logical name", UNKNOWN), ("x", 4)
    ) == (("name", "app-readonly"), ("role", "r1"), ("role", "r2"))


def test_a_resource_document_names_its_principals_or_not_principals_and_the_tables_account() -> None:
    document = resource_document(
        "Table 'orders' resourcePolicy",
        {
            "Statement": [
                {
                    "Sid": "Read",
                    "Effect": "Allow",
                    "Principal": {"AWS": ACCOUNT},
                    "Action": "dynamodb:GetItem",
                },
                {"Effect": "Deny", "NotPrincipal": {"AWS": ACCOUNT}, "Action": "dynamodb:*"},
            ]
        },
        TABLE_ARN,
    )
    assert (document.label, document.kind, document.resource_account) == (
        "Table 'orders' resourcePolicy",
        "resource",
        ACCOUNT,
    )
    read, deny = document.statements
    assert (read.origin, read.principals, read.not_principal) == (
        "Table 'orders' resourcePolicy, statement 'Read' (#0)",
        (PrincipalView("aws", ACCOUNT),),
        False,
    )
    assert (deny.principals, deny.not_principal) == ((PrincipalView("aws", ACCOUNT),), True)


def test_an_identity_document_grants_whoever_holds_it() -> None:
    document = identity_document(
        "Role 'app' policies[0]",
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"}]},
    )
    [statement] = document.statements
    assert (document.kind, document.resource_account, statement.principals) == ("identity", None, None)

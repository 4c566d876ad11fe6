"""dynamodb-on-demand-billing: tables that are not on-demand."""

from dynamodb_guardrails.rules import billing_mode
from dynamodb_stack import naming
from dynamodb_stack.default_tables import EVENTS, SESSIONS
from tests.mutations.breakage import TABLE, Breakage, change, setting
from tests.mutations.roads import CFN, GLOBAL, NATIVE, cfn_stack, extra, native_global_table, native_table
from tests.mutations.variant import PackConfig, Variant, tables

RULE = billing_mode.RULE


def events_provisioned(env: str) -> Breakage:
    return change(
        TABLE,
        naming.table_resource_name(EVENTS, env),
        setting(billing_mode="PROVISIONED", read_capacity=5, write_capacity=5),
    )


VARIANTS = (
    Variant(
        "billing-provisioned",
        "events table: billingMode PROVISIONED with 5/5 capacity",
        events_provisioned,
        RULE,
        tables("events"),
        update_too=True,
    ),
    Variant(
        "billing-via-transforms",
        "events table set to PROVISIONED by a `transforms` resource option (run by the engine)",
        lambda env: Breakage(
            engine_changes={
                (TABLE, naming.table_resource_name(EVENTS, env)): setting(
                    billingMode="PROVISIONED", readCapacity=5, writeCapacity=5
                )
            }
        ),
        RULE,
        tables("events"),
    ),
    Variant(
        "billing-mode-absent",
        "sessions table: billingMode unset",
        lambda env: change(TABLE, naming.table_resource_name(SESSIONS, env), setting(billing_mode=None)),
        RULE,
        tables("sessions"),
    ),
    Variant(
        "billing-advisory",
        "billing-provisioned under pack config `all: advisory`",
        events_provisioned,
        RULE,
        tables("events"),
        exit_code=0,
        pack_config=PackConfig("all-advisory", {"all": "advisory"}),
    ),
    Variant(
        "billing-remediated",
        "billing-provisioned with the billing policy at `remediate`: fixed, not reported",
        events_provisioned,
        None,
        exit_code=0,
        pack_config=PackConfig("billing-remediate", {RULE.meta.name: "remediate"}),
        remediated=tables("events"),
    ),
    Variant(
        "native-billing-absent",
        "aws-native table without billingMode (CloudFormation's default PROVISIONED)",
        extra(native_table(billing_mode=None)),
        RULE,
        (NATIVE,),
        update_too=True,
    ),
    Variant(
        "native-global-table-provisioned",
        "aws-native global table: billingMode PROVISIONED",
        extra(native_global_table(billing_mode="PROVISIONED")),
        RULE,
        (GLOBAL,),
    ),
    Variant(
        "cfn-table-provisioned",
        "CloudFormation stack, YAML template with short forms: table BillingMode PROVISIONED",
        extra(cfn_stack(yaml=True, BillingMode="PROVISIONED")),
        RULE,
        (CFN,),
        update_too=True,
    ),
)

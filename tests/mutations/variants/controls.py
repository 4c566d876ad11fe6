"""Controls: variants that must stay clean (nothing reported, exit 0)."""

from tests.mutations.breakage import Breakage, unchanged
from tests.mutations.roads import cfn_stack, extra, native_global_table, native_table
from tests.mutations.variant import Variant

CLEAN = Variant("clean", "nothing broken (control)", unchanged, None, exit_code=0, update_too=True)

VARIANTS = (
    CLEAN,
    Variant(
        "env-named-read",
        "stack config env=read, a valid suffix (must stay clean)",
        lambda env: Breakage(config={"env": "read"}),
        None,
        exit_code=0,
        update_too=True,
    ),
    Variant(
        "roads-clean",
        "aws-native table, global table and their aws-native alarms; CloudFormation stacks with a JSON and "
        "a YAML template (table and alarms): all compliant (control)",
        extra(native_table(), native_global_table(), cfn_stack(), cfn_stack(yaml=True, key="orders-yaml")),
        None,
        exit_code=0,
        update_too=True,
    ),
)

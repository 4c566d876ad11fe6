"""Controls: variants that must stay clean (nothing reported, exit 0)."""

from tests.mutations.breakage import Breakage, unchanged
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
)

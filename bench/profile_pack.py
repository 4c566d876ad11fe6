"""Profile a pack's Analyze and AnalyzeStack handlers inside the pack process (manual use).

    .venv/bin/python -m bench.profile_pack [--pack policies] [--tables 1000] [--rounds 20] [--top 25]

Analyze: every resource of our real stack, `--rounds` times. AnalyzeStack: one generated stack of
`--tables` tables. Prints the top functions by own time and by cumulative time for each handler.
"""

from __future__ import annotations

import argparse
import pstats
import tempfile
from pathlib import Path

from bench.measure import SETTINGS, wrapper_python
from bench.stacks import REPO_ROOT, generate_stack, make_template, real_stack_records
from policy_preview.analyzer.client import PackProcess
from policy_preview.evaluate import configure_pack, evaluate

_PROFILED_PACK = Path(__file__).with_name("profiled_pack.py")


def profiled_python(scratch: Path, out: Path) -> str:
    """The pack's interpreter under profiled_pack.py, which writes `<out>.<handler>.prof` when the
    pack is stopped."""
    return wrapper_python(scratch, _PROFILED_PACK, out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--pack", type=Path, default=REPO_ROOT / "policies")
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)

    records = real_stack_records()
    stack = generate_stack(make_template(records), args.tables)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        scratch = Path(tmp)
        out = scratch / "pack"
        with PackProcess(args.pack, settings=SETTINGS, python=profiled_python(scratch, out)) as pack:
            client = configure_pack(pack, config_file=None, settings=SETTINGS)
            for _ in range(args.rounds):
                evaluate(records, [client])
            client.analyze_stack(stack)
        for handler in ("analyze", "analyze_stack"):
            stats = pstats.Stats(str(out) + f".{handler}.prof")
            print(f"\n===== {handler}: {args.pack} =====")
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()

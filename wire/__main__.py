"""python -m wire FILE... — the dry-run JSON Lines output of ``import_wire``, without Django:
any accepted format, a line per story."""

import json
import sys

from wire.pipeline import dry_run_records

failed = 0
for path in sys.argv[1:]:
    for record in dry_run_records(path):
        if "error" in record:
            failed += 1
            print(f"{path}: {record['error']}", file=sys.stderr)
        print(json.dumps(record, ensure_ascii=False))
sys.exit(1 if failed else 0)

#!/usr/bin/env bash
# The fault scenarios of issue 14, item 8 (tests/faults), run N times (default 3); each prints
# what the user saw and what the database held. Private PostgreSQL, Redis and gunicorn on free
# loopback ports; the uploads scenario mounts a tmpfs (root only, else it is skipped).
#   bench/faults/run.sh [runs]          PYTEST=/path/to/pytest bench/faults/run.sh 3
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
pytest=${PYTEST:-.venv/bin/pytest}
status=0
for run in $(seq "$runs"); do
  echo "==== run $run of $runs"
  "$pytest" -p no:cacheprovider tests/faults -s -q -rs 2>&1 \
    | grep -E '^\[|passed|failed|skipped|^E ' || status=1
done
exit $status

#!/usr/bin/env bash
# Regenerates sample-data/: runs the generator (`hrflow gen`), then converts
# the staged 2019–2021 register from .xlsx to a real Excel 97-2003 .xls with
# xlsx_to_xls.py. openpyxl and xlwt are installed into a throwaway virtualenv
# under /tmp when the system Python lacks them.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

cargo run --release -- gen --out sample-data

staged="sample-data/.xls-staging/2019-2021_招聘登记表.xlsx"
target="sample-data/2019-2021_招聘登记表.xls"

python=python3
if ! "$python" -c 'import openpyxl, xlwt' 2>/dev/null; then
    venv="${TMPDIR:-/tmp}/hrflow-sample-venv"
    if ! "$venv/bin/python" -c 'import openpyxl, xlwt' 2>/dev/null; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet openpyxl xlwt
    fi
    python="$venv/bin/python"
fi

"$python" sample-data/tools/xlsx_to_xls.py "$staged" "$target"
rm -rf sample-data/.xls-staging
# The contact log is hand-written rows about the demo's people, not part of
# the generator's story; see the script for what each row shows.
"$python" sample-data/tools/make_contact_log.py sample-data/联系记录.xlsx
# Recall lists of a demo run (as of 2024-07-01), filled in by HR and
# returned: the report's recall funnel follows them.
"$python" sample-data/tools/make_recall_returns.py
echo "sample-data regenerated: $(wc -l < sample-data/ground_truth.csv) ground-truth lines"

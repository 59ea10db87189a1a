#!/bin/sh
# Write the API's OpenAPI schema to frontend/openapi.json, offline (no server, no database).
# Usage: sh frontend/scripts/export-openapi.sh [PYTHON]   (default: .venv/bin/python of the repository)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
python=${1:-${PYTHON:-$root/.venv/bin/python}}
cd "$root"
"$python" -c '
import json, sys
from backend.app import create_app
from backend.lib.settings import load_settings
schema = create_app(load_settings({}), configure_logs=False).openapi_schema.to_schema()
json.dump(schema, sys.stdout, indent=2, sort_keys=True)
sys.stdout.write("\n")
' > "$here/openapi.json.tmp"
mv "$here/openapi.json.tmp" "$here/openapi.json"
echo "wrote $here/openapi.json"

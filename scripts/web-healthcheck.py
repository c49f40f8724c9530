"""Docker's health check of the web container: GET /healthz/ with a Host the app accepts.

Exits 0 when the app answers 200. The Host comes from ALLOWED_HOSTS (its first entry, with a
leading-dot or wildcard entry turned into a name it matches), since Django refuses others.
"""

import os
import sys
import urllib.request

PORT = os.environ.get("PORT", "8000")


def allowed_host() -> str:
    first = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    if first in ("", "*"):
        return "localhost"
    return f"health{first}" if first.startswith(".") else first


def main() -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}/healthz/", headers={"Host": allowed_host()})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

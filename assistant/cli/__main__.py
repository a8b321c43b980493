"""`python -m assistant.cli ...` is `newsdesk ...`."""

import sys

from assistant.cli import main

sys.exit(main())

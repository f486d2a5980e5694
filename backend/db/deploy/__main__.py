"""``python -m backend.db.deploy``."""

import sys

from backend.db.deploy.cli import main

sys.exit(main())

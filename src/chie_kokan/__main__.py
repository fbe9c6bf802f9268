from __future__ import annotations

from chie_kokan.cli import main

raise SystemExit(main())

"""chie-kokan (知恵交換): run a mutual-support council workshop from the terminal."""

from __future__ import annotations

__version__ = "0.1.0"

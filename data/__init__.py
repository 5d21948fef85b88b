"""What skillscout ships besides code: the demo job board, the example profile, the default
sources, the persona judgments and the labelled extraction sets.

In a checkout this is the `data/` folder; pyproject.toml installs it as the package
`skillscout_data`, so an installed skillscout (pip, pipx, uv tool) finds its demo wherever it
lives. Nothing is ever written here: the database and crawl folders go to the user's data
folder (see `pipeline/db.py`)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
DEMO_BOARD = DATA_DIR / "demo_board"
EXAMPLE_PROFILE = DATA_DIR / "profile.example.yaml"
DEFAULT_SOURCES = DATA_DIR / "sources.yaml"
PERSONAS = DATA_DIR / "personas"
EVAL = DATA_DIR / "eval"

"""A stand-in for `jobspy.scrape_jobs` in the spider's own process (set through the
SKILLSCOUT_JOBSPY_SCRAPER setting): no network, the recorded CSV named by $FAKE_JOBSPY_CSV
read back into the DataFrame JobSpy would have returned; the arguments it was called with
are written to $FAKE_JOBSPY_CALLS for the test to check; $FAKE_JOBSPY_FAIL makes it raise."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd


def scrape_jobs(**kwargs) -> pd.DataFrame:
    Path(os.environ["FAKE_JOBSPY_CALLS"]).write_text(json.dumps(kwargs))
    if os.environ.get("FAKE_JOBSPY_FAIL"):
        raise ConnectionError(os.environ["FAKE_JOBSPY_FAIL"])
    return pd.read_csv(os.environ["FAKE_JOBSPY_CSV"], escapechar="\\")

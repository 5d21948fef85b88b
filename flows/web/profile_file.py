"""Which profile the app ranks for, read fresh on every request (an edit shows at once).

With `--profile FILE` the app reads and saves that file. Without it, the app uses the
profile saved from the browser before (`profile.yaml` in the user's data folder); until
there is one, it shows the bundled example profile, and saving writes the user's copy,
never the example inside the install."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import untrusted_yaml
from pipeline.profile import Profile, ProfileError, load_profile, parse_profile
from pipeline.status import profile_key
from skillscout_data import EXAMPLE_PROFILE


@dataclass
class ProfileState:
    path: Path  # the file read
    save_path: Path  # where saving from the browser writes
    is_example: bool  # showing the bundled example until the person saves their own
    profile: Profile | None = None
    error: ProfileError | None = None
    missing: bool = False  # the file given with --profile does not exist (yet)
    warnings: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """What statuses are stored under (`skillscout status` uses the same)."""
        return profile_key(self.profile, self.path)


class ProfileFile:
    def __init__(self, explicit: Path | None, user_default: Path) -> None:
        self.explicit = explicit
        self.user_default = user_default

    def current(self) -> ProfileState:
        if self.explicit is not None:
            state = ProfileState(self.explicit, self.explicit, is_example=False)
            if not self.explicit.exists():
                state.missing = True
                return state
        elif self.user_default.exists():
            state = ProfileState(self.user_default, self.user_default, is_example=False)
        else:
            state = ProfileState(EXAMPLE_PROFILE, self.user_default, is_example=True)
        try:
            state.profile = load_profile(state.path)
            state.warnings = list(state.profile.warnings)
        except ProfileError as exc:
            state.error = exc
        return state

    def text(self, state: ProfileState) -> str:
        if state.missing:
            return EXAMPLE_PROFILE.read_text(encoding="utf-8")
        try:
            return untrusted_yaml.read_text(state.path)
        except (OSError, UnicodeDecodeError, untrusted_yaml.FileTooLarge) as exc:
            return f"# cannot read {state.path}: {exc}\n"


def check(text: str, path: Path) -> Profile:
    """The profile in `text`, validated by the same parser as every command (ProfileError
    names the line)."""
    if len(text.encode("utf-8")) > untrusted_yaml.MAX_BYTES:
        raise ProfileError(f"{path}: the profile is over {untrusted_yaml.MAX_BYTES // 1000:,} KB")
    return parse_profile(text, path)


def save(text: str, path: Path) -> None:
    """Write atomically: a crash mid-save leaves the old profile, never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".profile-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

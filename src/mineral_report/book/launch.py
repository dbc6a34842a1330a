"""Binder and Colab launch buttons, which only work once the book knows its public repository.

Both services open a notebook from a GitHub repository, so a button is only drawn when the
build knows that address: from ``REPORT_REPOSITORY_URL`` (set by the publishing workflow), or
else from the clone's ``origin`` remote when it points at GitHub. A build from any other copy
has no launch buttons; the ``.ipynb`` download and the notebooks' first cell still explain how
to re-run a chapter.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY_ENV = "REPORT_REPOSITORY_URL"
BRANCH_ENV = "REPORT_REPOSITORY_BRANCH"
DEFAULT_BRANCH = "main"
LAUNCH_SERVICES = ("binderhub_url", "colab_url")

_GITHUB_REMOTE = re.compile(
    r"^(?:https://github\.com/|git@github\.com:|ssh://git@github\.com/)"
    r"(?P<owner>[A-Za-z0-9_.-]+)/(?P<name>[A-Za-z0-9_.-]+?)(?:\.git)?/?$"
)


@dataclass(frozen=True)
class PublicRepository:
    url: str
    branch: str


def github_address(remote: str) -> str | None:
    """The https address of a GitHub remote given as https, ssh or scp-style; None otherwise."""
    match = _GITHUB_REMOTE.match(remote.strip())
    if match is None:
        return None
    return f"https://github.com/{match['owner']}/{match['name']}"


def origin_remote(source_dir: Path) -> str:
    """The clone's ``origin`` address, or an empty string outside a git clone."""
    try:
        completed = subprocess.run(
            ["git", "-C", str(source_dir), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return completed.stdout.strip() if completed.returncode == 0 else ""


def find_public_repository(
    source_dir: Path, environ: Mapping[str, str]
) -> PublicRepository | None:
    """The repository that launch buttons should open, if this build knows one."""
    branch = environ.get(BRANCH_ENV, "").strip() or DEFAULT_BRANCH
    explicit = environ.get(REPOSITORY_ENV, "").strip()
    if explicit:
        address = github_address(explicit)
        if address is None:
            raise ValueError(
                f"{REPOSITORY_ENV}={explicit!r} is not a GitHub repository address "
                "(https://github.com/OWNER/NAME); Binder and Colab open notebooks from GitHub."
            )
        return PublicRepository(address, branch)
    address = github_address(origin_remote(source_dir))
    return PublicRepository(address, branch) if address else None


def apply_to_theme(theme_options: dict[str, Any], repository: PublicRepository | None) -> None:
    """Point the theme's repository and launch buttons at ``repository``, or switch them off.

    The theme fails on a page with a launch service but no repository, so without one the
    services named in ``_config.yml`` are blanked rather than left half-configured.
    """
    launch = dict(theme_options.get("launch_buttons", {}))
    if repository is None:
        theme_options["launch_buttons"] = {**launch, **{key: "" for key in LAUNCH_SERVICES}}
        return
    theme_options.update(
        repository_url=repository.url,
        repository_branch=repository.branch,
        path_to_docs="",
        use_repository_button=True,
        use_issues_button=True,
        launch_buttons=launch,
    )

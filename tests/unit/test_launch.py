"""Which repository the launch buttons open, and what the theme is told when none is known."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mineral_report.book.launch import (
    BRANCH_ENV,
    REPOSITORY_ENV,
    PublicRepository,
    apply_to_theme,
    find_public_repository,
    github_address,
)

from ..conftest import REPO


@pytest.mark.parametrize(
    ("remote", "address"),
    [
        ("https://github.com/owner/report", "https://github.com/owner/report"),
        ("https://github.com/owner/report.git", "https://github.com/owner/report"),
        ("https://github.com/owner/report/", "https://github.com/owner/report"),
        ("git@github.com:owner/report.git", "https://github.com/owner/report"),
        ("ssh://git@github.com/owner/my.report.git", "https://github.com/owner/my.report"),
        ("https://gitlab.com/owner/report", None),
        ("/work/report", None),
        ("https://github.com/owner", None),
        ("", None),
    ],
)
def test_github_address(remote: str, address: str | None) -> None:
    assert github_address(remote) == address


def _clone_with_origin(folder: Path, origin: str | None) -> Path:
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    if origin is not None:
        subprocess.run(["git", "-C", str(folder), "remote", "add", "origin", origin], check=True)
    return folder


def test_the_environment_names_the_repository_and_branch(tmp_path: Path) -> None:
    clone = _clone_with_origin(tmp_path, "git@github.com:someone/fork.git")
    environ = {REPOSITORY_ENV: "https://github.com/owner/report.git", BRANCH_ENV: "release"}
    assert find_public_repository(clone, environ) == PublicRepository(
        "https://github.com/owner/report", "release"
    )


def test_a_github_origin_is_used_when_the_environment_is_silent(tmp_path: Path) -> None:
    clone = _clone_with_origin(tmp_path, "git@github.com:someone/fork.git")
    assert find_public_repository(clone, {}) == PublicRepository(
        "https://github.com/someone/fork", "main"
    )


@pytest.mark.parametrize("origin", [None, "/srv/git/report.git", "https://gitlab.com/a/b"])
def test_no_repository_without_a_github_origin(tmp_path: Path, origin: str | None) -> None:
    assert find_public_repository(_clone_with_origin(tmp_path, origin), {}) is None


def test_outside_any_clone_there_is_no_repository(tmp_path: Path) -> None:
    assert find_public_repository(tmp_path, {}) is None


def test_a_non_github_address_in_the_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=REPOSITORY_ENV):
        find_public_repository(tmp_path, {REPOSITORY_ENV: "https://example.org/report"})


def test_a_known_repository_turns_on_its_buttons() -> None:
    options = {"launch_buttons": {"binderhub_url": "https://mybinder.org", "thebe": False}}
    apply_to_theme(options, PublicRepository("https://github.com/owner/report", "main"))
    assert options["repository_url"] == "https://github.com/owner/report"
    assert options["repository_branch"] == "main"
    assert options["use_repository_button"] is True
    assert options["launch_buttons"] == {"binderhub_url": "https://mybinder.org", "thebe": False}


def test_without_a_repository_the_launch_services_are_blanked() -> None:
    options = {
        "launch_buttons": {
            "binderhub_url": "https://mybinder.org",
            "colab_url": "https://colab.research.google.com",
            "thebe": False,
        }
    }
    apply_to_theme(options, None)
    assert options["launch_buttons"] == {"binderhub_url": "", "colab_url": "", "thebe": False}
    assert "repository_url" not in options


def test_binder_installs_the_pinned_environment_and_the_package() -> None:
    """repo2docker reads binder/ only; it must pull in the pins and install the package."""
    lines = [
        line.strip()
        for line in (REPO / "binder" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == ["-r ../requirements.txt", "."]
    assert (REPO / "pyproject.toml").is_file()
    runtime = (REPO / "binder" / "runtime.txt").read_text().strip()
    pinned_for = (REPO / "requirements.txt").read_text().splitlines()[0]
    assert runtime == "python-3.11" and "Python 3.11" in pinned_for

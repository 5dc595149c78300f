"""config.example.toml documents every setting with its default, and nothing else."""

import tomllib

from clerk.config import REPO_ROOT, Settings


def test_example_lists_every_setting_with_its_default():
    example = tomllib.loads((REPO_ROOT / "config.example.toml").read_text(encoding="utf-8"))
    assert Settings.model_validate(example) == Settings()
    defaults = Settings().model_dump()
    assert example.keys() == defaults.keys()
    for section, values in defaults.items():
        assert example[section].keys() == values.keys(), section

from pathlib import Path

import pytest

from clerk.config import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file():
    settings = load_settings(environ={})
    assert settings.centre.code == "demo-county"
    assert settings.auth.max_failures == 5
    assert settings.store_path().name == "clerk.sqlite3"
    assert (settings.fixtures_path() / "staff.toml").exists()


def test_file_values_and_env_override(tmp_path):
    path = write(tmp_path, '[centre]\ncode = "demo-township"\n[auth]\nlockout_minutes = 30\n')
    settings = load_settings(path, environ={"CLERK_AUTH_LOCKOUT_MINUTES": "5", "CLERK_STORE_PATH": "/x/y.sqlite3"})
    assert settings.centre.code == "demo-township"
    assert settings.auth.lockout_minutes == 5
    assert settings.store_path() == Path("/x/y.sqlite3")


def test_config_path_from_environment(tmp_path):
    path = write(tmp_path, '[centre]\ncode = "from-env"\n')
    assert load_settings(environ={"CLERK_CONFIG": str(path)}).centre.code == "from-env"


def test_unknown_key_is_named(tmp_path):
    path = write(tmp_path, "[auth]\nmax_failure = 3\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path, environ={})
    assert "未知的设置项 auth.max_failure" in err.value.message
    assert str(path) in err.value.message


def test_wrong_type_is_named(tmp_path):
    path = write(tmp_path, '[auth]\nmax_failures = "five"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path, environ={})
    assert "auth.max_failures" in err.value.message and "five" in err.value.message


def test_a_bad_environment_value_names_the_variable_not_a_file():
    from clerk.config import default_config_path

    assert not default_config_path().exists()  # no file anywhere: only the environment is wrong
    with pytest.raises(ConfigError) as err:
        load_settings(environ={"CLERK_AUTH_MAX_FAILURES": "five", "CLERK_AUTH_LOCKOUT_MINUTE": "3"})
    message = err.value.message
    assert "环境变量 CLERK_AUTH_MAX_FAILURES 的值不正确：'five'" in message
    assert "环境变量 CLERK_AUTH_LOCKOUT_MINUTE 不是已知的设置项" in message
    assert str(default_config_path()) not in message and "配置文件" not in message


def test_broken_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, "[auth\n"), environ={})
    assert "配置文件格式错误" in err.value.message
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path / "nope.toml", environ={})
    assert "找不到配置文件" in err.value.message


def test_queue_rules_per_centre(tmp_path):
    from clerk.queue import settings as queue_settings

    path = write(tmp_path, "[queue]\nmax_wait_minutes = 30\n[queue.centre.demo-township]\npriority_per_normal = 1\n")
    settings = load_settings(path, environ={})
    queue_settings.configure_from(settings)
    try:
        assert queue_settings.policy_for("demo-township").priority_per_normal == 1
        assert queue_settings.policy_for("demo-township").max_wait_minutes == 30
        assert queue_settings.policy_for("demo-county").priority_per_normal == 3
    finally:
        queue_settings.configure(None)


def test_wrong_queue_override_is_named(tmp_path):
    path = write(tmp_path, "[queue.centre.demo-township]\nratio = 1\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path, environ={})
    assert "ratio" in err.value.message

from conftest_shared import *  # noqa: F401,F403

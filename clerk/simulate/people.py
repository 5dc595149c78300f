"""Made-up applicants for the simulated hall: names, valid 居民身份证 numbers, mobile numbers.

The numbers pass the checks a real counter makes (clerk.identity), so the case mutations
take them; they are drawn from the simulation's own random source, so a seed gives the
same people again. None is a real person's.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.cn import ric

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "建华",
         "志强", "海燕", "晓东", "春梅")
REGIONS = ("110105", "320102", "330106", "350102", "440305", "510104")


def person(rng: random.Random) -> dict:
    """ApplicantArgs of a person (clerk.cases.applicant)."""
    return {"kind": "person", "name": rng.choice(SURNAMES) + rng.choice(GIVEN), "id_number": id_number(rng),
            "phone": f"139{rng.randrange(10**8):08d}"}


def id_number(rng: random.Random) -> str:
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    body = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")

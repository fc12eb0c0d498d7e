"""How sure a mean of ratings is: the 90% interval of the mean, on the 1 to 5 scale.

From the counted ratings' count n, sum and sum of squares: mean ± t(0.95, n − 1)
· s / √n (Student's t), clipped to the scale. A mean of one rating has no spread
to measure: its interval is the whole scale. The ratings of one strategy are
treated as independent, although a reader who rated two of its proposals gave
two of them.
"""

import math
from statistics import NormalDist

SCALE = (1.0, 5.0)

# Student's t at 0.95 (a two-sided 90% interval) for 1 to 30 degrees of freedom.
T_95 = (
    6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812,
    1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725,
    1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697,
)  # fmt: skip


def t_quantile(degrees: int) -> float:
    """Student's t at 0.95, from the table up to 30 degrees, then the Cornish–Fisher expansion."""
    if degrees <= len(T_95):
        return T_95[degrees - 1]
    z = NormalDist().inv_cdf(0.95)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    return z + g1 / degrees + g2 / degrees**2 + g3 / degrees**3


def mean_interval(count: int, total: int, squares: int) -> tuple[float, float]:
    """The 90% interval of the mean of `count` answers on the 1–5 scale, clipped to it."""
    if count < 2:
        return SCALE
    mean = total / count
    variance = max(count * squares - total * total, 0) / (count * (count - 1))
    half = t_quantile(count - 1) * math.sqrt(variance / count)
    return max(mean - half, SCALE[0]), min(mean + half, SCALE[1])

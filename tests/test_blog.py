"""lrutils' reconstruction of the blog's sketches is the blog's own numpy code (its grid, e = 0..99, lr 0.1)."""

from __future__ import annotations

import numpy as np
import pytest

from lrutils.curves.blog import blog_sketch

E = np.arange(100, dtype=float)
BLOG = {  # re-typed from the blog's code (see ../shared/DESIGN.md, "The blog's own words and sketch formulas")
    "StepLR": 0.1 * 0.5 ** np.floor(E / 10),
    "ExponentialLR": 0.1 * 0.9**E,
    "CosineAnnealingLR": 0.1 * (1 + np.cos(np.pi * E / 100)) / 2,
    "ReduceLROnPlateau": np.where(E < 50, 0.1, 0.01),
    "OneCycleLR": np.where(E < 50, 0.1 * E / 50, 0.1 * (1 + np.cos(np.pi * (E - 50) / 50)) / 2),
}


@pytest.mark.parametrize("name", sorted(BLOG))
def test_the_sketch_is_the_blogs_formula(name: str) -> None:
    np.testing.assert_allclose(blog_sketch(name), BLOG[name], rtol=1e-15, atol=0)


def test_the_one_cycle_sketch_ends_near_1e_4_not_at_0() -> None:
    sketch = blog_sketch("OneCycleLR")
    assert sketch[0] == 0.0 and sketch[50] == 0.1
    assert sketch[-1] == pytest.approx(9.87e-5, rel=1e-3)  # its cosine would reach 0 at epoch 100

"""One optimizer step of a stack of runs, on arrays allocated once: gradients, validation, update.

:mod:`lrutils.training.mlp`'s torch functions (:func:`~lrutils.training.mlp.backward`,
:func:`~lrutils.training.mlp.loss_and_accuracy`) define the results. A step of a small stack is a
hundred operations on arrays of a few hundred numbers, so its time is the cost per call, not the
arithmetic. :class:`StepArrays` (training) and :func:`evaluate` (validation) make the same
operations in the same order into arrays allocated once: the matrix multiplies are the same torch
calls (MKL, same shapes, strides and alignment), the layers stay torch operations in place, and
the softmax, exp and loss pieces run in numpy, whose call costs a third of torch's on arrays this
small. :func:`sgd_step` and :func:`adamw_step` are torch's SGD with momentum and AdamW in numpy, the
buffers of all parameters side by side.

Same bits: numpy and torch round ``+ - * /`` the same (IEEE 754); the ReLU, its derivative and the
maximum are written to give torch's bits, -0 included; AdamW's square root is ``torch.sqrt`` (MKL's,
not the correctly rounded one numpy has). What differs is NaN: when both operands of an operation
are NaN, torch and numpy may keep different ones (a sign bit). Until a logit is NaN or infinite,
every NaN comes from one invalid operation and has the same bits in both; a step or a validation
chunk whose logits hold a NaN or an infinity is handed to the torch functions, and after it nothing
of that run reaches the results (its loss at that step is NaN or infinite: it stops there or before).
Tests check every piece bit for bit against the torch functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import torch

from .mlp import DTYPE, N_CLASSES, N_INPUTS, StackedMLP, loss_and_accuracy
from .numerics import ExpScratch, RowSums, exp_nonpositive_, log_positive, sum_rows

OptimizerName = Literal["sgd", "adamw"]
ADAMW_BETAS = (0.9, 0.999)
ADAMW_EPS = 1e-8
ADAMW_WEIGHT_DECAY = 0.01
"""torch.optim.AdamW's defaults."""

SMALL_STACK = 4
"""Below this many copies the gradients' bias sums run in numpy (its calls cost less), from it on in
torch (its loops over strided arrays are faster). The bits are the same."""


def _pair(*shape: int) -> tuple[torch.Tensor, np.ndarray]:
    """A float64 tensor (what a matrix multiply reads or writes) and a numpy view of its memory."""
    tensor = torch.empty(shape, dtype=DTYPE)
    return tensor, tensor.numpy()


class Params:
    """Views of the copies ``lo:hi`` of a stack, in the forms the fast path reads (updates show through).

    >>> from lrutils.training.mlp import init_stack
    >>> Params(init_stack([0, 1], hidden=4), 1, 2).w2.shape
    torch.Size([1, 4, 4])
    """

    def __init__(self, net: StackedMLP, lo: int = 0, hi: int | None = None) -> None:
        w1, self.w2, self.w3 = (w[lo:hi] for w in net.weights)
        self.b1, self.b2, self.b3 = (b[lo:hi] for b in net.biases)
        self.w1_0, self.w1_1 = w1[:, 0:1, :], w1[:, 1:2, :]
        self.w2t, self.w3t = self.w2.transpose(1, 2), self.w3.transpose(1, 2)


class Arrays:
    """Forward-pass arrays for ``n`` copies on ``rows`` examples each: the layers (torch, in place),
    the softmax (numpy: a few dozen calls on small arrays)."""

    def __init__(self, n: int, rows: int, hidden: int) -> None:
        self.act1, self.tmp = torch.empty(n, rows, hidden, dtype=DTYPE), torch.empty(n, rows, hidden, dtype=DTYPE)
        self.act2 = torch.empty(n, rows, hidden, dtype=DTYPE)
        self.logits_t, self.logits = _pair(n, rows, N_CLASSES)
        self.top, self.terms = np.empty((n, rows, 1)), np.empty((n, rows, N_CLASSES))
        self.scratch = ExpScratch((n, rows, N_CLASSES))
        self.flat_logits = self.logits.reshape(-1)
        self.logit_columns = [self.logits[..., c : c + 1] for c in range(N_CLASSES)]
        self.term_columns = [self.terms[..., c : c + 1] for c in range(N_CLASSES)]

    def forward(self, p: Params, x0: torch.Tensor, x1: torch.Tensor) -> bool:
        """:func:`~lrutils.training.mlp.forward` on inputs ``(x0, x1)``, each ``(n or 1, rows, 1)``, and
        the max logit of each example; False if one is NaN or infinite (the torch functions take over)."""
        a1, top, (l0, l1, l2) = self.act1, self.top, self.logit_columns
        torch.mul(x0, p.w1_0, out=a1)
        torch.mul(x1, p.w1_1, out=self.tmp)
        a1.add_(self.tmp).add_(p.b1).clamp_min_(0.0)
        torch.baddbmm(p.b2, a1, p.w2, out=self.act2).clamp_min_(0.0)
        torch.baddbmm(p.b3, self.act2, p.w3, out=self.logits_t)
        # torch.amax; where the max is 0 its sign may differ, which changes nothing downstream
        np.maximum(l0, l1, out=top)
        np.maximum(top, l2, out=top)
        return math.isfinite(np.add.reduce(top, axis=None))

    def softmax(self, total: np.ndarray) -> None:
        """``terms = exp(logits - top)`` and ``total`` their sum (:func:`~lrutils.training.mlp.softmax_parts`)."""
        t0, t1, t2 = self.term_columns
        np.subtract(self.logits, self.top, out=self.terms)
        exp_nonpositive_(self.terms, self.scratch)
        np.add(t0, t1, out=total)
        np.add(total, t2, out=total)


class StepArrays(Arrays):
    """:func:`~lrutils.training.mlp.backward` for ``n`` copies on batches of ``rows`` examples, on arrays
    allocated once.
    numpy warns of overflow where torch is silent: call it inside ``np.errstate(all="ignore")``, as the
    engine does.

    >>> from lrutils.training.mlp import init_stack
    >>> net, arrays, labels = init_stack([0], hidden=4), StepArrays(1, 5, 4), np.zeros((1, 5), dtype=np.int64)
    >>> arrays.x[:] = 0.0
    >>> out = np.empty((1, 5)), np.empty((1, 5, 1))
    >>> [g.shape for g in arrays.gradients(Params(net), *batch_labels(labels, [(0, 5)]), *out)][:2]
    [(1, 2, 4), (1, 1, 4)]
    """

    def __init__(self, n: int, rows: int, hidden: int) -> None:
        super().__init__(n, rows, hidden)
        self.rows = rows
        self.x_t, self.x = _pair(n, rows, N_INPUTS)
        self.x0, self.x1, self.top0 = self.x_t[..., 0:1], self.x_t[..., 1:2], self.top[..., 0]
        self.d3_t, self.d3 = _pair(n, rows, N_CLASSES)
        self.d2, self.d1, self.mask = (torch.empty(n, rows, hidden, dtype=DTYPE) for _ in range(3))
        self.picked = np.empty((n, rows))
        sums_t, sums = _pair(n, max((1 << max(rows - 1, 0).bit_length()) // 2, 1), 2 * hidden + N_CLASSES)
        parts = [self.d1, self.d2, self.d3_t]
        if n < SMALL_STACK:  # numpy's calls cost less; torch's loops over strided arrays are faster
            self.bias_sums = RowSums([t.numpy() for t in parts], sums)
        else:
            self.bias_sums = RowSums(parts, sums_t, torch.add)
        outs = [torch.empty(n, N_INPUTS, hidden, dtype=DTYPE), torch.empty(n, hidden, hidden, dtype=DTYPE)]
        outs.append(torch.empty(n, hidden, N_CLASSES, dtype=DTYPE))
        inputs = [(self.x_t, self.d1), (self.act1, self.d2), (self.act2, self.d3_t)]
        self.products = [(a.transpose(1, 2), d, out) for (a, d), out in zip(inputs, outs, strict=True)]
        (w1, w2, w3), h = (o.numpy() for o in outs), hidden
        self.grads = [w1, sums[:, :1, :h], w2, sums[:, :1, h : 2 * h], w3, sums[:, :1, 2 * h :]]

    def gradients(
        self, p: Params, onehot: np.ndarray, label_index: np.ndarray, offset: np.ndarray, total: np.ndarray
    ) -> list[np.ndarray] | None:
        """The gradients for the batch in ``self.x`` (views of these arrays, in the order of
        :meth:`~lrutils.training.mlp.StackedMLP.tensors`); each example's ``offset`` ``(n, rows)`` and
        ``total`` ``(n, rows, 1)`` are written into the arrays given. ``onehot`` and ``label_index``
        come from :func:`batch_labels`. None if a logit is NaN or infinite: nothing is written then."""
        if not self.forward(p, self.x0, self.x1):
            return None
        self.softmax(total)
        np.take(self.flat_logits, label_index, out=self.picked, mode="wrap")
        np.subtract(self.top0, self.picked, out=offset)
        d3 = self.d3
        np.divide(self.terms, total, out=d3)
        np.add(d3, onehot, out=d3)  # -1 at the label (torch: scatter_add); elsewhere + 0.0 leaves d3 > 0 as it is
        np.divide(d3, self.rows, out=d3)
        torch.bmm(self.d3_t, p.w3t, out=self.d2).mul_(torch.sign(self.act2, out=self.mask))
        torch.bmm(self.d2, p.w2t, out=self.d1).mul_(torch.sign(self.act1, out=self.mask))
        self.bias_sums()
        for a, b, out in self.products:
            torch.bmm(a, b, out=out)
        return self.grads


def batch_labels(labels: np.ndarray, spans: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """For labels ``(n, examples)`` cut into batches ``spans``: -1 at each label and 0 elsewhere
    ``(n, examples, 3)``, and each label's position in its batch's flattened ``(n, rows, 3)`` logits.

    >>> onehot, index = batch_labels(np.array([[2, 0, 1]]), [(0, 2), (2, 3)])
    >>> onehot[0, :2].tolist(), index.tolist()
    ([[0.0, 0.0, -1.0], [-1.0, 0.0, 0.0]], [[2, 3, 1]])
    """
    n, examples = labels.shape
    onehot = np.zeros((n, examples, N_CLASSES))
    onehot.reshape(-1)[_first_columns(n, ((0, examples),)) + labels] = -1.0
    return onehot, _first_columns(n, tuple(spans)) + labels


@lru_cache(maxsize=8)
def _first_columns(n: int, spans: tuple[tuple[int, int], ...]) -> np.ndarray:
    """Where each example's class 0 sits in its batch's flattened ``(n, rows, 3)`` logits (read-only)."""
    out = np.empty((n, spans[-1][1]), dtype=np.int64)
    for a, b in spans:
        out[:, a:b] = np.arange(n * (b - a)).reshape(n, b - a) * N_CLASSES
    out.flags.writeable = False
    return out


def evaluate(
    net: StackedMLP, x: torch.Tensor, labels: torch.Tensor, chunk: int = 8, cache: dict | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """:func:`~lrutils.training.mlp.loss_and_accuracy`, bit for bit, ``chunk`` copies at a time (their
    arrays stay in cache).
    ``cache`` keeps the arrays for the next call on the same split and width.

    >>> from lrutils.training.mlp import init_stack
    >>> net = init_stack([0, 1], hidden=4)
    >>> [bool(torch.equal(a, b)) for a, b in zip(evaluate(net, *_demo_split()), loss_and_accuracy(net, *_demo_split()))]
    [True, True]
    """
    with np.errstate(all="ignore"):  # overflow and NaN are results here, as in torch
        return _evaluate(net, x, labels, chunk, {} if cache is None else cache)


def _evaluate(
    net: StackedMLP, x: torch.Tensor, labels: torch.Tensor, chunk: int, arrays: dict
) -> tuple[torch.Tensor, torch.Tensor]:
    n, examples, hidden = net.n_models, x.shape[0], net.weights[0].shape[2]
    labels_np, x0, x1 = labels.numpy(), x[None, :, 0:1], x[None, :, 1:2]
    top, total, picked = np.empty((n, examples, 1)), np.empty((n, examples, 1)), np.empty((n, examples, 1))
    hits, exact = np.empty((n, examples)), []
    for lo in range(0, n, chunk):
        hi = min(lo + chunk, n)
        if (hi - lo, examples, hidden) not in arrays:
            arrays[hi - lo, examples, hidden] = Arrays(hi - lo, examples, hidden)
        a = arrays[hi - lo, examples, hidden]
        if not a.forward(Params(net, lo, hi), x0, x1):
            exact.append((lo, hi))
            total[lo:hi], top[lo:hi], picked[lo:hi], hits[lo:hi] = 1.0, 0.0, 0.0, 0.0  # replaced below
            continue
        a.softmax(total[lo:hi])
        np.copyto(top[lo:hi], a.top)
        index = _first_columns(hi - lo, ((0, examples),)) + labels_np
        np.take(a.flat_logits, index, out=picked[lo:hi, :, 0], mode="wrap")
        np.equal(a.logits_t.argmax(dim=-1).numpy(), labels_np, out=hits[lo:hi])
    losses = np.add(top, log_positive(torch.from_numpy(total)).numpy(), out=top)
    np.subtract(losses, picked, out=losses)
    loss = sum_rows(torch.from_numpy(losses)).view(-1) / examples
    acc = sum_rows(torch.from_numpy(hits).unsqueeze(-1)).view(-1) / examples
    for lo, hi in exact:  # a NaN or infinite logit: torch's own operations
        loss[lo:hi], acc[lo:hi] = loss_and_accuracy(net.select(torch.arange(lo, hi)), x, labels)
    return loss, acc


def _demo_split() -> tuple[torch.Tensor, torch.Tensor]:
    """Five points and labels for the examples above."""
    return torch.linspace(-1.0, 1.0, 10, dtype=DTYPE).view(5, 2), torch.tensor([0, 1, 2, 1, 0])


# --- updates -----------------------------------------------------------------------------------


class _Flat:
    """Arrays shaped like the parameters ``(n, ...)``, side by side in one ``(n, size)`` array: an
    operation with one value per run (momentum, lr) is one call for all of them.

    >>> f = _Flat([(2, 3, 4), (2, 1, 4)]); f.flat.shape, [p.shape for p in f.parts]
    ((2, 16), [(2, 3, 4), (2, 1, 4)])
    """

    def __init__(self, shapes: list[tuple[int, ...]], flat: np.ndarray | None = None) -> None:
        sizes = [math.prod(shape[1:]) for shape in shapes]
        self.shapes, self.flat = shapes, np.zeros((shapes[0][0], sum(sizes))) if flat is None else flat
        starts = np.cumsum([0, *sizes])
        self.parts = [
            self.flat[:, a:b].reshape(-1, *s[1:]) for a, b, s in zip(starts[:-1], starts[1:], shapes, strict=True)
        ]

    def select(self, keep: np.ndarray) -> _Flat:
        return _Flat([(len(keep), *s[1:]) for s in self.shapes], self.flat[keep])


@dataclass
class OptimizerState:
    """SGD momentum buffers, or AdamW's moment estimates, for a stack of runs."""

    kind: OptimizerName
    first: _Flat | None = None  # SGD's buffers / AdamW's exp_avg
    second: _Flat | None = None  # AdamW's exp_avg_sq
    scratch: _Flat | None = None
    steps: int = 0

    def select(self, keep: np.ndarray) -> None:
        for name in ("first", "second", "scratch"):
            if (flat := getattr(self, name)) is not None:
                setattr(self, name, flat.select(keep))


def _torch_sqrt(v: np.ndarray, out: np.ndarray) -> np.ndarray:
    """torch.sqrt into ``out``: MKL's, not numpy's correctly rounded one (see numerics' docstring)."""
    torch.sqrt(torch.from_numpy(v), out=torch.from_numpy(out))
    return out


def int_power(base: Any, exponent: int) -> Any:
    """``base ** exponent`` for an int exponent >= 1 by repeated squaring: plain multiplies, rounded
    the same on every CPU (a vectorised ``pow`` is not). Works on floats and tensors.

    >>> int_power(0.5, 3), int_power(torch.tensor([2.0]), 10).tolist()
    (0.125, [1024.0])
    """
    result, square, n = None, base, exponent
    while n:
        if n & 1:
            result = square if result is None else result * square
        n >>= 1
        if n:
            square = square * square
    return result


def sgd_step(params: list[np.ndarray], grads: list[np.ndarray], state: OptimizerState, lr, momentum) -> None:
    """torch's SGD with momentum on every parameter (``lr``, ``momentum``: one per run, ``(n, 1, 1)``)."""
    if state.first is None:
        shapes = [g.shape for g in grads]
        state.first, state.scratch = _Flat(shapes), _Flat(shapes)
        for buf, g in zip(state.first.parts, grads, strict=True):
            np.copyto(buf, g)  # torch: the first buffer is the gradient itself
    else:
        np.multiply(state.first.flat, momentum.reshape(-1, 1), out=state.first.flat)
        for buf, g in zip(state.first.parts, grads, strict=True):
            np.add(buf, g, out=buf)
    assert state.scratch is not None
    np.multiply(state.first.flat, lr.reshape(-1, 1), out=state.scratch.flat)
    for p, step in zip(params, state.scratch.parts, strict=True):
        np.subtract(p, step, out=p)


def adamw_step(params: list[np.ndarray], grads: list[np.ndarray], state: OptimizerState, lr, beta1) -> None:
    """torch's AdamW on every parameter (``lr``, ``beta1``: one per run, ``(n, 1, 1)``)."""
    beta2 = ADAMW_BETAS[1]
    if state.first is None:
        shapes = [g.shape for g in grads]
        state.first, state.second, state.scratch = _Flat(shapes), _Flat(shapes), _Flat(shapes)
    assert state.second is not None and state.scratch is not None
    m, v, tmp = state.first.flat, state.second.flat, state.scratch.flat
    state.steps += 1
    # torch's bias corrections, 1 - beta ** step with the current betas
    step_size = lr / (1.0 - int_power(beta1, state.steps))
    root_correction = math.sqrt(1.0 - int_power(beta2, state.steps))
    decay, keep = 1.0 - lr * ADAMW_WEIGHT_DECAY, 1.0 - beta1
    for p in params:
        np.multiply(p, decay, out=p)
    np.multiply(m, beta1.reshape(-1, 1), out=m)  # m * b1 + g * (1 - b1)
    for g, t in zip(grads, state.scratch.parts, strict=True):
        np.multiply(g, keep, out=t)
    np.add(m, tmp, out=m)
    np.multiply(v, beta2, out=v)  # v * b2 + (g * g) * (1 - b2)
    for g, t in zip(grads, state.scratch.parts, strict=True):
        np.multiply(g, g, out=t)
    np.add(v, np.multiply(tmp, 1.0 - beta2, out=tmp), out=v)
    np.add(np.divide(_torch_sqrt(v, tmp), root_correction, out=tmp), ADAMW_EPS, out=tmp)  # sqrt(v) / rc + eps
    np.multiply(step_size.reshape(-1, 1), np.divide(m, tmp, out=tmp), out=tmp)  # step_size * (m / that)
    for p, step in zip(params, state.scratch.parts, strict=True):
        np.subtract(p, step, out=p)


__all__ = [
    "ADAMW_BETAS",
    "ADAMW_EPS",
    "ADAMW_WEIGHT_DECAY",
    "SMALL_STACK",
    "Arrays",
    "OptimizerState",
    "Params",
    "StepArrays",
    "adamw_step",
    "batch_labels",
    "evaluate",
    "int_power",
    "sgd_step",
]

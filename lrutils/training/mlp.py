"""The demo network as a stack of independent copies: N MLPs trained side by side in one pass.

The demo trains the same small MLP (2 -> hidden -> hidden -> 3, ReLU, cross-entropy) for many
seeds and learning rates. Stacking the copies' weights along a first axis of size N and using
batched matrix multiplies (``torch.baddbmm``) trains all N in about the time of a few, and each
copy computes exactly what it would compute alone (MKL multiplies each matrix of the batch on its
own; a test checks N stacked runs against N single ones, bit for bit).

Forward and backward are written out by hand instead of using autograd, so that every operation
is one whose rounding is the same on every CPU (see :mod:`lrutils.training.numerics`): MKL multiplies in
its reproducible mode, elementwise IEEE arithmetic, and exp/log/sums from exact operations. A test
checks the hand-written gradients against autograd's.

Everything is float64: with float32 a learning rate of 0.2 already turns a last-bit difference
into a different final loss; in float64 the demo runs stay far from that.

Two evaluations of the same operations. :func:`forward`, :func:`backward` and
:func:`loss_and_accuracy` are written in torch and define the results. A training step of a small
stack is a hundred operations on arrays of a few hundred numbers, so its time is the cost per
call, not the arithmetic: :class:`StepArrays` (training) and :func:`evaluate` (validation) make the
same operations, in the same order, with the matrix multiplies still in torch (the same MKL calls)
and the elementwise work in numpy, whose call costs a fraction of torch's, into arrays allocated
once. ``+ - * /`` and ``sqrt`` round the same in both (IEEE 754), and the ReLU, its derivative and
the maximum are written to give torch's bits, -0 included. What differs is NaN: when both operands
of an operation are NaN, torch and numpy may keep different ones (a sign bit), so a step whose
logits hold a NaN or an infinity is redone by the torch functions. Tests check both bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from .numerics import ExpScratch, RowSums, exp_nonpositive, exp_nonpositive_, log_positive, sum_rows

DTYPE = torch.float64
N_INPUTS = 2
N_CLASSES = 3


@dataclass
class StackedMLP:
    """Weights of N copies of the MLP, each tensor with the copies along axis 0.

    ``weights[i]`` has shape ``(N, fan_in, fan_out)`` and ``biases[i]`` ``(N, 1, fan_out)``; layer
    ``i`` computes ``x @ weights[i] + biases[i]``.

    >>> net = init_stack([0, 1], hidden=4)
    >>> net.n_models, [tuple(w.shape) for w in net.weights]
    (2, [(2, 2, 4), (2, 4, 4), (2, 4, 3)])
    """

    weights: list[torch.Tensor]
    biases: list[torch.Tensor]

    @property
    def n_models(self) -> int:
        """How many copies are stacked."""
        return self.weights[0].shape[0]

    def tensors(self) -> list[torch.Tensor]:
        """All parameters in a fixed order: w1, b1, w2, b2, w3, b3."""
        return [t for pair in zip(self.weights, self.biases, strict=True) for t in pair]

    def select(self, keep: torch.Tensor) -> StackedMLP:
        """The copies at indices ``keep`` (a 1-D index tensor), as a new stack.

        >>> init_stack([0, 1, 2], hidden=4).select(torch.tensor([0, 2])).n_models
        2
        """
        return StackedMLP([w[keep] for w in self.weights], [b[keep] for b in self.biases])


def _uniform(shape: tuple[int, ...], bound: float, generator: torch.Generator) -> torch.Tensor:
    # U(-bound, bound) from torch.rand's 53-bit values with exact steps (* 2, - 1) and one
    # rounded multiply: the same bits on every CPU. (nn.Linear's own init rounds differently with
    # and without FMA, which already moved float32 results.)
    return (torch.rand(shape, generator=generator, dtype=DTYPE) * 2.0 - 1.0) * bound


def init_stack(seeds: Sequence[int], hidden: int) -> StackedMLP:
    """One MLP per seed, initialised like ``nn.Linear`` (uniform in ``±1/sqrt(fan_in)``), stacked.

    Copy ``i`` depends only on ``seeds[i]``: the same seed gives the same weights in any stack.

    >>> a, b = init_stack([3], hidden=4), init_stack([7, 3], hidden=4)
    >>> bool(torch.equal(a.weights[1][0], b.weights[1][1]))
    True
    """
    sizes = [N_INPUTS, hidden, hidden, N_CLASSES]
    weights: list[list[torch.Tensor]] = [[] for _ in range(3)]
    biases: list[list[torch.Tensor]] = [[] for _ in range(3)]
    for seed in seeds:
        generator = torch.Generator().manual_seed(seed)
        for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            bound = 1.0 / math.sqrt(fan_in)
            weights[layer].append(_uniform((fan_in, fan_out), bound, generator))
            biases[layer].append(_uniform((1, fan_out), bound, generator))
    return StackedMLP([torch.stack(w) for w in weights], [torch.stack(b) for b in biases])


@dataclass
class Forward:
    """What the forward pass keeps for the backward pass and the loss."""

    pre1: torch.Tensor  # first hidden layer before ReLU, (N, B, hidden)
    act1: torch.Tensor
    pre2: torch.Tensor
    act2: torch.Tensor
    logits: torch.Tensor  # (N, B, 3)


def forward(net: StackedMLP, x: torch.Tensor) -> Forward:
    """Run every copy on its own inputs ``x`` of shape ``(N, B, 2)`` (or ``(1, B, 2)``: the same for all).

    >>> net = init_stack([0], hidden=4)
    >>> tuple(forward(net, torch.zeros(1, 5, 2, dtype=DTYPE)).logits.shape)
    (1, 5, 3)
    """
    w1, w2, w3 = net.weights
    b1, b2, b3 = net.biases
    # Two inputs: two multiplies and adds are cheaper than a matrix multiply (and as portable).
    pre1 = (x[..., 0:1] * w1[:, 0:1, :] + x[..., 1:2] * w1[:, 1:2, :]) + b1
    act1 = pre1.clamp_min(0.0)
    pre2 = torch.baddbmm(b2, act1, w2)
    act2 = pre2.clamp_min(0.0)
    return Forward(pre1, act1, pre2, act2, torch.baddbmm(b3, act2, w3))


def softmax_parts(logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(max, exp(logits - max), sum of those)`` over the last axis: the pieces of softmax and log-sum-exp.

    >>> m, e, s = softmax_parts(torch.zeros(1, 1, 3, dtype=DTYPE))
    >>> s.item()
    3.0
    """
    top = logits.amax(dim=-1, keepdim=True)
    terms = exp_nonpositive(logits - top)
    total = terms[..., 0:1]
    for k in range(1, terms.shape[-1]):  # a fixed order: three adds, no vectorised reduction
        total = total + terms[..., k : k + 1]
    return top, terms, total


def cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Per-example cross-entropy ``log-sum-exp(logits) - logits[label]``, shape ``(N, B)``.

    >>> cross_entropy(torch.zeros(1, 2, 3, dtype=DTYPE), torch.tensor([[0, 2]])).tolist()
    [[1.0986122886681096, 1.0986122886681096]]
    """
    top, _, total = softmax_parts(logits)
    picked = logits.gather(-1, labels.expand(logits.shape[0], -1).unsqueeze(-1))
    return ((top + log_positive(total)) - picked).squeeze(-1)


@dataclass
class Backward:
    """One training step's gradients, plus the pieces of each example's loss.

    ``grads`` follow :meth:`StackedMLP.tensors` order. Each example's cross-entropy is
    ``offset + log(total)`` (``offset = max logit - label's logit``); the log is taken later, once
    per epoch for all batches together, which is cheaper than once per step.
    """

    grads: list[torch.Tensor]
    offset: torch.Tensor  # (N, B)
    total: torch.Tensor  # (N, B)


def backward(net: StackedMLP, x: torch.Tensor, labels: torch.Tensor) -> Backward:
    """Gradients of each copy's mean cross-entropy over its own batch ``x[i]``, ``labels[i]``.

    ``x`` is ``(N, B, 2)``, ``labels`` ``(N, B)``.

    >>> net = init_stack([0], hidden=4)
    >>> step = backward(net, torch.zeros(1, 5, 2, dtype=DTYPE), torch.zeros(1, 5, dtype=torch.long))
    >>> [tuple(g.shape) for g in step.grads][:2], tuple(step.offset.shape)
    ([(1, 2, 4), (1, 1, 4)], (1, 5))
    """
    w1, w2, w3 = net.weights
    f = forward(net, x)
    top, terms, total = softmax_parts(f.logits)
    picked = f.logits.gather(-1, labels.unsqueeze(-1))
    batch = x.shape[1]
    # d(mean loss)/d(logits) = (softmax - one_hot) / B
    delta3 = terms / total
    delta3 = delta3.scatter_add(-1, labels.unsqueeze(-1), torch.full((*labels.shape, 1), -1.0, dtype=DTYPE))
    delta3 = delta3 / batch
    # ReLU's derivative as sign(relu(pre)) in {0, 1}: a float multiply, far cheaper than a bool mask
    delta2 = torch.bmm(delta3, w3.transpose(1, 2)) * torch.sign(f.act2)
    delta1 = torch.bmm(delta2, w2.transpose(1, 2)) * torch.sign(f.act1)
    # The three bias gradients in one fixed-order sum: columns are summed independently.
    b1, b2, b3 = torch.split(sum_rows(torch.cat([delta1, delta2, delta3], dim=2)), [w1.shape[2], w2.shape[2], 3], 2)
    grads = [
        torch.bmm(x.transpose(1, 2), delta1),
        b1,
        torch.bmm(f.act1.transpose(1, 2), delta2),
        b2,
        torch.bmm(f.act2.transpose(1, 2), delta3),
        b3,
    ]
    return Backward(grads, (top - picked).squeeze(-1), total.squeeze(-1))


def loss_and_accuracy(net: StackedMLP, x: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean cross-entropy and accuracy of every copy on a whole split: two ``(N,)`` float64 tensors.

    >>> net = init_stack([0, 1], hidden=4)
    >>> loss, acc = loss_and_accuracy(net, torch.zeros(5, 2, dtype=DTYPE), torch.zeros(5, dtype=torch.long))
    >>> tuple(loss.shape), tuple(acc.shape)
    ((2,), (2,))
    """
    logits = forward(net, x.unsqueeze(0)).logits
    n = x.shape[0]
    loss = sum_rows(cross_entropy(logits, labels.unsqueeze(0)).unsqueeze(-1)).view(-1) / n
    hits = (logits.argmax(dim=-1) == labels).to(DTYPE)
    return loss, sum_rows(hits.unsqueeze(-1)).view(-1) / n


# --- the same operations on arrays allocated once (see the module docstring) ---------------------

SMALL_STACK = 4
"""Below this many copies the gradients' bias sums run in numpy (its calls cost less), from it on in
torch (its loops over strided arrays are faster). The bits are the same."""


def _pair(*shape: int) -> tuple[torch.Tensor, np.ndarray]:
    """A float64 tensor (what a matrix multiply reads or writes) and a numpy view of its memory."""
    tensor = torch.empty(shape, dtype=DTYPE)
    return tensor, tensor.numpy()


class Params:
    """Views of the copies ``lo:hi`` of a stack, in the forms the fast path reads (updates show through).

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
        """:func:`forward` on inputs ``(x0, x1)``, each ``(n or 1, rows, 1)``, and the max logit of each
        example; False if one is NaN or infinite (then the caller uses the torch functions)."""
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
        """``terms = exp(logits - top)`` and ``total`` their sum (:func:`softmax_parts`)."""
        t0, t1, t2 = self.term_columns
        np.subtract(self.logits, self.top, out=self.terms)
        exp_nonpositive_(self.terms, self.scratch)
        np.add(t0, t1, out=total)
        np.add(total, t2, out=total)


class StepArrays(Arrays):
    """:func:`backward` for ``n`` copies on batches of ``rows`` examples, on arrays allocated once.
    numpy warns of overflow where torch is silent: call it inside ``np.errstate(all="ignore")``, as the
    engine does.

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
        """The gradients for the batch in ``self.x`` (views of these arrays, in :meth:`StackedMLP.tensors`
        order); each example's ``offset`` ``(n, rows)`` and ``total`` ``(n, rows, 1)`` are written into
        the arrays given. ``onehot`` and ``label_index`` come from :func:`batch_labels`. None if a logit
        is NaN or infinite: nothing is written then."""
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
    """:func:`loss_and_accuracy`, bit for bit, ``chunk`` copies at a time (their arrays stay in cache).
    ``cache`` keeps the arrays for the next call on the same split and width.

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


__all__ = [
    "DTYPE",
    "Arrays",
    "Params",
    "StepArrays",
    "batch_labels",
    "evaluate",
    "Forward",
    "StackedMLP",
    "cross_entropy",
    "forward",
    "Backward",
    "backward",
    "init_stack",
    "loss_and_accuracy",
    "softmax_parts",
]

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

These torch functions define the results; :mod:`lrutils.training.step` makes the same operations
faster, on arrays allocated once, and hands back to them whatever it cannot match bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import torch

from .numerics import exp_nonpositive, log_positive, sum_rows

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


__all__ = [
    "DTYPE",
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

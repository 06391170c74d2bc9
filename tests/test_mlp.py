"""The hand-written stacked MLP computes what torch's nn layers and autograd compute."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from lrutils.training.mlp import DTYPE, backward, cross_entropy, forward, init_stack, loss_and_accuracy
from lrutils.training.step import SMALL_STACK, Params, StepArrays, batch_labels, evaluate


def as_sequential(net, i: int) -> nn.Sequential:
    """Copy ``i`` of a stack as a float64 nn.Sequential with the same weights."""
    layers = []
    for k, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        linear = nn.Linear(w.shape[1], w.shape[2], dtype=DTYPE)
        with torch.no_grad():
            linear.weight.copy_(w[i].T)
            linear.bias.copy_(b[i, 0])
        layers.append(linear)
        if k < 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def batch(n_models: int, size: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n_models, size, 2, generator=g, dtype=DTYPE), torch.randint(0, 3, (n_models, size), generator=g)


def test_forward_matches_nn_layers() -> None:
    net = init_stack([3, 4, 5], hidden=16)
    x, _ = batch(3, 40)
    logits = forward(net, x).logits
    for i in range(3):
        expected = as_sequential(net, i)(x[i])
        assert torch.allclose(logits[i], expected, rtol=1e-13, atol=1e-14)


def test_gradients_match_autograd() -> None:
    net = init_stack([7, 8], hidden=16)
    x, y = batch(2, 40, seed=1)
    step = backward(net, x, y)
    for i in range(2):
        model = as_sequential(net, i)
        loss = nn.functional.cross_entropy(model(x[i]), y[i])
        loss.backward()
        torch_grads = []
        for layer in model[::2]:
            torch_grads += [layer.weight.grad.T, layer.bias.grad.view(1, -1)]
        for ours, theirs in zip(step.grads, torch_grads, strict=True):
            assert torch.allclose(ours[i], theirs, rtol=1e-12, atol=1e-15)
        losses = step.offset[i] + torch.log(step.total[i])
        assert torch.allclose(losses.mean(), loss.detach(), rtol=1e-14)


def test_cross_entropy_and_accuracy_match_torch() -> None:
    net = init_stack([1, 2], hidden=8)
    x, y = batch(1, 600, seed=2)
    loss, acc = loss_and_accuracy(net, x[0], y[0])
    for i in range(2):
        logits = as_sequential(net, i)(x[0])
        assert abs(loss[i].item() - nn.functional.cross_entropy(logits, y[0]).item()) < 1e-14
        assert acc[i].item() == (logits.argmax(1) == y[0]).double().mean().item()
    per_example = cross_entropy(forward(net, x[0].unsqueeze(0)).logits, y[0].unsqueeze(0))
    assert per_example.shape == (2, 600)


def test_same_seed_same_weights_whatever_the_stack() -> None:
    alone = init_stack([11], hidden=8)
    stacked = init_stack([2, 11, 5], hidden=8)
    for a, b in zip(alone.tensors(), stacked.tensors(), strict=True):
        assert torch.equal(a[0], b[1])
    bound = 1 / np.sqrt(8)
    assert float(stacked.weights[1].abs().max()) <= bound


def test_a_copy_computes_the_same_bits_alone_or_in_a_stack() -> None:
    net = init_stack([0, 1, 2, 3, 4], hidden=32)
    x, y = batch(5, 40, seed=3)
    together = backward(net, x, y)
    for i in range(5):
        alone = backward(net.select(torch.tensor([i])), x[i : i + 1], y[i : i + 1])
        for a, b in zip(together.grads, alone.grads, strict=True):
            assert torch.equal(a[i], b[0])
        assert torch.equal(together.total[i], alone.total[0])


def bits(x) -> bytes:
    return np.ascontiguousarray(np.asarray(x)).tobytes()


def fast_step(net, x: torch.Tensor, y: torch.Tensor):
    n, rows, _ = x.shape
    arrays = StepArrays(n, rows, net.weights[0].shape[2])
    arrays.x[:] = x.numpy()
    offset, total = np.full((n, rows), 7.0), np.full((n, rows, 1), 7.0)
    with np.errstate(all="ignore"):  # as the engine calls it
        grads = arrays.gradients(Params(net), *batch_labels(y.numpy(), [(0, rows)]), offset, total)
    return grads, offset, total


@pytest.mark.parametrize("n, hidden, rows", [(1, 32, 40), (3, 16, 7), (2, 8, 1), (SMALL_STACK, 32, 40), (11, 8, 33)])
def test_the_fast_step_gives_backwards_bits(n: int, hidden: int, rows: int) -> None:
    """StepArrays (numpy below SMALL_STACK copies, torch from it) against the torch functions, with
    pre-activations of -0 (a -0 input and -0 biases) and huge weights in one copy."""
    net = init_stack(list(range(n)), hidden)
    x, y = batch(n, rows, seed=n)
    x[0, 0] = -0.0
    net.biases[0][0] = -0.0
    net.weights[2][-1] *= 1e120  # finite, but its gradients overflow
    grads, offset, total = fast_step(net, x, y)
    expected = backward(net, x, y)
    assert [bits(g) for g in grads] == [bits(g) for g in expected.grads]
    assert bits(offset) == bits(expected.offset) and bits(total[..., 0]) == bits(expected.total)


def test_the_fast_step_leaves_nan_and_infinite_logits_to_torch() -> None:
    net = init_stack([0, 1], hidden=16)
    net.weights[2][1] *= 1e308
    x, y = batch(2, 40)
    grads, offset, total = fast_step(net, x, y)
    assert grads is None and np.all(offset == 7.0) and np.all(total == 7.0)


def test_evaluate_gives_loss_and_accuracys_bits() -> None:
    """In chunks, with one copy turned NaN (its chunk done by torch's own operations, NaN bits included)."""
    net = init_stack(list(range(19)), hidden=8)
    net.weights[1][9] *= 1e300
    net.weights[2][9] *= 1e300
    x, y = batch(1, 600, seed=4)
    ours, theirs = evaluate(net, x[0], y[0]), loss_and_accuracy(net, x[0], y[0])
    assert np.isnan(theirs[0][9].item())
    assert [bits(t) for t in ours] == [bits(t) for t in theirs]

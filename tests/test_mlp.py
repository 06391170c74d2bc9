"""The hand-written stacked MLP computes what torch's nn layers and autograd compute."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from lrutils.training.mlp import DTYPE, backward, cross_entropy, forward, init_stack, loss_and_accuracy


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

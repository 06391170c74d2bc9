"""Notebook 11's self-checks: the right loops pass, typical wrong loops are named and explained."""

from __future__ import annotations

import pytest
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, OneCycleLR, SequentialLR

from lrutils.exercises import Verdict
from lrutils.exercises.training_loop import (
    check_accumulation,
    check_head_10x,
    check_resume,
    make_model,
    make_optimizer,
    make_run,
)
from lrutils.training.loops import loss_of

# --- exercise 1: resume ----------------------------------------------------------------------------


def resume_right(ck):
    model, optimizer, scheduler = make_run()
    model.load_state_dict(ck["model"])
    optimizer.load_state_dict(ck["optimizer"])
    scheduler.load_state_dict(ck["scheduler"])
    return model, optimizer, scheduler


def resume_by_hand_order(ck):  # also right: any order, as long as the scheduler is built before the optimizer load
    model = make_model()
    optimizer = make_optimizer(model)
    scheduler = OneCycleLR(optimizer, max_lr=0.01, total_steps=40)
    optimizer.load_state_dict(ck["optimizer"])
    model.load_state_dict(ck["model"])
    scheduler.load_state_dict(ck["scheduler"])
    return model, optimizer, scheduler


def resume_without_scheduler_state(ck):
    model, optimizer, scheduler = make_run()
    model.load_state_dict(ck["model"])
    optimizer.load_state_dict(ck["optimizer"])
    return model, optimizer, scheduler


def resume_scheduler_built_last(ck):
    model = make_model()
    model.load_state_dict(ck["model"])
    optimizer = make_optimizer(model)
    optimizer.load_state_dict(ck["optimizer"])
    scheduler = OneCycleLR(optimizer, max_lr=0.01, total_steps=40)
    scheduler.load_state_dict(ck["scheduler"])
    return model, optimizer, scheduler


def resume_without_model(ck):
    model, optimizer, scheduler = make_run()
    optimizer.load_state_dict(ck["optimizer"])
    scheduler.load_state_dict(ck["scheduler"])
    return model, optimizer, scheduler


def resume_with_last_epoch(ck):
    model = make_model()
    model.load_state_dict(ck["model"])
    optimizer = make_optimizer(model)
    optimizer.load_state_dict(ck["optimizer"])
    return model, optimizer, OneCycleLR(optimizer, max_lr=0.01, total_steps=40, last_epoch=ck["step"])


def resume_with_last_epoch_no_optimizer(ck):
    model = make_model()
    optimizer = make_optimizer(model)
    return model, optimizer, OneCycleLR(optimizer, max_lr=0.01, total_steps=40, last_epoch=ck["step"])


@pytest.mark.parametrize("resume", [resume_right, resume_by_hand_order])
def test_resume_right_answers_pass(resume) -> None:
    verdict = check_resume(resume)
    assert isinstance(verdict, Verdict) and verdict.correct, verdict
    assert "bit for bit" in verdict.message


@pytest.mark.parametrize(
    ("resume", "words"),
    [
        (None, ["write a function resume(checkpoint)"]),
        (resume_without_scheduler_state, ["from step 26", "began its cycle again", "checkpoint['scheduler']"]),
        (
            resume_scheduler_built_last,
            ["from step 25", "built after optimizer.load_state_dict", "Build the scheduler first"],
        ),
        (resume_without_model, ["every lr matches", "weights do not", "model's state_dict"]),
        (resume_with_last_epoch, ["Tried to step 41 times", "counts the constructor's step once more"]),
        (resume_with_last_epoch_no_optimizer, ["KeyError", "initial_lr", "load its state_dict instead"]),
        (lambda ck: make_run(), ["step 25 used lr 0.0004", "load the three state_dicts"]),
        (lambda ck: 1 / 0, ["resume(checkpoint) raised ZeroDivisionError"]),
        (lambda ck: (1, 2, 3), ["must return (model, optimizer, scheduler)"]),
    ],
)
def test_resume_typical_mistakes_say_why(resume, words) -> None:
    verdict = check_resume(resume)
    assert not verdict.correct and repr(verdict).startswith("not yet: ")
    for word in words:
        assert word in verdict.message, verdict.message


def test_resume_bad_type_raises() -> None:
    with pytest.raises(TypeError, match="resume must be a function"):
        check_resume("resume")


# --- exercise 2: accumulation ----------------------------------------------------------------------


def accumulating(warmup=4, t_max=20, per_micro=False, before=False, divide=True, zero=True, k=4):
    def train(model, optimizer, micro_batches):
        warm = LinearLR(optimizer, start_factor=0.25, total_iters=warmup)
        scheduler = SequentialLR(optimizer, [warm, CosineAnnealingLR(optimizer, T_max=t_max)], milestones=[warmup])
        for i, xy in enumerate(micro_batches):
            loss = loss_of(model, xy)
            (loss / 4 if divide else loss).backward()
            if per_micro:
                scheduler.step()
            if (i + 1) % k == 0:
                if before:
                    scheduler.step()
                optimizer.step()
                if zero:
                    optimizer.zero_grad()
                if not (per_micro or before):
                    scheduler.step()

    return train


def test_accumulation_right_answer_passes() -> None:
    verdict = check_accumulation(accumulating())
    assert verdict.correct, verdict
    assert "T_max = 24 - 4 = 20" in verdict.message


def test_accumulation_zero_grad_before_backward_of_each_window_is_also_right() -> None:
    def train(model, optimizer, micro_batches):
        warm = LinearLR(optimizer, start_factor=0.25, total_iters=4)
        scheduler = SequentialLR(optimizer, [warm, CosineAnnealingLR(optimizer, T_max=20)], milestones=[4])
        for i, xy in enumerate(micro_batches):
            if i % 4 == 0:
                optimizer.zero_grad()
            (loss_of(model, xy) * 0.25).backward()
            if i % 4 == 3:
                optimizer.step()
                scheduler.step()

    assert check_accumulation(train).correct


@pytest.mark.parametrize(
    ("train", "words"),
    [
        (None, ["write a function train(model, optimizer, micro_batches)"]),
        (accumulating(per_micro=True), ["once per micro-batch", "4x too fast", "torch warned"]),
        (accumulating(warmup=16, t_max=80), ["count micro-batches", "4x too slowly", "96 / 4 = 24"]),
        (accumulating(t_max=24), ["T_max counts the steps after the warm-up", "24 - 4 = 20"]),
        (accumulating(before=True), ["next step's lr", "before optimizer.step()", "torch warned"]),
        (accumulating(divide=False), ["lrs are right", "weights differ", "divide each micro-batch loss"]),
        (accumulating(zero=False), ["lrs are right", "weights differ", "zero_grad"]),
        (accumulating(k=2), ["optimizer.step() ran 48 times", "should run 24 times"]),
        (accumulating(warmup=3, t_max=21), ["optimizer step 1 used lr", "intended schedule"]),
        (lambda model, optimizer, micro: 1 / 0, ["your function raised ZeroDivisionError"]),
    ],
)
def test_accumulation_typical_mistakes_say_why(train, words) -> None:
    verdict = check_accumulation(train)
    assert not verdict.correct
    for word in words:
        assert word in verdict.message, verdict.message


def test_accumulation_bad_type_raises() -> None:
    with pytest.raises(TypeError, match="train must be a function"):
        check_accumulation(42)


# --- exercise 3: head at 10x -----------------------------------------------------------------------


def building(max_lr, two_groups=True, total=50, head=True):
    def build(model):
        if two_groups:
            groups = [{"params": model.backbone.parameters(), "lr": 0.01}]
            if head:
                groups.append({"params": model.head.parameters(), "lr": 0.1})
            else:
                groups.append({"params": [torch.nn.Parameter(torch.zeros(1))]})
            optimizer = torch.optim.SGD(groups, momentum=0.9)
        else:
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        return optimizer, OneCycleLR(optimizer, max_lr=max_lr, total_steps=total)

    return build


def test_head_10x_right_answer_passes() -> None:
    verdict = check_head_10x(building([0.01, 0.1]))
    assert verdict.correct, verdict
    assert "max_lr as a list" in verdict.message


def test_head_10x_groups_in_the_other_order_with_the_list_in_the_same_order_is_right() -> None:
    def build(model):
        groups = [{"params": model.head.parameters()}, {"params": model.backbone.parameters()}]
        optimizer = torch.optim.AdamW(groups, lr=1e-3)
        return optimizer, OneCycleLR(optimizer, max_lr=[0.1, 0.01], total_steps=50)

    assert check_head_10x(build).correct


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (None, ["write a function build(model)"]),
        (building(0.1), ["same lr", "overwrites every group's lr", "max_lr=[0.01, 0.1]"]),
        (building([0.1, 0.01]), ["a tenth", "order of optimizer.param_groups"]),
        (building([0.01, 0.1], total=100), ["cycle peaks at step 29 instead of 14", "total_steps=50"]),
        (building([0.01, 0.1], total=40), ["raised ValueError", "Tried to step 41 times"]),
        (building([0.02, 0.2]), ["ratio is 10", "0.02 and 0.2"]),
        (building(0.1, two_groups=False), ["share a param group"]),
        (building([0.01, 0.1], head=False), ["model.head's parameters are in no param group"]),
        (lambda model: torch.optim.SGD(model.parameters(), lr=0.1), ["must return (optimizer, scheduler)"]),
        (lambda model: 1 / 0, ["build(model) raised ZeroDivisionError"]),
    ],
)
def test_head_10x_typical_mistakes_say_why(build, words) -> None:
    verdict = check_head_10x(build)
    assert not verdict.correct
    for word in words:
        assert word in verdict.message, verdict.message


def test_head_10x_bad_type_raises() -> None:
    with pytest.raises(TypeError, match="build must be a function"):
        check_head_10x([0.01, 0.1])

"""Static numbers and PyTorch conventions of the optimizers topic, recomputed by torch.optim and
torch.optim.lr_scheduler themselves (never by re-typing a card's formula); figures quoted in explanations,
clozes and options are checked against the same runs."""

from __future__ import annotations

import inspect
import math
import re
import warnings

import pytest
import torch
from torch.optim import lr_scheduler

from tests.deck_answers import assert_numeric_answers, builtin_card


def _parameter(value: float) -> torch.nn.Parameter:
    return torch.nn.Parameter(torch.tensor([value], dtype=torch.float64))


def _sgd_trajectory(steps: int, p0: float = 0.0, **options) -> list[float]:
    """p after each step of torch.optim.SGD on the loss p (gradient always 1)."""
    p = _parameter(p0)
    optimizer = torch.optim.SGD([p], **options)
    values = []
    for _ in range(steps):
        optimizer.zero_grad()
        p.sum().backward()
        optimizer.step()
        values.append(p.item())
    return values


def _adam_trajectory(gradients, p0: float, optimizer_class=torch.optim.Adam, **options) -> list[float]:
    """p before and after each step, the gradients set by hand."""
    p = _parameter(p0)
    optimizer = optimizer_class([p], **options)
    values = [p0]
    for g in gradients:
        p.grad = torch.tensor([g], dtype=torch.float64)
        optimizer.step()
        values.append(p.item())
    return values


def _lr_after(make_scheduler, calls: int, lr: float = 0.1) -> float:
    p = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([p], lr=lr)
    scheduler = make_scheduler(optimizer)
    for _ in range(calls):
        optimizer.step()
        scheduler.step()
    return optimizer.param_groups[0]["lr"]


def _adam_second_step() -> float:
    _, p1, p2 = _adam_trajectory([1.0, -0.5], 1.0, lr=0.1)
    return p1 - p2


def _decay_one_step() -> list[float]:
    adamw = _adam_trajectory([0.0], 2.0, torch.optim.AdamW, lr=1e-3, weight_decay=0.01)[-1]
    adam_l2 = _adam_trajectory([0.0], 2.0, torch.optim.Adam, lr=1e-3, weight_decay=0.01)[-1]
    return [adamw, adam_l2]


EXPECTED = {
    "optimizers/momentum-three-steps": lambda: _sgd_trajectory(3, lr=0.1, momentum=0.9)[-1],
    "optimizers/nesterov-two-steps": lambda: _sgd_trajectory(2, lr=0.1, momentum=0.9, nesterov=True)[-1],
    "optimizers/adam-second-step": _adam_second_step,
    "optimizers/adamw-vs-adam-l2-one-step": _decay_one_step,
    "optimizers/warmup-lr-at-step": lambda: _lr_after(
        lambda o: lr_scheduler.LinearLR(o, start_factor=0.01, end_factor=1.0, total_iters=1000), 250),
    "optimizers/cosine-lr-at-step": lambda: _lr_after(
        lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=100, eta_min=0.001), 30),
    "optimizers/step-lr-value": lambda: _lr_after(lambda o: lr_scheduler.StepLR(o, step_size=30, gamma=0.1), 65),
}


def test_numeric_answers_match_torch() -> None:
    assert_numeric_answers(EXPECTED, topics=["optimizers"])


def test_figures_quoted_in_the_momentum_cards() -> None:
    plain = _sgd_trajectory(3, lr=0.1)[-1]
    assert f"${plain:.1f}$" in builtin_card("optimizers/momentum-three-steps").explanation
    classical_two = _sgd_trajectory(2, lr=0.1, momentum=0.9)[-1]
    nesterov_one = _sgd_trajectory(1, lr=0.1, momentum=0.9, nesterov=True)[-1]
    text = builtin_card("optimizers/nesterov-two-steps").explanation
    assert f"${classical_two:.2f}$" in text and f"$p = {nesterov_one:.2f}$" in text


def test_momentum_terminal_step_and_dampening_cloze() -> None:
    """Under a constant gradient the step tends to lr/(1 - mu); dampening spares the first step."""
    for mu, factor in ((0.9, 10), (0.99, 100)):
        steps = _sgd_trajectory(3000, lr=1.0, momentum=mu)
        assert steps[-2] - steps[-1] == pytest.approx(factor, rel=1e-6)
    dampened = _sgd_trajectory(2, lr=1.0, momentum=0.9, dampening=0.5)
    assert -dampened[0] == pytest.approx(1.0)  # first step: the buffer is the gradient itself
    assert dampened[0] - dampened[1] == pytest.approx(0.9 + 0.5)  # then the gradient enters as (1 - 0.5) g
    text = builtin_card("optimizers/momentum-terminal-step").text
    assert "{{c1::10}}" in text and "{{c2::100}}" in text and "{{c3::second}}" in text


def test_pytorch_sgd_equals_the_lr_inside_form_only_at_constant_lr() -> None:
    """The claim of sgd-momentum-pytorch-form and momentum-lr-drop, against torch.optim.SGD."""
    def lr_inside(lrs: list[float], mu: float = 0.9) -> list[float]:
        p, v, values = 0.0, 0.0, []
        for lr in lrs:
            v = mu * v - lr * 1.0  # gradient 1
            p += v
            values.append(p)
        return values

    def pytorch(lrs: list[float]) -> list[float]:
        p = _parameter(0.0)
        optimizer = torch.optim.SGD([p], lr=lrs[0], momentum=0.9)
        values = []
        for lr in lrs:
            optimizer.param_groups[0]["lr"] = lr
            optimizer.zero_grad()
            p.sum().backward()
            optimizer.step()
            values.append(p.item())
        return values

    constant = [0.1] * 20
    assert pytorch(constant) == pytest.approx(lr_inside(constant), rel=1e-12)
    dropped = [0.1] * 10 + [0.01] * 10
    torch_steps = [b - a for a, b in zip(pytorch(dropped)[9:], pytorch(dropped)[10:])]
    inside_steps = [b - a for a, b in zip(lr_inside(dropped)[9:], lr_inside(dropped)[10:])]
    before = pytorch(dropped)[9] - pytorch(dropped)[8]
    assert torch_steps[0] == pytest.approx(before / 10, rel=0.1)  # about ten times smaller at once
    assert abs(inside_steps[0]) > 5 * abs(torch_steps[0])  # the old velocity still carries the old lr


def test_nesterov_pytorch_form_equals_the_look_ahead_form() -> None:
    """On a quadratic, torch's nesterov=True is Sutskever's look-ahead update in another parametrisation."""
    curvature, lr, mu = 3.0, 0.05, 0.9
    p = _parameter(1.0)
    optimizer = torch.optim.SGD([p], lr=lr, momentum=mu, nesterov=True)
    theta, v = 1.0, 0.0
    for _ in range(30):
        optimizer.zero_grad()
        (0.5 * curvature * p**2).sum().backward()
        optimizer.step()
        v = mu * v - lr * curvature * (theta + mu * v)
        theta += v
        assert p.item() == pytest.approx(theta + mu * v, rel=1e-9, abs=1e-12)  # torch tracks the look-ahead point


def test_adam_first_step_is_lr_whatever_the_gradient_and_scale_invariant() -> None:
    for g in (1e-4, 0.5, 300.0, -7.0):
        p0, p1 = _adam_trajectory([g], 1.0, lr=0.01)
        assert p0 - p1 == pytest.approx(0.01 * math.copysign(1, g), rel=1e-3)
    gradients = [0.3, -1.2, 0.8, 0.1, -0.4]
    base = _adam_trajectory(gradients, 0.5, lr=0.01)
    scaled = _adam_trajectory([10 * g for g in gradients], 0.5, lr=0.01)
    assert scaled == pytest.approx(base, rel=1e-6)
    # so the distractor of adam-effective-step is wrong by what it says of the step's size, not by its wording
    options = {o.text: o.correct for o in builtin_card("optimizers/adam-effective-step").options}
    assert options["The step grows in proportion to the size of the gradient, as in SGD, only with a per-parameter "
                   "learning rate that Adam adapts."] is False


def test_uncorrected_first_step_quoted_in_the_bias_correction_cloze() -> None:
    beta1, beta2 = torch.optim.Adam([_parameter(0.0)]).defaults["betas"]
    uncorrected = (1 - beta1) / math.sqrt(1 - beta2)  # m_1 / sqrt(v_1) for any g_1 > 0
    assert f"{{{{c2::{uncorrected:.1f}}}}}" in builtin_card("optimizers/adam-bias-correction").text


def test_decay_ratio_quoted_in_the_adamw_card() -> None:
    adamw, adam_l2 = _decay_one_step()
    ratio = (2.0 - adam_l2) / (2.0 - adamw)
    assert f"{ratio:.0f} times larger" in builtin_card("optimizers/adamw-vs-adam-l2-one-step").explanation


def test_adamw_decay_follows_the_scheduled_lr() -> None:
    """adamw-lr-coupling: with a zero gradient, each step multiplies by 1 - lr·wd at the current lr."""
    for lr in (1e-3, 1e-5):
        before, after = _adam_trajectory([0.0], 1.0, torch.optim.AdamW, lr=lr, weight_decay=0.1)
        assert after / before == pytest.approx(1 - lr * 0.1, rel=1e-12)


def test_pytorch_defaults_quoted_in_the_cards() -> None:
    sgd = inspect.signature(torch.optim.SGD).parameters
    assert sgd["momentum"].default == 0 and sgd["dampening"].default == 0 and sgd["nesterov"].default is False
    with pytest.raises(ValueError):
        torch.optim.SGD([_parameter(0.0)], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)
    adam = torch.optim.Adam([_parameter(0.0)]).defaults
    assert (adam["lr"], adam["betas"], adam["eps"], adam["weight_decay"]) == (1e-3, (0.9, 0.999), 1e-8, 0)
    assert torch.optim.AdamW([_parameter(0.0)]).defaults["weight_decay"] == 0.01
    one_cycle = inspect.signature(lr_scheduler.OneCycleLR).parameters
    text = builtin_card("optimizers/one-cycle-defaults").text
    clozes = dict(re.findall(r"\{\{(c\d)::([^}]*)\}\}", text))
    assert float(clozes["c1"]) == one_cycle["div_factor"].default
    assert float(clozes["c2"]) == one_cycle["pct_start"].default
    assert float(clozes["c3"]) == one_cycle["final_div_factor"].default
    assert one_cycle["anneal_strategy"].default == "cos"
    momenta = (one_cycle["max_momentum"].default, one_cycle["base_momentum"].default)
    assert f"between {momenta[0]} and {momenta[1]}" in text


def test_one_cycle_starts_low_peaks_at_max_and_ends_far_below() -> None:
    p = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=1.0, total_steps=100)
    lrs, momenta = [], []
    for _ in range(100):
        lrs.append(optimizer.param_groups[0]["lr"])
        momenta.append(optimizer.param_groups[0]["momentum"])
        optimizer.step()
        scheduler.step()
    assert lrs[0] == pytest.approx(1.0 / 25) and max(lrs) == pytest.approx(1.0, rel=1e-3)
    assert lrs.index(max(lrs)) == pytest.approx(30, abs=1) and lrs[-1] < lrs[0] / 1000
    assert momenta[lrs.index(max(lrs))] == pytest.approx(0.85, abs=1e-3) and momenta[0] == pytest.approx(0.95)
    with pytest.raises(ValueError):
        scheduler.step()  # past total_steps


def test_cosine_annealing_goes_back_up_past_t_max() -> None:
    """cosine-past-tmax: zero after 10 calls, the initial lr after 20, no clamp and no restart."""
    make = lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10)  # noqa: E731
    assert _lr_after(make, 10) == pytest.approx(0.0, abs=1e-12)
    assert _lr_after(make, 15) == pytest.approx(0.05)
    assert _lr_after(make, 20) == pytest.approx(0.1)
    assert _lr_after(make, 40) == pytest.approx(0.1)
    closed_form = 0.001 + 0.5 * (0.1 - 0.001) * (1 + math.cos(math.pi * 30 / 100))
    assert EXPECTED["optimizers/cosine-lr-at-step"]() == pytest.approx(closed_form, rel=1e-12)


def test_scheduler_before_optimizer_step_warns() -> None:
    p = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([p], lr=0.1)
    scheduler = lr_scheduler.StepLR(optimizer, step_size=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scheduler.step()
    assert any("optimizer.step()" in str(w.message) for w in caught)


def test_gradient_accumulation_divided_by_steps_equals_the_large_batch() -> None:
    """gradient-accumulation: 4 micro-batches of 8 with loss/4 give the 32-sample mean gradient; without /4, 4x."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(32, 5, generator=generator, dtype=torch.float64)
    y = torch.randn(32, generator=generator, dtype=torch.float64)
    w = torch.zeros(5, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.mse_loss(x @ w + 1, y).backward()
    full = w.grad.clone()
    for divide, factor in ((4, 1), (1, 4)):
        w.grad = None
        for chunk in range(4):
            part = slice(8 * chunk, 8 * chunk + 8)
            (torch.nn.functional.mse_loss(x[part] @ w + 1, y[part]) / divide).backward()
        assert torch.allclose(w.grad, factor * full)


def test_float16_eps_and_decoupled_adam_claims() -> None:
    """adam-eps-role: 1e-8 is 0 in float16; adam-l2-vs-adamw: Adam(decoupled_weight_decay=True) is AdamW."""
    assert torch.tensor(1e-8, dtype=torch.float16).item() == 0.0
    assert torch.finfo(torch.float16).smallest_normal > 1e-8 and float(torch.tensor(6e-8, dtype=torch.float16)) > 0
    gradients = [0.4, -1.1, 0.2]
    adam = _adam_trajectory(gradients, 1.5, torch.optim.Adam, lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)
    adamw = _adam_trajectory(gradients, 1.5, torch.optim.AdamW, lr=0.01, weight_decay=0.1)
    assert adam == pytest.approx(adamw, rel=1e-12)


def test_amsgrad_keeps_the_maximum_of_the_raw_second_moment() -> None:
    """amsgrad: PyTorch's state holds max over steps of v_t (before bias correction), so the step cannot grow."""
    p = _parameter(1.0)
    optimizer = torch.optim.Adam([p], lr=0.01, amsgrad=True)
    v, largest = 0.0, 0.0
    for g in (3.0, 0.1, 0.1, 0.1):
        p.grad = torch.tensor([g], dtype=torch.float64)
        optimizer.step()
        v = 0.999 * v + 0.001 * g * g
        largest = max(largest, v)
        state = optimizer.state[p]
        assert state["max_exp_avg_sq"].item() == pytest.approx(largest, rel=1e-12)
        assert state["exp_avg_sq"].item() == pytest.approx(v, rel=1e-12)

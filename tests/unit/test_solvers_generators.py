"""Every generator, many seeds: its own answer checks correct (typed as a user would), a
perturbed one incorrect, garbage invalid; problems are deterministic and serialisable."""

import json
import math

import pytest

from solvers import Problem, Tolerance, registry

SEEDS = range(500)
DIFFICULTIES = (1, 2, 3)
TOPICS = {
    "auc": "auc-roc",
    "cost-threshold": "auc-roc",
    "prf": "precision-recall-f1",
    "prevalence-precision": "precision-recall-f1",
    "batchnorm": "batch-norm",
    "bn-fold": "batch-norm",
    "bn-backward": "batch-norm",
    "l1l2": "l1-l2",
    "ridge-shrinkage": "l1-l2",
    "class-weights": "class-imbalance",
    "smote": "class-imbalance",
    "focal-loss": "class-imbalance",
    "grad-clip": "vanishing-exploding-gradients",
    "vanishing": "vanishing-exploding-gradients",
    "conv1x1": "conv-1x1",
    "dropout": "overfitting-remedies",
    "naive-bayes": "generative-discriminative",
    "logistic": "generative-discriminative",
    "coin-mle": "overfitting",
}


def as_list(answer):
    return answer if isinstance(answer, list) else [answer]


def typed(values, fmt, vector):
    text = ", ".join(fmt(v) for v in values)
    return f"[{text}]" if vector else text


def rounded_to_precision(problem: Problem) -> str:
    """The answer as the prompt asks for it: n significant figures, or the exact value."""
    n = problem.tolerance.sig_figs
    fmt = (lambda v: f"{v:.{n}g}") if n is not None else (lambda v: str(int(v)) if v.is_integer() else repr(v))
    return typed(as_list(problem.answer), fmt, isinstance(problem.answer, list))


def truncated_to_precision(problem: Problem) -> str:
    n = problem.tolerance.sig_figs

    def truncate(v):
        if v == 0:
            return "0"
        exponent = math.floor(math.log10(abs(v))) - n + 1
        return repr(math.trunc(v / 10**exponent) * 10**exponent)

    return typed(as_list(problem.answer), truncate, isinstance(problem.answer, list))


def perturbed(problem: Problem) -> str:
    """The answer with its first entry clearly off: by 5% plus 0.01, and beyond the margin a near-zero
    entry of a vector gets from the vector's scale (see Tolerance.vector_floor)."""
    values = as_list(problem.answer)
    floor = problem.tolerance.vector_floor(values) if isinstance(problem.answer, list) else 0.0
    values = [values[0] + 0.05 * abs(values[0]) + 0.01 + 2 * floor] + values[1:]
    return typed(values, repr, isinstance(problem.answer, list))


def test_registry_names_and_topics():
    assert {name: solver.topic for name, solver in registry().items()} == TOPICS
    for name, solver in registry().items():
        assert solver.name == name and solver.title


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("name", sorted(TOPICS))
def test_generator_checks_its_own_answer(name, difficulty):
    solver = registry()[name]
    for seed in SEEDS:
        problem = solver.generate(seed, difficulty)
        context = f"{name} seed={seed} difficulty={difficulty}: {problem.prompt}"
        assert problem.check(repr(problem.answer)).status == "correct", context
        assert problem.check(rounded_to_precision(problem)).status == "correct", context
        if problem.tolerance.sig_figs is not None:
            assert problem.check(truncated_to_precision(problem)).status == "correct", context
        assert problem.check(perturbed(problem)).status == "incorrect", context
        assert problem.check("banana").status == "invalid", context
        if isinstance(problem.answer, list):
            short = typed(problem.answer[:-1] or [0.0, 0.0], repr, True)
            verdict = problem.check(short)
            assert verdict.status == "invalid" and f"Expected {len(problem.answer)} numbers" in verdict.message


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
@pytest.mark.parametrize("name", sorted(TOPICS))
def test_problems_are_deterministic_and_serialisable(name, difficulty):
    solver = registry()[name]
    for seed in range(60):
        problem = solver.generate(seed, difficulty)
        assert solver.generate(seed, difficulty) == problem
        data = problem.to_dict()
        assert set(data) == {"solver", "seed", "difficulty", "params", "prompt", "answer", "tolerance", "solution"}
        assert json.loads(json.dumps(data)) == data
        assert (data["solver"], data["seed"], data["difficulty"]) == (name, seed, difficulty)
        assert Tolerance.from_dict(data["tolerance"]) == problem.tolerance
        assert problem.prompt and problem.solution


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_prompt_states_the_precision_wanted(name):
    for seed in range(60):
        for difficulty in DIFFICULTIES:
            problem = registry()[name].generate(seed, difficulty)
            if problem.tolerance.sig_figs is not None:
                assert f"{problem.tolerance.sig_figs} significant figures" in problem.prompt
            else:
                assert problem.tolerance.abs == 0 and "exact" in problem.prompt
            if isinstance(problem.answer, list):
                assert f"vector of {len(problem.answer)} numbers" in problem.prompt


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_prompts_show_no_float_noise(name):
    for seed in range(60):
        for difficulty in DIFFICULTIES:
            prompt = registry()[name].generate(seed, difficulty).prompt
            assert "0000000" not in prompt and "9999999" not in prompt, prompt


@pytest.mark.parametrize("name", sorted(TOPICS))
def test_seed_and_name_choose_the_variant(name):
    prompts = {registry()[name].generate(seed, 2).prompt for seed in range(30)}
    assert len(prompts) > 20
    other = "auc" if name != "auc" else "prf"
    assert registry()[name].generate(0, 1).prompt != registry()[other].generate(0, 1).prompt


@pytest.mark.parametrize("difficulty", [0, 4, -1, 1.5, "2", True, None])
def test_invalid_difficulty_names_it(difficulty):
    with pytest.raises(ValueError, match=f"difficulty must be 1, 2 or 3, got {difficulty!r}"):
        registry()["auc"].generate(1, difficulty)


@pytest.mark.parametrize("seed", [-1, 1.5, "7", None])
def test_invalid_seed_names_it(seed):
    with pytest.raises(ValueError, match=f"got {seed!r}"):
        registry()["auc"].generate(seed, 1)

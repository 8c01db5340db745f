"""Input checks shared by the solver functions.

Each check raises ``ValueError`` with a message naming the argument and the offending shape or
value, before any computation (the scikit-learn habit).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["as_float_array", "as_labels", "check_count", "check_number", "check_same_shape", "short_repr",
           "too_large_number"]

LARGEST_NUMBER = "about 1.8e308"  # the float range; every number an answer is computed from fits in it


def short_repr(value: object) -> str:
    """``repr(value)`` cut to 40 characters: a message quotes the start of a value, never all of it.

    >>> short_repr("x" * 100), short_repr(10**100)
    ("'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...", '1000000000000000000000000000000000000...')
    """
    if isinstance(value, int) and abs(value).bit_length() >= _REPR_BITS:
        return f"(a number of {_digits(value)} digits)"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def too_large_number(value: int) -> str:
    """What is wrong with an integer beyond the float range, in the same words in content files and expressions.

    >>> too_large_number(10**400)
    'too large a number (401 digits): a number here is at most about 1.8e308'
    """
    return f"too large a number ({_digits(value)} digits): a number here is at most {LARGEST_NUMBER}"


_REPR_BITS = 14_000  # Python refuses to write an integer of over 4,300 digits (about 14,284 bits) as text


def _digits(value: int) -> str:
    bits = abs(value).bit_length()
    return str(len(str(abs(value)))) if bits < _REPR_BITS else f"about {int(bits * math.log10(2)):,}"


def as_float_array(name: str, values: object, *, ndims: tuple[int, ...] | None = None) -> np.ndarray:
    """``values`` as a finite float64 array, optionally with one of the given numbers of dimensions."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got {short_repr(values)}") from None
    if ndims is not None and array.ndim not in ndims:
        wanted = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(f"{name} must be {wanted}, got shape {array.shape}")
    finite = np.isfinite(array)
    if not finite.all():
        bad = array[~finite].flat[0]
        raise ValueError(f"{name} must be finite, got {bad} at index {_first_index(~finite)}")
    return array


def _first_index(mask: np.ndarray) -> object:
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return index[0] if len(index) == 1 else index


def as_labels(name: str, values: object) -> np.ndarray:
    """A non-empty 1-D array of class labels: integers, booleans, strings or integral floats."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if array.dtype.kind == "f":
        finite = np.isfinite(array)
        if not finite.all():
            raise ValueError(f"{name} must be finite, got {array[~finite][0]} at index {_first_index(~finite)}")
        fractional = array != np.round(array)
        if fractional.any():
            raise ValueError(
                f"{name} must hold class labels, got the non-integer {array[fractional][0]} "
                f"at index {_first_index(fractional)}"
            )
        array = array.astype(np.int64)
    elif array.dtype.kind not in "biuUS":
        raise ValueError(f"{name} must hold integer, boolean or string labels, got dtype {array.dtype}")
    return array


def check_same_shape(name_a: str, a: np.ndarray, name_b: str, b: np.ndarray) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, got {a.shape} and {b.shape}")


def check_number(
    name: str,
    value: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_inf: bool = False,
) -> float:
    """``value`` as a float in the interval given by ``low``/``high`` (closed unless ``*_open``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {short_repr(value)}")
    number = float(value)
    if math.isnan(number) or (math.isinf(number) and not allow_inf):
        raise ValueError(f"{name} must be finite, got {number}")
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        bounds = f"{left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
        raise ValueError(f"{name} must be in {bounds}, got {number}")
    return number


def check_count(name: str, value: object, *, minimum: int = 0) -> int:
    """``value`` as an integer no smaller than ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {short_repr(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)

"""Anomaly mode: the first nan/inf names the op, its inputs and the user's source line."""

import gc
import inspect
import math
import weakref

import pytest

from autograd_core import AnomalyError, Value, detect_anomaly, grad, gradients
from autograd_core.anomaly import where_created
from autograd_core.modes import current_mode


def _line_of(marker):
    src, start = inspect.getsourcelines(inspect.currentframe().f_back.f_code)
    for k, line in enumerate(src):
        if marker in line:
            return start + k
    raise AssertionError(marker)


def test_forward_nan_names_op_inputs_and_line():
    x = Value(-1.0)
    with detect_anomaly():
        y = x * 2.0
        with pytest.raises(AnomalyError) as info:
            y.sqrt()  # MARK-forward
    err = info.value
    assert err.phase == "forward" and err.op == "sqrt" and err.inputs == (-2.0,)
    assert err.where.filename == __file__
    assert err.where.lineno == _line_of("MARK-forward")
    assert "sqrt" in str(err) and "(-2.0,)" in str(err) and f"{__file__}:{err.where.lineno}" in str(err)


def test_forward_inf_from_division():
    with detect_anomaly():
        with pytest.raises(AnomalyError, match="'div'.*inf"):
            Value(1.0) / Value(0.0)


def test_backward_inf_names_op_and_creation_line():
    with detect_anomaly():
        x = Value(0.0)
        y = x.sqrt()  # MARK-sqrt
        z = y * 3.0
        with pytest.raises(AnomalyError) as info:
            z.backward()
    err = info.value
    assert err.phase == "backward" and err.op == "sqrt" and err.quantity == "local derivative"
    assert err.inputs == (0.0,)
    assert err.where.lineno == _line_of("MARK-sqrt")
    assert "0.5/out" in str(err)  # the rule that produced it
    assert x.grad == 0.0  # nothing accumulated: the error came before


def test_backward_through_gradients_and_grad_is_checked():
    with detect_anomaly():
        x = Value(0.0)
        y = x.log() if False else (x * x).sqrt()
        with pytest.raises(AnomalyError, match="sqrt"):
            gradients(y, [x])
        with pytest.raises(AnomalyError):
            grad(lambda v: (v * v).sqrt())(0.0)


def test_nodes_made_outside_the_mode_are_not_recorded_and_normal_runs_do_not_raise():
    x = Value(-1.0)
    y = x.sqrt()  # nan, silently (IEEE)
    assert math.isnan(y.data)
    assert where_created(y) is None
    assert current_mode().anomaly is None
    with detect_anomaly(check_forward=False):
        z = y * 2.0
        assert where_created(z) is not None
        with pytest.raises(AnomalyError) as info:
            z.backward()
    assert "not recorded" in str(info.value) or info.value.where is not None


def test_check_flags_and_mode_is_restored():
    with detect_anomaly(check_backward=False):
        x = Value(0.0)
        y = x.sqrt()
        y.backward()  # inf gradient allowed
        assert math.isinf(x.grad)
    assert current_mode().anomaly is None


def test_recording_does_not_keep_nodes_alive():
    with detect_anomaly():
        y = Value(2.0) * 3.0
        ref = weakref.ref(y)
        assert where_created(y) is not None
        del y
        gc.collect()
        assert ref() is None

"""The export runs the TorchScript exporter (MMDeploy's rewriters need it) and patches nothing outside the call."""
import inspect

import onnx
import pytest
import torch

from rtmpose.deploy.torchscript_exporter import torchscript_onnx_export


def test_dynamo_is_switched_off_only_inside(monkeypatch):
    calls = []

    def fake_export(model, args=(), f=None, *, dynamo=True, **kwargs):  # torch >= 2.9 signature: dynamo by default
        calls.append(dynamo)

    monkeypatch.setattr(torch.onnx, 'export', fake_export)
    with torchscript_onnx_export():
        torch.onnx.export(torch.nn.ReLU(), (torch.randn(1), ), 'a.onnx')
        torch.onnx.export(torch.nn.ReLU(), (torch.randn(1), ), 'b.onnx', dynamo=True)
    torch.onnx.export(torch.nn.ReLU(), (torch.randn(1), ), 'c.onnx')
    assert torch.onnx.export is fake_export  # restored
    assert calls == [False, True, True]  # only the default inside the block changes; explicit choices are kept


@pytest.mark.skipif('dynamo' in inspect.signature(torch.onnx.export).parameters,
                    reason='this torch has the dynamo flag (test above)')
def test_older_torch_is_left_alone():
    original = torch.onnx.export
    with torchscript_onnx_export():
        assert torch.onnx.export is original


def test_export_inside_needs_no_dynamo_stack(tmp_path):
    """With torch >= 2.9 a plain torch.onnx.export would go through dynamo (and need onnxscript)."""
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.SiLU())
    with torchscript_onnx_export():
        torch.onnx.export(model, (torch.randn(1, 3, 8, 8), ), str(tmp_path / 'm.onnx'), opset_version=11)
    onnx.checker.check_model(str(tmp_path / 'm.onnx'))


def test_restored_after_an_error():
    original = torch.onnx.export
    with pytest.raises(RuntimeError):
        with torchscript_onnx_export():
            raise RuntimeError('boom')
    assert torch.onnx.export is original

"""The backend layer: one object per engine behind one call, composed into one pose model and one detector; one table
of backend facts, declared by the backend classes, that every list of backends derives from."""
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from rtmpose.backends import BACKENDS, Backend, Port, backend_class, backend_facts, backend_options, open_backend
from rtmpose.backends.tensorrt_backend import tensorrt_unavailable
from rtmpose.hub import build_detector, build_pose_model
from rtmpose.inference import Detector, TopDownPoseModel
from tests.paths import REPO_ROOT

PACKAGE = REPO_ROOT / 'projects' / 'rtmpose'


class Doubling(Backend):
    """``x -> 2x``; fails for batches above ``limit`` (like an export whose NMS does not batch)."""

    name = 'fake'

    def __init__(self, batch: int | str = 'batch', limit: int = 1000, max_batch_size: int | None = None):
        super().__init__(max_batch_size)
        self.source, self.limit, self.calls = 'doubling', limit, []
        self.inputs, self.outputs = [Port('input', (batch, 2))], [Port('out', (batch, 2))]

    def forward(self, inputs, output_names):
        self.calls.append(len(inputs))
        if len(inputs) > self.limit:
            raise RuntimeError('cannot batch')
        return [inputs * 2]


def test_batching_rules():
    x = np.arange(10, dtype=np.float32).reshape(5, 2)
    dynamic = Doubling()
    np.testing.assert_array_equal(dynamic(x)[0], 2 * x)
    assert dynamic.calls == [5] and dynamic.static_batch is None
    static = Doubling(batch=2)
    np.testing.assert_array_equal(static(x)[0], 2 * x)
    assert static.calls == [2, 2, 2] and static.static_batch == 2  # the last chunk padded to the static batch
    capped = Doubling(max_batch_size=2)
    capped(x)
    assert capped.calls == [2, 2, 1]
    fragile = Doubling(limit=1)
    np.testing.assert_array_equal(fragile(x)[0], 2 * x)
    assert fragile.calls == [5, 1, 1, 1, 1, 1] and not fragile.batches  # one failed try, then item by item
    fragile(x[:2])
    assert fragile.calls[-2:] == [1, 1]  # stays one item per call
    with pytest.raises(ValueError, match='empty'):
        dynamic(x[:0])
    with pytest.raises(ValueError, match='max_batch_size'):
        Doubling(max_batch_size=0)


def test_options_a_backend_does_not_have_are_errors(real_models):
    assert BACKENDS == ('onnxruntime', 'ncnn', 'openvino', 'tensorrt', 'torch')  # the default first
    assert {'threads', 'device', 'allow_spinning', 'providers'} <= set(backend_options('onnxruntime'))
    for option in ('intra_op_threads', 'allow_spinning', 'providers', 'inter_op_threads'):
        with pytest.raises(ValueError, match=f"openvino backend has no option '{option}'"):
            build_pose_model(real_models['plain'], backend='openvino', **{option: 1})
    with pytest.raises(ValueError, match="onnxruntime backend has no option 'precision'"):
        build_pose_model(real_models['plain'], precision='bf16')
    with pytest.raises(ValueError, match="ncnn backend has no option 'use_fp16'.*precision"):
        open_backend('ncnn', 'x.param', 'x.bin', use_fp16=True)
    with pytest.raises(ValueError, match="torch backend has no option 'precision'"):
        build_pose_model(real_models['config'], backend='torch', precision='bf16')
    with pytest.raises(ValueError, match='is for the torch backend'):
        build_pose_model(real_models['plain'], checkpoint=real_models['pth'])
    with pytest.raises(ValueError, match='unknown backend'):
        backend_class('tflite')


def test_one_table_of_facts():
    """Each backend class declares its facts; names, aliases and the lists of the package derive from them."""
    from rtmpose.deploy.checks import SUPPORTED_BACKENDS
    from rtmpose.webui.choices import ModelChoices

    for name in BACKENDS:
        facts = backend_facts(name)
        assert facts.name == name == backend_class(name).name and facts.hint
        assert all(backend_class(alias) is backend_class(name) for alias in (*facts.aliases, name.upper()))
    assert backend_facts() is backend_facts('onnxruntime') and backend_class('ORT') is backend_class('onnxruntime')
    assert [name for name in BACKENDS if backend_facts(name).runs_onnx] == ['onnxruntime', 'openvino']
    assert SUPPORTED_BACKENDS == ('onnxruntime', 'ncnn', 'tensorrt')
    assert backend_facts('ncnn').converter_packages == ('pnnx', )
    assert ModelChoices([], device='cpu').options()['backends'] == ['onnxruntime', 'ncnn', 'openvino', 'torch']
    assert ModelChoices([], device='cuda:0').options()['backends'] == list(BACKENDS)


#: A backend in one module of its own, as a new maintainer adds one: a ``.npy`` matrix applied to the input.
NUMPY_BACKEND = '''
import numpy as np

from rtmpose.backends.base import Backend, BackendFacts, Port


class NumpyBackend(Backend):
    facts = BackendFacts('numpy', 'save the matrix with numpy.save and pass the .npy', aliases=('np', ),
                         suffixes=('.npy', ))

    def __init__(self, model_file, device='cpu', threads=None):
        super().__init__()
        self.source, self.matrix = str(model_file), np.load(model_file)
        self.inputs = [Port('input', ('batch', self.matrix.shape[0]))]
        self.outputs = [Port('output', ('batch', self.matrix.shape[1]))]

    def forward(self, inputs, output_names):
        return [inputs @ self.matrix]
'''


def test_a_new_backend_is_one_module(tmp_path):
    """A ``*_backend.py`` module in the package is a backend everywhere: names, guessing, hints, the web demo's
    choices, and no deploy unless its facts say so; the package finds it without importing any engine."""
    (tmp_path / 'numpy_backend.py').write_text(NUMPY_BACKEND)
    np.save(tmp_path / 'double.npy', 2 * np.eye(3, dtype=np.float32))
    code = f'''
        import importlib.util, sys
        spec = importlib.util.find_spec('rtmpose.backends')
        spec.submodule_search_locations.append({str(tmp_path)!r})  # as if numpy_backend.py were in the package
        sys.modules['rtmpose.backends'] = backends = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(backends)
        engines = sorted({{'onnxruntime', 'openvino', 'ncnn', 'tensorrt', 'torch'}} & set(sys.modules))
        print('engines imported:', engines)

        import numpy as np
        from rtmpose.deploy.checks import SUPPORTED_BACKENDS
        from rtmpose.hub import guess_backend, normalize_backend
        from rtmpose.webui.choices import ModelChoices

        print('backends:', backends.BACKENDS, 'deploy:', SUPPORTED_BACKENDS)
        print('guess:', guess_backend('m.npy'), normalize_backend('NP', 'm.npy'), guess_backend('m.onnx'))
        print('web:', ModelChoices([]).options()['backends'])
        net = backends.open_backend('numpy', {str(tmp_path / 'double.npy')!r}, threads=1)
        print('output:', net(np.ones((2, 3), np.float32))[0].tolist())
        try:
            normalize_backend('numpy', 'm.onnx')
        except ValueError as err:
            print('refused:', err)
    '''
    out = subprocess.run([sys.executable, '-c', textwrap.dedent(code)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(': ', 1) for line in out.stdout.splitlines())
    assert lines['engines imported'] == '[]'
    assert lines['backends'] == ("('onnxruntime', 'ncnn', 'numpy', 'openvino', 'tensorrt', 'torch') deploy: "
                                 "('onnxruntime', 'ncnn', 'tensorrt')")
    assert lines['guess'] == 'numpy numpy onnxruntime' and 'numpy' in lines['web']
    assert lines['output'] == str([[2.0, 2.0, 2.0]] * 2)
    assert lines['refused'] == ("'m.onnx' is a model for onnxruntime, not for numpy: save the matrix with numpy.save "
                                "and pass the .npy")


def test_backends_are_separate_and_models_are_one_class(real_models, det_dir):
    classes = [backend_class(name) for name in BACKENDS]
    for cls in classes:
        assert issubclass(cls, Backend)
        assert not any(issubclass(cls, other) for other in classes if other is not cls)
    ort = build_pose_model(real_models['plain'], threads=1)
    ov = build_pose_model(real_models['plain'], backend='openvino', threads=1)
    assert type(ort) is type(ov) is TopDownPoseModel and type(ort.backend) is not type(ov.backend)
    assert type(build_detector(det_dir, threads=1)) is Detector


def _calls(pattern: str) -> list[str]:
    """Package modules (relative paths) whose code matches ``pattern``."""
    return sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob('*.py') if re.search(pattern, p.read_text()))


def test_one_place_per_engine():
    assert _calls(r'InferenceSession\(') == ['backends/onnxruntime_backend.py']
    assert _calls(r'\.compile_model\(') == ['backends/openvino_backend.py']
    assert _calls(r'ncnn\.Net\(\)|_ncnn\.Net\(\)') == ['backends/ncnn_backend.py']
    assert _calls(r'deserialize_cuda_engine\(') == ['backends/tensorrt_backend.py']
    assert _calls(r"'(onnxruntime|openvino|ncnn|tensorrt|torch)', '(onnxruntime|openvino|ncnn|tensorrt|torch)'") == []
    assert _calls(r'def simcc_decode\(') == ['codecs/simcc_decode.py']
    assert _calls(r'pnnx\.EXEC_PATH') == ['deploy/ncnn_convert.py']


@pytest.mark.skipif(tensorrt_unavailable('cuda:0') is None, reason='a GPU with TensorRT is here: see the parity test')
def test_tensorrt_without_gpu_is_a_clear_error(tmp_path):
    engine = tmp_path / 'end2end.engine'
    engine.write_bytes(b'\0' * 16)
    for build in (build_pose_model, build_detector):
        with pytest.raises(RuntimeError, match='TensorRT needs an NVIDIA GPU|tensorrt. Python package'):
            build(engine)
    with pytest.raises(RuntimeError, match='Fix'):
        build_pose_model(engine, backend='tensorrt', device='cuda:0')


@pytest.mark.skipif(tensorrt_unavailable('cuda:0') is not None,
                    reason=f'TensorRT cannot run here: {tensorrt_unavailable("cuda:0")}')
def test_tensorrt_pose_matches_onnxruntime(tmp_path, real_models, detector, shared_dir):
    import cv2

    from rtmpose.deploy.tensorrt_convert import onnx2tensorrt

    shapes = {'input': {'min_shape': [1, 3, 256, 192], 'opt_shape': [8, 3, 256, 192], 'max_shape': [16, 3, 256, 192]}}
    engine = onnx2tensorrt(real_models['plain'], tmp_path / 'rtmpose-t.engine', shapes)
    image = cv2.imread(str(shared_dir / 'data' / 'coco' / '000000196141.jpg'))
    boxes, _ = detector(image)
    trt_model = build_pose_model(engine, device='cuda:0')
    ort_model = build_pose_model(real_models['plain'], threads=1)
    assert trt_model.backend.name == 'tensorrt' and trt_model.input_size == (192, 256)
    batch = ort_model.preprocess(image, boxes)
    for ours, ref in zip(trt_model.infer(batch.inputs), ort_model.infer(batch.inputs)):
        np.testing.assert_allclose(ours, ref, atol=1e-3 * np.abs(ref).max())
    kpts, _ = trt_model(image, boxes)
    ref_kpts, _ = ort_model(image, boxes)
    assert (np.abs(kpts - ref_kpts).max(axis=-1) <= 0.5).mean() >= 0.98


def test_ort_backend_reports_its_ports(real_models):
    network = open_backend('onnxruntime', real_models['plain'], threads=1)
    assert network.inputs == [Port('input', ('batch', 3, 256, 192))]
    assert network.output_names == ['simcc_x', 'simcc_y'] and network.outputs[0].shape[::2] == ('batch', 384)
    simcc_x, simcc_y = network(np.zeros((3, 3, 256, 192), np.float32))
    assert simcc_x.shape == (3, 17, 384) and simcc_y.shape == (3, 17, 512)
    assert Path(network.source) == real_models['plain']

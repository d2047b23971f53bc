"""The animal detector of the AP-10K model by name: MMPose's choice for animals (its inferencer's ``'animal'`` alias:
mmdet's COCO RTMDet-m keeping COCO's animal classes), and the class filter that keeps animals and drops persons.

No COCO RTMDet-m weights are available offline (``../shared/models`` holds the person RTMDet-nano only) and random
weights give arbitrary classes, so the filter is checked on a graph whose detections are given (a real ONNX file on
ONNX Runtime, through ``build_detector`` by name), not on an AP-10K fixture image."""
from pathlib import Path

import numpy as np
import pytest

from rtmpose.hub import build_detector
from rtmpose.hub.model_zoo import COCO_ANIMAL_IDS, MODELS, default_detector

#: (label, box xyxy) of the given detections: a person, a bird, a dog, a horse, a giraffe, a backpack (COCO labels)
GIVEN = ((0, (2, 2, 20, 40)), (14, (30, 2, 40, 12)), (16, (22, 30, 60, 60)), (17, (5, 42, 30, 62)),
         (23, (40, 5, 62, 40)), (24, (10, 10, 14, 14)))


def test_ap10k_uses_mmposes_animal_detector():
    """MMPose's inferencer, for animals: ``'rtmdet-m'`` (mmdet's 80-class COCO RTMDet-m) with ``cat_ids`` 15-23."""
    import importlib.util

    import yaml
    from mmengine.config import Config

    from tests.paths import CONFIGS, load_script

    mmpose_dir, mmdet_dir = (Path(importlib.util.find_spec(name).origin).parent for name in ('mmpose', 'mmdet'))
    # the file alone: importing mmpose.apis would load every inferencer (8 s)
    animal = load_script(mmpose_dir / 'apis/inferencers/utils/default_det_models.py').default_det_models['animal']
    entry = MODELS[default_detector('rtmpose-m-ap10k')]
    assert entry.name == 'rtmdet-m-animal' and entry.task == 'det'
    assert entry.det_cat_ids == COCO_ANIMAL_IDS == tuple(animal['cat_ids'])
    assert all(MODELS[name].det_cat_ids == (0, ) for name in ('rtmdet-nano', 'rtmdet-m', 'rtmdet-nano-hand'))
    metafile = mmdet_dir / '.mim' / 'configs' / 'rtmdet' / 'metafile.yml'
    models = yaml.safe_load(metafile.read_text())['Models']
    assert [m['Weights'] for m in models if animal['model'] in m.get('Alias', [])] == [entry.checkpoint]
    cfg = Config.fromfile(CONFIGS / entry.config)
    assert cfg.model.bbox_head.num_classes == 80 and cfg.official_checkpoint == entry.checkpoint


@pytest.fixture(scope='module')
def given_detections(tmp_path_factory) -> Path:
    """An ONNX graph with MMDeploy's RTMDet outputs (``dets (1, N, 5)``, ``labels (1, N)``) that returns
    :data:`GIVEN` (score 0.9) for any 64x64 input."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    dets = np.array([[*box, 0.9] for _, box in GIVEN], np.float32)[None]
    labels = np.array([[label for label, _ in GIVEN]], np.int64)
    zero = helper.make_node('ReduceSum', ['input'], ['total'], keepdims=0)  # the input feeds the outputs (x 0)
    nodes = [zero, helper.make_node('Mul', ['total', 'nought'], ['offset']),
             helper.make_node('Add', ['given_dets', 'offset'], ['dets']),
             helper.make_node('Identity', ['given_labels'], ['labels'])]
    graph = helper.make_graph(
        nodes, 'given', [helper.make_tensor_value_info('input', TensorProto.FLOAT, [1, 3, 64, 64])],
        [helper.make_tensor_value_info('dets', TensorProto.FLOAT, [1, len(GIVEN), 5]),
         helper.make_tensor_value_info('labels', TensorProto.INT64, [1, len(GIVEN)])],
        [numpy_helper.from_array(dets, 'given_dets'), numpy_helper.from_array(labels, 'given_labels'),
         numpy_helper.from_array(np.zeros((), np.float32), 'nought')])
    path = tmp_path_factory.mktemp('given_detections') / 'end2end.onnx'
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], ir_version=8), str(path))
    return path


def _kept_labels(boxes: np.ndarray) -> list[int]:
    return sorted(label for label, box in GIVEN if any(np.allclose(box, b) for b in boxes))


def test_animal_detector_keeps_animals_and_drops_persons(given_detections, monkeypatch):
    from rtmpose.hub import build
    from rtmpose.inference.detector import BoxConfig, Detector

    image = np.zeros((64, 64, 3), np.uint8)
    monkeypatch.setattr(build, 'fetch_model', lambda name, backend, task: (given_detections, None))  # no download
    animals = build_detector('rtmdet-m-animal', threads=1, input_size=(64, 64))
    assert animals.boxes.det_cat_ids == COCO_ANIMAL_IDS
    boxes, scores = animals(image)
    assert _kept_labels(boxes) == [16, 17, 23] and len(boxes) == 3  # no person, bird or backpack
    persons = build_detector('rtmdet-nano', threads=1, input_size=(64, 64))  # the same graph as a person detector
    assert _kept_labels(persons(image)[0]) == [0]
    everything = Detector(persons.backend, persons.letterbox, BoxConfig(det_cat_ids=None))
    assert _kept_labels(everything(image)[0]) == [0, 14, 16, 17, 23, 24]
    assert build_detector(given_detections, threads=1, input_size=(64, 64), det_cat_ids=17).boxes.det_cat_ids == (17, )

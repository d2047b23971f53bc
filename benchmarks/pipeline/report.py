"""``pipeline_speed.{md,png}`` from the benchmark's JSON report: the tables, the stage breakdown, the compute bound
and the rtmlib cross-check."""
from __future__ import annotations

from pathlib import Path

import numpy as np

TARGETS = ('det1_ge_1.5x', 'det5_ge_3x')


def _target_rows(models: dict, ratios: str, targets: str, keys: list[str]) -> list[str]:
    """Markdown table rows, one per model holding ``ratios``: the model, its ``keys`` ratios ('n/a' where absent),
    then whether each of the two speed targets in ``targets`` is met."""
    rows = []
    for arch, res in models.items():
        if ratios in res:
            cells = [f'{res[ratios][k]:.2f}x' if k in res[ratios] else 'n/a' for k in keys]
            met = ['met' if res[targets][key] else 'MISSED' for key in TARGETS]
            rows.append('| ' + ' | '.join([f'rtmpose-{arch}', *cells, *met]) + ' |')
    return rows


def _error_cell(error: dict) -> str:
    return (f"{error['mean_px']:.2f} / {error['median_px']:.2f} / {error['max_px']:.1f} "
            f"({error['keypoints']} keypoints)")


def methods_table(report: dict) -> list[str]:
    lines = ['# Pipeline speed: our PoseTracker vs rtmlib (same ONNX files, CPU)', '',
             f"Video `{report['video']}`, {report['threads']} intra-op threads for every session, "
             f"{report['cpu_count']} CPUs, load average before/after: {report['load_before']} / "
             f"{report['load_after']} (other jobs share this machine). "
             f"Chunks of {report['chunk']} frames interleaved across methods. ", '',
             *_method_rows(report['models'])]
    return lines


def _method_rows(models: dict) -> list[str]:
    """The per-method table (header and one row per model and method): FPS, ms per frame by stage, jitter."""
    stages = _stages(models)
    lines = ['| model | method | FPS | ms/frame | ' + ' | '.join(stages) + ' | persons/frame '
             '| jitter raw -> smoothed (px) |',
             '|---|---|---:|---:|' + '---:|' * len(stages) + '---:|---|']
    for arch, res in models.items():
        for name, m in res['methods'].items():
            st = m['stage_ms_per_frame']
            jit = m.get('jitter_px')
            jit_s = f"{jit['raw']:.2f} -> {jit['smoothed']:.2f} (-{jit['reduction_pct']:.0f}%)" if jit else ''
            cells = ' | '.join(f'{st.get(stage, 0.0):.2f}' for stage in stages)
            lines.append(f"| rtmpose-{arch} | {name} | {m['fps']:.2f} | {m['ms_per_frame']:.1f} | {cells} | "
                         f"{m['persons_per_frame']:.2f} | {jit_s} |")
    return lines


def _stages(models: dict) -> list[str]:
    """The stage names of the report's runs (those of the timer that made it), in order."""
    return list(dict.fromkeys(stage for res in models.values() for m in res['methods'].values()
                              for stage in m['stage_ms_per_frame']))


def ratio_tables(report: dict) -> list[str]:
    """The same-file ratios: ONNX Runtime (the targets) and OpenVINO float32."""
    models = report['models']
    lines = ['', *_onnxruntime_ratio_rows(models)]
    if any('openvino_ratios' in res for res in models.values()):
        lines += ['', *_openvino_ratio_rows(models)]
    return lines


def _openvino_ratio_rows(models: dict) -> list[str]:
    """The OpenVINO float32 ratio table (its explanation, header and one row per model that ran it)."""
    return ['The same two ONNX files run by OpenVINO (`backend=\'openvino\'`, float32: the same numbers as '
            'ONNX Runtime within 1e-5) in our pipeline, against rtmlib on its default ONNX Runtime backend '
            '(the targets) and against rtmlib on its own OpenVINO backend (compiled with the same threads and '
            'float32):', '',
            '| model | ours OV det1 / rtmlib | ours OV det5 / rtmlib | ours OV det1 / rtmlib OV | ours OV det5 / '
            'rtmlib OV | target det1 >= 1.5x | target det5 >= 3x |', '|---|---:|---:|---:|---:|---|---|',
            *_target_rows(models, 'openvino_ratios', 'openvino_targets', [
                'ours_ov_det1_vs_rtmlib', 'ours_ov_det5_vs_rtmlib', 'ours_ov_det1_vs_rtmlib_ov',
                'ours_ov_det5_vs_rtmlib_ov'])]


def _onnxruntime_ratio_rows(models: dict) -> list[str]:
    """The ratio table of the same-file ONNX Runtime runs (header and one row per model)."""
    return ['| model | ours det1 / rtmlib | ours det5 / rtmlib | ours det1 / rtmlib (our session opts) | '
            'ours det5 / rtmlib (our session opts) | target det1 >= 1.5x | target det5 >= 3x |',
            '|---|---:|---:|---:|---:|---|---|',
            *_target_rows(models, 'ratios', 'targets', ['ours_det1_vs_rtmlib', 'ours_det5_vs_rtmlib',
                                                        'ours_det1_vs_rtmlib_our_opts',
                                                        'ours_det5_vs_rtmlib_our_opts'])]


def approximate_tables(report: dict) -> list[str]:
    """The ratios of the approximate runs (OpenVINO bfloat16, our INT8 export) with their keypoint distances."""
    lines = []
    bf16 = {arch: res for arch, res in report['models'].items() if 'bf16_ratios' in res}
    if bf16:
        lines += ['', 'The same two ONNX files run by OpenVINO in bfloat16 (`precision=\'bf16\'`; what OpenVINO '
                  'picks by itself on a CPU with AVX512-BF16 or AMX, as here), against rtmlib on ONNX Runtime (the '
                  'targets) and against rtmlib on OpenVINO as rtmlib compiles it (OpenVINO\'s defaults: bfloat16 '
                  'here too). Approximate, so reported apart from the float32 runs, with the bf16-vs-f32 keypoint '
                  'distance for the same boxes:', '',
                  '| model | ours OV bf16 det1 / rtmlib | ours OV bf16 det5 / rtmlib | ours OV bf16 det1 / rtmlib OV '
                  'default | ours OV bf16 det5 / rtmlib OV default | target det1 >= 1.5x | target det5 >= 3x | '
                  'bf16 vs f32 keypoints, same boxes: mean / median / max (image px) |',
                  '|---|---:|---:|---:|---:|---|---|---|']
        rows = _target_rows(bf16, 'bf16_ratios', 'bf16_targets', [
            'ours_ov_bf16_det1_vs_rtmlib', 'ours_ov_bf16_det5_vs_rtmlib', 'ours_ov_bf16_det1_vs_rtmlib_ov_default',
            'ours_ov_bf16_det5_vs_rtmlib_ov_default'])
        lines += [f"{row} {_error_cell(res['bf16_keypoint_error'])} |" for row, res in zip(rows, bf16.values())]
    int8 = {arch: res for arch, res in report['models'].items() if 'int8_ratios' in res}
    if int8:
        lines += ['', 'Our INT8 export of the same pose weights (`rtmpose.deploy.ort_int8`, calibrated on crops of '
                  'this video; the detector stays FP32) in the same pipeline, against rtmlib on the FP32 files. Not '
                  'the same files, so not the targets above: the option a user has when the pose network is the '
                  'bottleneck.', '',
                  '| model | ours INT8 det1 / rtmlib | ours INT8 det5 / rtmlib | INT8 vs FP32 keypoints, same boxes: '
                  'mean / median / max (image px) |', '|---|---:|---:|---|']
        for arch, res in int8.items():
            r = res['int8_ratios']
            lines.append(f"| rtmpose-{arch} | {r['ours_int8_det1_vs_rtmlib']:.2f}x | "
                         f"{r['ours_int8_det5_vs_rtmlib']:.2f}x | {_error_cell(res['int8_keypoint_error'])} |")
    return lines


def time_budget(report: dict) -> list[str]:
    """Where the time goes, and the compute bound of the pose stage."""
    lines = ['', 'Where the time goes (ours, detector every frame) and what skipping the detector can give at most:',
             '']
    for arch, res in report['models'].items():
        det1 = res['methods']['ours_det1']
        stages, total = det1['stage_ms_per_frame'], det1['ms_per_frame']
        bound = total / (total - 0.8 * stages['detect'])
        lines.append(f"- rtmpose-{arch}: the pose network is {100 * stages['pose'] / total:.0f}% of the frame time "
                     f"({stages['pose'] / max(det1['persons_per_frame'], 1e-9):.1f} ms per "
                     f"person); running the detector on 1 frame in 5 removes at most 80% of the detect stage, so "
                     f"det_interval 5 can be at most {bound:.2f}x faster than det_interval 1 here, i.e. "
                     f"{bound * res['ratios']['ours_det1_vs_rtmlib']:.2f}x rtmlib")
    if 'matmul_gflops' in report:
        rates = report['matmul_gflops']
        lines += ['', f"Compute bound (float32): this machine multiplies 4096x4096 matrices at {rates['float32']:.0f} "
                  f"GFLOP/s in float32 and {rates['bfloat16']:.0f} GFLOP/s in bfloat16 (torch, {report['threads']} "
                  'threads, same run). The pose stage of our OpenVINO float32 run with det_interval 5 runs the '
                  'network at:', '']
        lines += [_compute_bound(arch, res, rates['float32']) for arch, res in report['models'].items()
                  if 'ours_ov_det5' in res['methods'] and 'pose_multiply_adds' in res]
    return lines


def _compute_bound(arch: str, res: dict, float32_rate: float, method: str = 'ours_ov_det5', target: float = 3.0,
                   goal: str = 'det_interval 5 at 3x rtmlib') -> str:
    """The rate the pose network runs at in ``method`` and the rate ``target`` x rtmlib (``goal``) would need."""
    run = res['methods'][method]
    flop = 2 * res['pose_multiply_adds'] * run['persons_per_frame']  # per frame
    pose_s = run['stage_ms_per_frame']['pose'] / 1000
    other_s = (run['ms_per_frame'] - run['stage_ms_per_frame']['pose']) / 1000
    budget_s = 1 / (target * res['methods']['rtmlib']['fps']) - other_s  # pose time that would reach the target
    need = (f"{flop / budget_s / 1e9:.0f} GFLOP/s ({100 * flop / budget_s / 1e9 / float32_rate:.0f}% of it)"
            if budget_s > 0 else 'more than the other stages leave')
    return (f"- rtmpose-{arch} ({res['pose_multiply_adds'] / 1e9:.2f} G multiply-adds per crop, "
            f"{run['persons_per_frame']:.2f} crops per frame): {flop / pose_s / 1e9:.0f} GFLOP/s, "
            f"{100 * flop / pose_s / 1e9 / float32_rate:.0f}% of the float32 matrix-multiply rate; "
            f"{goal} would need {need}")


def notes(report: dict) -> list[str]:
    """How the sessions were made, and rtmlib's reading of our files."""
    lines = ['', 'Sessions: rtmlib creates `InferenceSession(path, providers=[...])` with default `SessionOptions` '
             '(graph optimisation ORT_ENABLE_ALL, intra-op threads 0 = the physical cores, which is 2 here, '
             'intra-op threads spin while idle); the benchmark runs rtmlib\'s own pre- and post-processing around '
             'sessions with those settings and `intra_op_num_threads` = '
             f"{report['threads']}, nothing else changed. Ours (`rtmpose.backends.OnnxRuntimeBackend`): "
             'ORT_ENABLE_ALL, the '
             'same intra-op threads, spinning off. `rtmlib_our_opts` runs rtmlib on sessions with our options, so '
             'the gap between it and `rtmlib` is the session settings, and the gap between ours and it is the '
             'pipeline (batched crops, float32 preprocessing, no per-crop session call).', '']
    lines += ['', 'rtmlib reads our ONNX files (same boxes in, keypoints compared with ours run on BGR crops):', '']
    lines += [_check_line(arch, res['rtmlib_check']) for arch, res in report['models'].items()]
    lines += ['', f"Note: {report['models'][next(iter(report['models']))]['rtmlib_check']['note']}.", '',
              f"Pose models: {report['pose_note']}", '']
    return lines


def _check_line(arch: str, check: dict) -> str:
    return (f"- rtmpose-{arch}: boxes rtmlib {check['rtmlib_boxes']} / ours {check['our_boxes']} "
            f"({check['matched_boxes_iou_0.5']} matched at IoU >= 0.5; corner difference median "
            f"{check['median_box_diff_px']:.2f} px, max {check['max_box_diff_px']:.2f} px); keypoints for the same "
            f"boxes: max diff {check['max_keypoint_diff_px']:.2f} px, median "
            f"{check['median_keypoint_diff_px']:.2f} px")


def wholebody_tables(report: dict) -> list[str]:
    """The whole-body section (``report['wholebody']``, run apart): methods, ratios and rtmlib's reading of the
    files."""
    whole = report.get('wholebody')
    if not whole:
        return []
    models = whole['models']
    lines = ['', '## Whole-body (COCO-WholeBody, 133 keypoints): our PoseTracker vs rtmlib `Wholebody`', '',
             f"Same video, detector and settings: {whole['threads']} intra-op threads for every session, chunks of "
             f"{whole['chunk']} frames interleaved, run on its own (`--models {' '.join(models)}`, "
             f"{whole['wall_s']:.0f} s); load average before/after: {whole['load_before']} / "
             f"{whole['load_after']}. Pose: {whole['pose']}. rtmlib: {whole['rtmlib_path']}.", '',
             *_method_rows(models), '', *_onnxruntime_ratio_rows(models), '']
    if any('openvino_ratios' in res for res in models.values()):
        lines += [*_openvino_ratio_rows(models)]
    lines += [*approximate_tables({'models': models}), *time_budget({'models': models})]
    if 'matmul_gflops' in whole:
        lines += ['', f"Compute bound on ONNX Runtime (float32): this machine multiplies 4096x4096 matrices at "
                  f"{whole['matmul_gflops']['float32']:.0f} GFLOP/s in float32 (torch, {whole['threads']} threads, "
                  'same run). The pose stage of ours_det1 (ONNX Runtime, detector every frame) runs the network at:',
                  '', *[_compute_bound(arch, res, whole['matmul_gflops']['float32'], 'ours_det1', 1.5,
                                       '1.5x rtmlib with the detector every frame') for arch, res in models.items()]]
    lines.append('')
    for arch, res in models.items():
        if res.get('batch1_ratios'):
            cells = ', '.join(f"{key.replace('_vs_', ' / ')} {ratio:.2f}x"
                              for key, ratio in res['batch1_ratios'].items())
            lines += [f'rtmpose-{arch}, one crop per pose network call (`max_batch_size=1`): {cells}.', '']
    lines += ['rtmlib reads the whole-body file (same boxes in, keypoints compared with ours run on BGR crops):', '']
    lines += [_check_line(arch, res['rtmlib_check']) for arch, res in models.items()]
    return lines + ['']


def write_markdown(report: dict, path: Path) -> None:
    """The body sections (when ``report`` has body models) and the whole-body section (when it has one)."""
    sections = (methods_table, ratio_tables, approximate_tables, time_budget, notes) if report.get('models') else ()
    path.write_text('\n'.join(line for section in (*sections, wholebody_tables) for line in section(report)))


def write_plot(report: dict, path: Path) -> None:
    """FPS per method and model (left), ms per frame by stage (right)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    archs = list(report['models'])
    names = list(report['models'][archs[0]]['methods'])
    fig, (ax_fps, ax_ms) = plt.subplots(1, 2, figsize=(16, 8))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        values = [report['models'][a]['methods'][name]['fps'] for a in archs]
        bars = ax_fps.bar(np.arange(len(archs)) + i * width, values, width, label=name,
                          color=plt.cm.tab20(i % 20))  # more methods than the default 10 colours
        ax_fps.bar_label(bars, fmt='%.1f', fontsize=8)
    ax_fps.set_xticks(np.arange(len(archs)) + width * (len(names) - 1) / 2, [f'RTMPose-{a}' for a in archs])
    ax_fps.set_ylabel('frames per second (higher is better)')
    ax_fps.set_title('FPS, RTMDet-nano + RTMPose, CPU (ONNX Runtime; *_ov*: OpenVINO)')
    ax_fps.legend(fontsize=8)
    rows = [(a, n) for a in archs for n in names]
    bottoms = np.zeros(len(rows))
    for stage in _stages(report['models']):
        values = np.array([report['models'][a]['methods'][n]['stage_ms_per_frame'].get(stage, 0.0) for a, n in rows])
        ax_ms.barh(np.arange(len(rows)), values, left=bottoms, label=stage)
        bottoms += values
    ax_ms.set_yticks(np.arange(len(rows)), [f'{a}: {n}' for a, n in rows], fontsize=8)
    ax_ms.invert_yaxis()
    ax_ms.set_xlabel('ms per frame, by stage')
    ax_ms.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)

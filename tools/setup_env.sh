#!/usr/bin/env bash
# Create .venv at the repository root and install the whole rtmpose stack into it, the project editable.
#
#   bash tools/setup_env.sh
#
# Idempotent: a second run finds everything at its pinned version and changes nothing.
# Pins live in requirements/constraints.txt. A torch already importable in .venv (e.g. a CUDA build the user
# installed first) is kept, and the torch/torchvision pins are dropped for that run.
# Environment: PYTHON (default python3.11), RTMPOSE_CACHE (default ~/.cache/rtmpose; holds the compiled mmcv wheel,
# one per torch build, so a new venv on the same machine does not recompile it).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python_bin="${PYTHON:-python3.11}"
venv="$root/.venv"
cache="${RTMPOSE_CACHE:-$HOME/.cache/rtmpose}"
constraints="$root/requirements/constraints.txt"

step() { printf '\n[setup %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
pin() { grep -E "^$1==" "$constraints" | head -n1; }

if [ ! -x "$venv/bin/python" ]; then
  command -v "$python_bin" >/dev/null || { echo "error: $python_bin not found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
  step "creating $venv with $python_bin"
  "$python_bin" -m venv "$venv"
fi
py="$venv/bin/python"
pip=("$py" -m pip install --disable-pip-version-check)

# torch: keep one that is already there, else install the pinned CPU-capable build.
effective="$venv/rtmpose-constraints.txt"
if "$py" -c "import torch, torchvision" 2>/dev/null; then
  step "keeping torch $("$py" -c 'import torch; print(torch.__version__)') already in .venv"
  grep -vE '^(torch|torchvision)==' "$constraints" > "$effective"
else
  cp "$constraints" "$effective"
  step "installing $(pin torch) $(pin torchvision)"
  "${pip[@]}" -c "$effective" "$(pin torch)" "$(pin torchvision)"
fi
c=(-c "$effective")

step "build tooling and runtime dependencies"
"${pip[@]}" "${c[@]}" setuptools wheel Cython numpy
"${pip[@]}" "${c[@]}" \
  mmengine scipy matplotlib pycocotools opencv-python opencv-python-headless albumentations \
  json-tricks munkres shapely terminaltables six tqdm pillow \
  aenum multiprocess prettytable \
  Click colorama model-index pandas requests rich tabulate \
  onnx onnxruntime openvino pnnx ncnn av filelock pytest ruff pre-commit

# mmcv ships as source only; compile its ops once per torch build and keep the wheel in $cache.
mmcv_pin="$(pin mmcv)"
mmcv_version="${mmcv_pin#mmcv==}"
if "$py" -c "import mmcv, mmcv.ops, sys; sys.exit(mmcv.__version__ != '$mmcv_version')" 2>/dev/null; then
  step "mmcv $mmcv_version with ops already installed"
else
  tag="$("$py" -c 'import torch; print(torch.__version__.replace("+", "_"))')"
  wheel_dir="$cache/mmcv-$mmcv_version-torch-$tag"
  if ! ls "$wheel_dir"/mmcv-*.whl >/dev/null 2>&1; then
    step "compiling mmcv $mmcv_version ops for torch $tag (about 15 min on 2 cores, once per torch build)"
    mkdir -p "$wheel_dir"
    # torch >= 2.10 headers need C++20; mmcv 2.1.0's setup.py hard-codes -std=c++14/17, so raise it in a copy.
    build="$(mktemp -d)"
    "$py" -m pip download --disable-pip-version-check --no-cache-dir --no-deps --no-binary :all: \
      --no-build-isolation -d "$build" "$mmcv_pin"
    tar -xzf "$build"/mmcv-*.tar.gz -C "$build"
    sed -i 's/-std=c++1[47]/-std=c++20/g' "$build/mmcv-$mmcv_version/setup.py"
    MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" "$py" -m pip wheel --disable-pip-version-check --no-cache-dir \
      --no-build-isolation --no-deps -w "$wheel_dir.part" "$build/mmcv-$mmcv_version"
    rm -rf "$build"
    mv "$wheel_dir.part"/mmcv-*.whl "$wheel_dir"/ && rm -rf "$wheel_dir.part"
  fi
  step "installing mmcv from $wheel_dir"
  "${pip[@]}" "${c[@]}" --no-deps "$wheel_dir"/mmcv-*.whl
  "${pip[@]}" "${c[@]}" addict packaging pyyaml yapf
fi

# xtcocotools' wheel is built for numpy 1 and fails to import under numpy 2: build it from source.
step "xtcocotools from source"
"${pip[@]}" "${c[@]}" --no-binary xtcocotools --no-build-isolation xtcocotools

# mmpose declares chumpy (does not build on 3.11), mmdeploy pins an old protobuf, openmim pulls openxlab which
# downgrades setuptools: install these three without their declared dependencies (their real ones are above).
step "mmdet, mmpose, mmdeploy, openmim, rtmlib"
"${pip[@]}" "${c[@]}" mmdet
"${pip[@]}" "${c[@]}" --no-deps mmpose mmdeploy openmim
# rtmlib (benchmark baseline) wants opencv-contrib-python, which would shadow opencv-python's cv2
"${pip[@]}" "${c[@]}" --no-deps rtmlib

# The browser test of demo/webui.py: Playwright drives Debian's Chromium (never `playwright install`: no browser
# download). Without apt-get as root the test skips and says so.
step "playwright, and Debian's chromium for the web demo's browser test"
"${pip[@]}" "${c[@]}" playwright
if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
elif command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  # a browser is for one test only: if Debian's mirror cannot be reached, say so and go on (the test skips)
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }; then
    echo "warning: apt-get could not install chromium; tests/test_webui.py will skip"
  fi
else
  echo "skipping chromium: installing it needs apt-get as root (tests/test_webui.py skips without /usr/bin/chromium)"
fi

# the `rtmpose` console command (setup.cfg's entry point) is part of the install: an older one without it is redone
if [ -x "$venv/bin/rtmpose" ] &&
   "$py" -c "import pathlib, sys, rtmpose; sys.exit(pathlib.Path(rtmpose.__file__).parent != pathlib.Path('$root/projects/rtmpose'))" 2>/dev/null; then
  step "rtmpose already installed editable from $root"
else
  step "rtmpose (editable)"
  "${pip[@]}" "${c[@]}" --no-deps --no-build-isolation -e "$root"
fi

step "checking imports"
"$py" - <<'PY'
import importlib
mods = ["torch", "torchvision", "mmengine", "mmcv.ops", "mmdet.apis", "mmpose.apis", "mmdeploy.apis",
        "mim", "xtcocotools.coco", "pycocotools.coco", "albumentations", "onnx", "onnxruntime", "openvino", "ncnn",
        "pnnx", "rtmpose"]
for m in mods:
    importlib.import_module(m)
import torch, mmcv, mmpose, mmdet
print(f"ok: torch {torch.__version__}, mmcv {mmcv.__version__}, mmdet {mmdet.__version__}, mmpose {mmpose.__version__}")
PY
step "done. Activate with: source .venv/bin/activate"

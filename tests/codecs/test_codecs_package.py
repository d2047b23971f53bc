"""``rtmpose.codecs``: the numpy decode rule imports without torch, and every exported name is what it says."""
import subprocess
import sys

from tests.paths import REPO_ROOT


def test_simcc_decode_imports_without_torch():
    code = 'import sys, rtmpose.codecs.simcc_decode; print("torch" in sys.modules)'
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    assert out.stdout.strip() == 'False'


def test_exports_are_the_functions_and_the_codec_class():
    import rtmpose.codecs.simcc_decode  # noqa: F401  (the submodule shares the function's name)
    import rtmpose.codecs.simcc_label  # noqa: F401
    from rtmpose.codecs import SimCCLabel, simcc_decode, simcc_maximum
    from rtmpose.codecs.simcc_decode import simcc_decode as decode_function
    assert simcc_decode is decode_function and callable(simcc_maximum)
    assert SimCCLabel.__module__ == 'rtmpose.codecs.simcc_label'

#!/usr/bin/env bash
# Test a checkpoint with GPUS processes per node (GPUs, or CPU processes over gloo where there is no GPU) through
# torchrun and MMPose's tools/test.py (the script `mim test` runs); every sample is scored once, the metric is the one
# of a single process:
#
#   bash tools/dist_test.sh CONFIG CHECKPOINT GPUS [test.py options, e.g. --work-dir DIR --dump results.pkl]
#
# Several nodes: set NNODES, NODE_RANK and MASTER_ADDR on every node, as for tools/dist_train.sh.
set -e

CONFIG=$1
CHECKPOINT=$2
GPUS=$3
TOOL=test exec bash "$(dirname "$0")/dist_train.sh" "$CONFIG" "$GPUS" "$CHECKPOINT" "${@:4}"

#!/usr/bin/env bash
# Train with GPUS processes per node through torchrun and MMPose's tools/train.py (the script `mim train` runs), on
# GPUs (NCCL) or, on a machine without GPUs, as CPU processes over gloo (rtmpose.engine.dist_launch):
#
#   bash tools/dist_train.sh CONFIG GPUS [train.py options, e.g. --work-dir DIR --resume --auto-scale-lr]
#
# One node: bash tools/dist_train.sh configs/rtmpose-m_coco.py 8
# Several nodes (run on every node; NODE_RANK 0 on the node at MASTER_ADDR):
#   NNODES=2 NODE_RANK=0 MASTER_ADDR=10.0.0.1 bash tools/dist_train.sh configs/rtmpose-m_coco.py 8
# Without GPUs, GPUS is the number of CPU processes (mim's --launcher pytorch needs GPUs: mmengine selects one).
# TOOL=test runs MMPose's tools/test.py instead (tools/dist_test.sh does).
set -e

CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHON=${PYTHON:-python}
TOOL=${TOOL:-train}
SCRIPT=$("$PYTHON" -c "import mmpose, os.path as p; print(p.join(p.dirname(mmpose.__file__), '.mim/tools/$TOOL.py'))")

"$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node-rank="$NODE_RANK" \
    --master-addr="$MASTER_ADDR" \
    --nproc-per-node="$GPUS" \
    --master-port="$PORT" \
    -m rtmpose.engine.dist_launch \
    "$SCRIPT" \
    "$CONFIG" \
    "${@:3}" \
    --launcher pytorch

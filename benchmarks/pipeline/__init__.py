"""The parts of ``benchmarks/pipeline_speed.py``: the workload (:mod:`.workload`), the timed methods and the
interleaved timing (:mod:`.harness`), rtmlib as the peer (:mod:`.rtmlib_peer`), keypoint measures
(:mod:`.measures`), the compute bound (:mod:`.compute`), the markdown/plot report (:mod:`.report`), and other git
revisions' trackers run beside the working tree's (:mod:`.revisions`, each side a :mod:`.rev_worker` process)."""

#!/usr/bin/env python3
"""One failover round: kill -9 the leader's process, then write through the survivors until a write is
acknowledged; prints the milliseconds from the kill to that acknowledgement.

Usage: failover-probe.py raftkv|etcd LEADER_PID SURVIVOR_HOST:PORT...

A client as a user writes it: each attempt goes to the next survivor with a 1 s timeout, 20 ms apart.
"""
import base64
import http.client
import json
import os
import signal
import sys
import time

kind, pid, survivors = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
BOUND_S = 30


def put(hostport, attempt):
    host, port = hostport.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=1.0)
    try:
        if kind == "raftkv":
            body = json.dumps({"value": "after-kill-%d" % attempt})
            conn.request("PUT", "/kv/failover-probe", body, {"Content-Type": "application/json"})
        else:
            body = json.dumps({"key": base64.b64encode(b"failover-probe").decode(),
                               "value": base64.b64encode(b"after-kill-%d" % attempt).decode()})
            conn.request("POST", "/v3/kv/put", body, {"Content-Type": "application/json"})
        response = conn.getresponse()
        text = response.read().decode(errors="replace")
        # etcd's JSON gateway answers 200 with an "error" member when the put failed
        return response.status == 200 and '"error"' not in text
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


killed = time.monotonic()
os.kill(pid, signal.SIGKILL)
attempt = 0
while time.monotonic() - killed < BOUND_S:
    if put(survivors[attempt % len(survivors)], attempt):
        print(int((time.monotonic() - killed) * 1000))
        sys.exit(0)
    attempt += 1
    time.sleep(0.02)
print("none")
sys.exit(1)

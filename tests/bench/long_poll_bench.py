#!/usr/bin/env python3
"""scripts/bench long-poll: what pending long-polls cost the command path.

Runs benefitd (simulated clock, fsync) and issues durable commands (a user's roles changed)
at a fixed rate, measuring the server's CPU time per command from /proc:
  1. with no long-poll waiting: the baseline of the same run;
  2. with POLLS long-polls waiting on benefits of another partner, which the commands never
     change: woken only by their own views, they should cost nothing per command;
  3. with POLLS long-polls of GET /v1/clock, which waits for any view (an answer that hangs
     on the clock's time): each command wakes and re-runs every one of them, which is what
     every long-poll cost before polls were woken per view key.

With --store URI (a PostgreSQL store), two nodes share it: the commands go to node A, the
long-polls wait on node B, and the CPU time and re-runs are node B's: what another node's
commits cost the long-polls of a node.

Usage: tests/bench/long_poll_bench.py BUILD_DIR [--quick] [--store URI]
"""

import asyncio
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

OPERATOR = "bench-operator-token"


def server_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Api:
    def __init__(self, port, token):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.token = token

    def send(self, method, target, body=None, expected=200):
        headers = {"Authorization": "Bearer " + self.token}
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.connection.request(method, target, json.dumps(body) if body is not None else None, headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status != expected:
            raise RuntimeError(f"{method} {target}: {response.status} {data[:200]!r}")
        return response, (json.loads(data) if data else None)


def register(api, name):
    _, partner = api.send("POST", "/v1/partners", {
        "name": name, "accountEmail": f"account@{name}.test",
        "globalAdmin": {"email": f"admin@{name}.test", "displayName": "Admin"}}, 201)
    return partner["partnerId"], partner["globalAdmin"]["token"]


def metric(port, name):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    return int(re.search(rf"^{name} (\d+)$", text, re.M).group(1))


class Commands:
    """Durable commands of constant cost: each changes the roles of one user of one partner."""

    def __init__(self, port, partner_id, token):
        self.api = Api(port, token)
        _, user = self.api.send("POST", f"/v1/partners/{partner_id}/users",
                                {"email": "load@load.test", "displayName": "Load", "roles": ["admin-agent"]}, 201)
        self.target = f"/v1/partners/{partner_id}/users/{user['userId']}/roles"
        self.sent = 0

    def one(self):
        self.sent += 1
        self.api.send("PUT", self.target, {"roles": ["user-admin" if self.sent % 2 else "admin-agent"]})

    def at_rate(self, pid, rate, seconds):
        """CPU seconds of the server per command, at `rate` commands/s for `seconds`."""
        count = int(rate * seconds)
        cpu = server_cpu_seconds(pid)
        start = time.monotonic()
        for i in range(count):
            time.sleep(max(0.0, start + i / rate - time.monotonic()))
            self.one()
        return (server_cpu_seconds(pid) - cpu) / count


async def hold_polls(port, token, targets, wait, stop):
    """Keeps one long-poll waiting per target until `stop` is set; re-asks after a 304."""
    writers = []

    async def poll(target, etag):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writers.append(writer)
        request = (f"GET {target} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
                   f"If-None-Match: {etag}\r\nPrefer: wait={wait}\r\n\r\n").encode()
        while True:
            writer.write(request)
            await writer.drain()
            head = (await reader.readuntil(b"\r\n\r\n")).decode()
            length = re.search(r"(?i)content-length: (\d+)", head)
            if length:
                await reader.readexactly(int(length.group(1)))
            if not head.startswith("HTTP/1.1 304"):
                raise RuntimeError(f"{target} changed: {head.splitlines()[0]}")

    etags = {}
    api = Api(port, token)
    for target in set(targets):
        response, _ = api.send("GET", target)
        etags[target] = response.getheader("ETag")
    polls = asyncio.gather(*(poll(target, etags[target]) for target in targets))
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({polls, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if polls.done():
        polls.result()  # a poll failed: say why
    for writer in writers:
        writer.transport.abort()
    await asyncio.gather(polls, return_exceptions=True)


class Polls:
    """POLLS long-polls held on a thread of their own."""

    def __init__(self, port, token, targets, wait):
        self.loop = asyncio.new_event_loop()
        self.stop = None
        ready = threading.Event()

        def run():
            asyncio.set_event_loop(self.loop)
            self.stop = asyncio.Event()
            ready.set()
            self.loop.run_until_complete(hold_polls(port, token, targets, wait, self.stop))

        self.thread = threading.Thread(target=run)
        self.thread.start()
        ready.wait()
        deadline = time.monotonic() + 120
        while metric(port, "benefitd_long_polls_waiting") < len(targets):
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the long-polls did not all start waiting")
            time.sleep(0.2)

    def close(self, port):
        """Ends the polls, and waits until the server holds none of them."""
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join()
        self.loop.close()
        deadline = time.monotonic() + 120
        while metric(port, "benefitd_long_polls_waiting") > 0:
            if time.monotonic() > deadline:
                raise RuntimeError("the server still holds long-polls whose clients left")
            time.sleep(0.2)


def start_node(build, data_dir, store):
    """A benefitd (simulated clock, fsync) and the port it listens on."""
    flags = ["--store", store] if store else []
    node = subprocess.Popen(
        [f"{build}/adapters/http/benefitd", "--data-dir", data_dir, "--listen", "127.0.0.1:0",
         "--operator-token", OPERATOR, "--clock", "simulated", "--durability", "fsync", "--log-level", "warn", *flags],
        stdout=subprocess.PIPE, text=True)
    line = node.stdout.readline()
    return node, int(line.rsplit(":", 1)[1])


def main():
    build = os.path.realpath(sys.argv[1])
    quick = "--quick" in sys.argv[2:]
    store = sys.argv[sys.argv.index("--store") + 1] if "--store" in sys.argv else None
    polls, rate, seconds = (500, 16, 4) if quick else (2000, 16, 15)
    work = tempfile.mkdtemp()
    nodes = []
    try:
        nodes.append(start_node(build, f"{work}/a", store))
        if store:
            nodes.append(start_node(build, f"{work}/b", store))
        command_port = nodes[0][1]
        server, port = nodes[-1]  # where the polls wait and the CPU is measured
        if store:
            print(f"commands on node A, long-polls and CPU on node B, both on {store}")
        op = Api(command_port, OPERATOR)
        watched_id, watched_token = register(op, "watched")
        busy_id, busy_token = register(op, "busy")
        _, package = Api(command_port, watched_token).send(
            "POST", f"/v1/partners/{watched_id}/packages", {"type": "action-pack"}, 201)
        benefits = [f"/v1/benefits/{b['benefitId']}" for b in package["benefits"]]
        commands = Commands(command_port, busy_id, busy_token)
        commands.at_rate(server.pid, rate, 1)  # warm-up

        rows = [("no long-poll waiting (baseline)", None),
                (f"{polls} polls of benefits no command changes", [benefits[i % len(benefits)] for i in range(polls)]),
                (f"{polls} polls of GET /v1/clock (any view)", ["/v1/clock"] * polls)]
        print(f"{'workload':46} {'CPU ms/command at ' + str(rate) + '/s':>26} {'re-runs/command':>16}")
        for name, targets in rows:
            # Polls whose client left wait out their time on the server: keep it to the phase.
            held = Polls(port, watched_token, targets, seconds + 10) if targets else None
            reruns = metric(port, "benefitd_long_poll_reruns_total")
            sent = commands.sent
            cpu = commands.at_rate(server.pid, rate, seconds)
            per_command = (metric(port, "benefitd_long_poll_reruns_total") - reruns) / (commands.sent - sent)
            if held:
                held.close(port)
            print(f"{name:46} {cpu * 1000:26.2f} {per_command:16.1f}")
    finally:
        for node, _ in nodes:
            node.terminate()
            node.wait()
        subprocess.run(["rm", "-rf", work], check=False)


if __name__ == "__main__":
    main()
